/**
 * A GPTConfig as Hugging Face's GPT2Config (config.json), and back. Import accepts exactly the
 * GPT-2 variants this engine computes identically: tanh-approximated GELU, attention scaled by
 * 1/sqrt(hs), an LM head tied to the token embedding, a 4·C MLP. Anything else is refused with
 * the field that differs, rather than loaded and silently computed differently.
 */
import { countParameters, parseGPTConfig, type GPTConfig } from '../model/config';
import { FieldReader, isJsonObject, show } from './fields';
import { inFile, throwIfProblems } from './import-error';

/**
 * Larger models are refused: 50M float32 parameters are 200 MB of weights, and PPO holds a policy,
 * a frozen reference, a value model and Adam moments, roughly 5x that, more than a tab should take.
 */
export const MAX_IMPORT_PARAMS = 50_000_000;

/** Activations equal to the engine's geluTanh: HF names the same formula twice. */
const TANH_GELU = ['gelu_new', 'gelu_pytorch_tanh'] as const;
const MAX_DIMENSION = 2 ** 31 - 1;

export interface SpecialTokenIds {
  bos: number;
  eos: number;
  pad: number;
}

/** config.json for a GPTConfig: what `GPT2LMHeadModel.from_pretrained` needs to rebuild it. */
export function toHfConfig(config: GPTConfig, ids: SpecialTokenIds): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: config.vocabSize,
    n_positions: config.blockSize,
    n_ctx: config.blockSize,
    n_embd: config.nEmbd,
    n_layer: config.nLayer,
    n_head: config.nHead,
    n_inner: null,
    activation_function: 'gelu_new',
    // The engine trains without dropout; keeping it off makes the model behave the same there.
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    layer_norm_epsilon: config.layerNormEpsilon,
    initializer_range: config.initializerRange,
    scale_attn_weights: true,
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    use_cache: true,
    bos_token_id: ids.bos,
    eos_token_id: ids.eos,
    pad_token_id: ids.pad,
    tie_word_embeddings: true,
    torch_dtype: 'float32',
  };
}

function checkArchitecture(reader: FieldReader): void {
  reader.oneOf('model_type', ['gpt2'] as const);
  const architectures = reader.raw('architectures');
  if (architectures === undefined || architectures === null) return;
  if (!Array.isArray(architectures) || !architectures.includes('GPT2LMHeadModel')) {
    reader.problem({ code: 'HF_ARCHITECTURE', params: { got: show(architectures) } });
  }
}

/** Options that change the computation; each must have the value the engine implements. */
function checkVariant(reader: FieldReader, nEmbd: number | undefined): void {
  const activation = reader.raw('activation_function') ?? 'gelu_new';
  if (!TANH_GELU.includes(activation as (typeof TANH_GELU)[number])) {
    reader.problem({ code: 'HF_ACTIVATION', params: { got: show(activation) } });
  }
  const nInner = reader.raw('n_inner');
  if (nInner !== undefined && nInner !== null && nEmbd !== undefined && nInner !== 4 * nEmbd) {
    reader.problem({ code: 'HF_MLP_WIDTH', params: { got: show(nInner), width: 4 * nEmbd } });
  }
  const required: [string, boolean][] = [
    ['tie_word_embeddings', true],
    ['scale_attn_weights', true],
    ['scale_attn_by_inverse_layer_idx', false],
    ['add_cross_attention', false],
  ];
  for (const [name, expected] of required) {
    const value = reader.boolean(name, { optional: true });
    if (value !== undefined && value !== expected)
      reader.problem({ code: 'HF_FLAG', params: { field: name, expected, got: value } });
  }
}

/** The size fields, and the parameter cap. */
function readShape(reader: FieldReader): GPTConfig | null {
  const int = (name: string) => reader.integer(name, { min: 1, max: MAX_DIMENSION });
  const [vocabSize, blockSize, nEmbd, nLayer, nHead] = ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head'].map(
    int,
  );
  const layerNormEpsilon = reader.number('layer_norm_epsilon', { optional: true, positive: true }) ?? 1e-5;
  const initializerRange = reader.number('initializer_range', { optional: true, positive: true }) ?? 0.02;
  checkVariant(reader, nEmbd);
  if (
    vocabSize === undefined ||
    blockSize === undefined ||
    nEmbd === undefined ||
    nLayer === undefined ||
    nHead === undefined
  )
    return null;
  if (nEmbd % nHead !== 0) reader.problem({ code: 'HF_HEADS', params: { nEmbd, nHead } });
  const config: GPTConfig = { vocabSize, blockSize, nLayer, nHead, nEmbd, layerNormEpsilon, initializerRange };
  const params = countParameters(config);
  if (params > MAX_IMPORT_PARAMS) {
    reader.problem({ code: 'MODEL_TOO_LARGE', params: { params, limit: MAX_IMPORT_PARAMS } });
  }
  return config;
}

/**
 * Reads an untrusted config.json value (already JSON-parsed) into a GPTConfig. Throws
 * ImportError('BAD_CONFIG') listing every field that is missing, mistyped or unsupported.
 */
export function fromHfConfig(raw: unknown, source = 'config.json'): GPTConfig {
  if (!isJsonObject(raw))
    throwIfProblems(
      'BAD_CONFIG',
      source,
      inFile([{ code: 'NOT_AN_OBJECT', params: { what: 'file', got: show(raw) } }]),
    );
  const reader = new FieldReader(raw as Record<string, unknown>);
  checkArchitecture(reader);
  const config = readShape(reader);
  throwIfProblems('BAD_CONFIG', source, inFile(reader.problems));
  return parseGPTConfig(config, source);
}
