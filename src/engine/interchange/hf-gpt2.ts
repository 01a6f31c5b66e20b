/**
 * A checkpoint as a Hugging Face GPT-2 directory, and back, so a model trained in the tab
 * continues in `transformers` and TRL:
 *
 *   config.json             GPT2Config (see hf-config.ts)
 *   model.safetensors       F32 weights named as GPT2LMHeadModel.save_pretrained names them
 *                           (`transformer.h.0.attn.c_attn.weight`, ...; Conv1D layout [in, out]);
 *                           the LM head is tied to `transformer.wte.weight`, so not written
 *   tokenizer.json          the byte-level BPE (Hugging Face `tokenizers` format)
 *   tokenizer_config.json   tells AutoTokenizer the special tokens
 *   generation_config.json  end-of-text and padding ids for `generate`
 *
 * Import takes such a directory as a map from file name to bytes. It also accepts the older
 * layout of the Hub's own `gpt2` (names without `transformer.`, causal-mask buffers
 * `h.N.attn.bias`) and an explicit `lm_head.weight` equal to the embedding; F16, BF16 and F64
 * weights are widened to float32.
 */
import { encodeCheckpoint } from '../checkpoint/checkpoint';
import type { TensorEntry } from '../checkpoint/safetensors';
import { decodeSafetensors, encodeSafetensors, toFloat32 } from '../checkpoint/safetensors';
import type { HfMissingHint } from '../../contract/file-messages';
import { EngineError, check } from '../errors';
import { countParameters, type GPTConfig } from '../model/config';
import { Tokenizer } from '../tokenizer/tokenizer';
import { FieldReader, isJsonObject, show } from './fields';
import { fromHfConfig, toHfConfig } from './hf-config';
import type { Message } from '../../contract/messages';
import { inFile, throwIfProblems } from './import-error';
import { gptWeights, readCheckpointWeights, type Weights } from './weights';

export type FileMap = ReadonlyMap<string, Uint8Array>;

export const HF_CONFIG = 'config.json';
export const HF_WEIGHTS = 'model.safetensors';
export const HF_TOKENIZER = 'tokenizer.json';
export const HF_TOKENIZER_CONFIG = 'tokenizer_config.json';
export const HF_GENERATION_CONFIG = 'generation_config.json';

/** A JSON file longer than this is not a config (tokenizer.json of a 1M-token vocabulary is ~60 MB). */
const MAX_JSON_BYTES = 64_000_000;
const TRANSFORMER_PREFIX = 'transformer.';
const LM_HEAD = 'lm_head.weight';
/** Causal-mask buffers older GPT-2 files carry; they are constants, not weights. */
const MASK_BUFFER = /^h\.\d+\.attn\.(masked_)?bias$/;

const utf8 = new TextEncoder();

