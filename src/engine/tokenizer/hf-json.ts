/**
 * The Hugging Face `tokenizers` file format (tokenizer.json) for a byte-level BPE, as GPT-2's
 * tokenizer.json writes it, so a vocabulary trained here loads in Python with
 * `Tokenizer.from_file` and GPT-2's own file loads here.
 */
import type { TokenizerSpec } from './spec';

export interface HfAddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** The ByteLevel pre-tokenizer / post-processor / decoder block. */
export interface HfByteLevel {
  type: 'ByteLevel';
  add_prefix_space: boolean;
  trim_offsets: boolean;
  use_regex: boolean;
}

export interface HfBpeModel {
  type: 'BPE';
  dropout: null;
  unk_token: null;
  continuing_subword_prefix: null;
  end_of_word_suffix: null;
  fuse_unk: boolean;
  byte_fallback: boolean;
  ignore_merges: boolean;
  /** Byte-level token string -> id. */
  vocab: Record<string, number>;
  /** [left, right] byte-level strings, highest priority first. */
  merges: [string, string][];
}

export interface HfTokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: HfAddedToken[];
  normalizer: null;
  pre_tokenizer: HfByteLevel;
  post_processor: HfByteLevel;
  decoder: HfByteLevel;
  model: HfBpeModel;
}

/** Writes `spec` in tokenizer.json layout, with vocab entries in id order. */
export function toHfJson(spec: TokenizerSpec): HfTokenizerJson {
  const entries = [...spec.vocab].sort((a, b) => a[1] - b[1]);
  const tokenOf = new Map(entries.map(([token, id]) => [id, token]));
  const part = (id: number): string => tokenOf.get(id) ?? '';
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: spec.added.map(({ id, content }) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: spec.ignoreMerges,
      // fromEntries defines own properties, so even a token spelled "__proto__" survives.
      vocab: Object.fromEntries(entries),
      merges: spec.merges.map(({ left, right }) => [part(left), part(right)]),
    },
  };
}
