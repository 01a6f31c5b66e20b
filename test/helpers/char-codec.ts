import type { TextCodec } from '../../src/engine/generate/text';

/** A character-level codec over a-z, space and '.', with end-of-text = 31: a tokenizer-free stand-in. */
export const CHARS = 'abcdefghijklmnopqrstuvwxyz .';
export const CHAR_EOS = 31;

export const charCodec: TextCodec = {
  encode: (text) => [...text].map((ch) => CHARS.indexOf(ch)).filter((i) => i >= 0),
  decode: (ids) => ids.map((i) => (i < CHARS.length ? CHARS[i] : '')).join(''),
  eosId: CHAR_EOS,
};