function jsonFile(value: unknown): Uint8Array {
  return utf8.encode(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Converts our checkpoint bytes and its tokenizer into the files of a Hugging Face GPT-2
 * directory (file name -> bytes). Weights are copied bit for bit. Throws EngineError when the
 * checkpoint is bad or the tokenizer is not the one it was trained with.
 */
export function exportHfGpt2(
  checkpoint: Uint8Array,
  tokenizer: Tokenizer,
  source = 'checkpoint',
): Map<string, Uint8Array> {
  const { config, metadata, weights } = readCheckpointWeights(checkpoint, source);
  check(tokenizer.fingerprint() === metadata.tokenizerFingerprint, 'BAD_TOKENIZER', {
    code: 'TOKENIZER_MISMATCH',
    params: { file: source, expected: metadata.tokenizerFingerprint, given: tokenizer.fingerprint() },
  });
  check(tokenizer.vocabSize === config.vocabSize, 'BAD_TOKENIZER', {
    code: 'VOCAB_MISMATCH',
    params: { file: source, tokenizer: tokenizer.vocabSize, model: config.vocabSize },
  });
  const ids = { bos: tokenizer.eosId, eos: tokenizer.eosId, pad: tokenizer.padId };
  const eos = tokenizer.idToToken(tokenizer.eosId);
  return new Map([
    [HF_CONFIG, jsonFile(toHfConfig(config, ids))],
    // transformers refuses a safetensors file whose metadata lacks format "pt".
    [HF_WEIGHTS, encodeSafetensors(weights, { format: 'pt' })],
    [HF_TOKENIZER, jsonFile(tokenizer.toJSON())],
    [
      HF_TOKENIZER_CONFIG,
      jsonFile({
        tokenizer_class: 'PreTrainedTokenizerFast',
        bos_token: eos,
        eos_token: eos,
        unk_token: eos,
        pad_token: tokenizer.idToToken(tokenizer.padId),
        model_max_length: config.blockSize,
        add_prefix_space: false,
        clean_up_tokenization_spaces: false,
      }),
    ],
    [
      HF_GENERATION_CONFIG,
      jsonFile({
        bos_token_id: ids.bos,
        eos_token_id: ids.eos,
        pad_token_id: ids.pad,
        do_sample: true,
        max_length: config.blockSize,
      }),
    ],
  ]);
}

/** Says what is missing, with the likely reason (a sharded, PyTorch-only or slow-tokenizer save). */
function checkFiles(files: FileMap, source: string): void {
  const problems: Message[] = [];
  const missing = (file: string, hint: HfMissingHint | null): void => {
    problems.push({ code: 'HF_FILE_MISSING', params: { file, hint } });
  };
  if (!files.has(HF_CONFIG)) missing(HF_CONFIG, null);
  if (!files.has(HF_WEIGHTS)) {
    if (files.has('model.safetensors.index.json')) missing(HF_WEIGHTS, 'sharded');
    else if (files.has('pytorch_model.bin')) missing(HF_WEIGHTS, 'pytorchOnly');
    else missing(HF_WEIGHTS, null);
  }
  if (!files.has(HF_TOKENIZER)) {
    const slow = files.has('vocab.json') && files.has('merges.txt');
    missing(HF_TOKENIZER, slow ? 'slowTokenizer' : null);
  }
  throwIfProblems('BAD_CHECKPOINT', source, inFile(problems));
}

function parseJson(files: FileMap, name: string, source: string): unknown {
  const bytes = files.get(name)!;
  const where = `${source}/${name}`;
  if (bytes.length > MAX_JSON_BYTES)
    throwIfProblems(
      'BAD_CONFIG',
      where,
      inFile([{ code: 'JSON_TOO_LARGE', params: { bytes: bytes.length, limit: MAX_JSON_BYTES } }]),
    );
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : null;
    throw new EngineError(name === HF_TOKENIZER ? 'BAD_TOKENIZER' : 'BAD_CONFIG', {
      code: 'FILE_NOT_JSON',
      params: { file: where, detail },
    });
  }
}

/** generation_config.json is optional; when present its token ids must at least be integers. */
function checkGenerationConfig(files: FileMap, source: string, vocabSize: number): void {
  if (!files.has(HF_GENERATION_CONFIG)) return;
  const raw = parseJson(files, HF_GENERATION_CONFIG, source);
  if (!isJsonObject(raw))
    throwIfProblems(
      'BAD_CONFIG',
      `${source}/${HF_GENERATION_CONFIG}`,
      inFile([{ code: 'NOT_AN_OBJECT', params: { what: 'file', got: show(raw) } }]),
    );
  const reader = new FieldReader(raw as Record<string, unknown>);
  for (const name of ['bos_token_id', 'eos_token_id', 'pad_token_id']) {
    if (!Array.isArray(reader.raw(name))) reader.integer(name, { optional: true, min: 0, max: vocabSize - 1 });
  }
  throwIfProblems('BAD_CONFIG', `${source}/${HF_GENERATION_CONFIG}`, inFile(reader.problems));
}

function readTokenizer(files: FileMap, source: string, config: GPTConfig): Tokenizer {
  const tokenizer = Tokenizer.fromJSON(parseJson(files, HF_TOKENIZER, source));
  check(tokenizer.vocabSize === config.vocabSize, 'BAD_TOKENIZER', {
    code: 'HF_VOCAB_MISMATCH',
    params: { file: source, tokenizer: tokenizer.vocabSize, vocabSize: config.vocabSize },
  });
  return tokenizer;
}

/** Tensors renamed to our names; the LM head, if any, set aside; mask buffers dropped. */
function renameTensors(
  tensors: ReadonlyMap<string, TensorEntry>,
  source: string,
): { ours: Map<string, TensorEntry>; lmHead: TensorEntry | undefined } {
  const ours = new Map<string, TensorEntry>();
  const problems: Message[] = [];
  let lmHead: TensorEntry | undefined;
  for (const [name, entry] of tensors) {
    if (name === LM_HEAD) lmHead = entry;
    const bare = name.startsWith(TRANSFORMER_PREFIX) ? name.slice(TRANSFORMER_PREFIX.length) : name;
    if (name === LM_HEAD || MASK_BUFFER.test(bare)) continue;
    const ourName = TRANSFORMER_PREFIX + bare;
    if (ours.has(ourName)) problems.push({ code: 'TENSOR_TWICE', params: { tensor: bare } });
    ours.set(ourName, entry);
  }
  throwIfProblems('BAD_CHECKPOINT', `${source}/${HF_WEIGHTS}`, inFile(problems));
  return { ours, lmHead };
}

/** An explicit LM head must equal the embedding: the engine's head is tied to it. */
function checkTiedHead(lmHead: TensorEntry | undefined, weights: Weights, source: string): void {
  if (lmHead === undefined) return;
  const wte = weights.get('transformer.wte.weight')!;
  check(lmHead.shape.join() === wte.shape.join(), 'BAD_CHECKPOINT', {
    code: 'TENSOR_SHAPE',
    params: { file: source, tensor: LM_HEAD, shape: lmHead.shape, expected: wte.shape },
  });
  const head = toFloat32(lmHead, LM_HEAD, source);
  const same = head.every((v, i) => Object.is(v, wte.data[i]));
  check(same, 'BAD_CHECKPOINT', { code: 'LM_HEAD_UNTIED', params: { file: source } });
}

export interface HfImportOptions {
  /** Name kept in the checkpoint's metadata. */
  name: string;
  /** ISO time written as the checkpoint's creation time. */
  createdAt: string;
  /** The directory's name, for messages. */
  source?: string;
}

export interface HfImport {
  config: GPTConfig;
  tokenizer: Tokenizer;
  /** Our checkpoint file, ready for `loadCheckpoint` with `tokenizer`. */
  checkpoint: Uint8Array;
  paramCount: number;
  /** The dtypes the weights were stored in (e.g. ["F16"]). */
  sourceDtypes: string[];
}

/**
 * Reads a Hugging Face GPT-2 directory (file name -> bytes) and converts it to our checkpoint.
 * Throws EngineError (ImportError for lists of problems) naming the file and what is wrong: a
 * missing file, another architecture or activation, a model over MAX_IMPORT_PARAMS, a tokenizer
 * whose size differs from vocab_size, bad safetensors, or a tensor of the wrong shape.
 */
export function importHfGpt2(files: FileMap, options: HfImportOptions): HfImport {
  const source = options.source ?? 'model directory';
  checkFiles(files, source);
  const config = fromHfConfig(parseJson(files, HF_CONFIG, source), `${source}/${HF_CONFIG}`);
  const tokenizer = readTokenizer(files, source, config);
  checkGenerationConfig(files, source, config.vocabSize);
  const where = `${source}/${HF_WEIGHTS}`;
  const file = decodeSafetensors(files.get(HF_WEIGHTS)!, where);
  const { ours, lmHead } = renameTensors(file.tensors, source);
  const weights = gptWeights(ours, config, where);
  checkTiedHead(lmHead, weights, where);
  const sourceDtypes = [...new Set([...ours.values()].map((t) => t.dtype))].sort();
  const info = { source: 'huggingface', dtypes: sourceDtypes };
  const checkpoint = encodeCheckpoint(weights, config, {
    name: options.name,
    tokenizerFingerprint: tokenizer.fingerprint(),
    createdAt: options.createdAt,
    info,
  });
  return { config, tokenizer, checkpoint, paramCount: countParameters(config), sourceDtypes };
}
