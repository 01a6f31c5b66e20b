/**
 * What defines a tokenizer, independent of file format: the model vocabulary, the merges in
 * priority order and the added (special) tokens. `Tokenizer` builds its lookup tables from this,
 * and tokenizer.json is written from and parsed into it.
 */
import type { Merge } from './merges';

/** Marks the end of a document; also what a model is trained to emit when it is done. */
export const EOS_TOKEN = '<|endoftext|>';
/** Fills batches to a common length; absent from GPT-2, where padding reuses the EOS id. */
export const PAD_TOKEN = '<|pad|>';

/** A token matched as a literal string before pre-tokenization, never split and never merged. */
export interface AddedToken {
  id: number;
  content: string;
}

export interface TokenizerSpec {
  /** tokenizer.json's `model.vocab`: byte-level token string -> id (may list added tokens too). */
  vocab: Map<string, number>;
  /** In priority order: the earlier a merge was learned, the earlier it applies. */
  merges: Merge[];
  /** Sorted by id; always contains EOS_TOKEN. */
  added: AddedToken[];
  /** Hugging Face's `ignore_merges`: a pre-token that is itself in the vocabulary skips merging. */
  ignoreMerges: boolean;
}
