/**
 * A byte-level BPE tokenizer, compatible with Hugging Face's tokenizer.json (GPT-2 style).
 *
 * Encoding: special-token strings are cut out first and become their ids; the text between them
 * is cut into GPT-2 pre-tokens; each pre-token is spelled as UTF-8 bytes and merged. Since every
 * byte has a token, any string encodes, and decoding concatenates the tokens' bytes, so
 * `decode(encode(s)) === s` for every well-formed string.
 */
import { check } from '../errors';
import { BYTE_TO_CHAR, bytesToSymbols, symbolsToBytes } from './bytes';
import { fnv1a64 } from './fingerprint';
import { type HfTokenizerJson, toHfJson } from './hf-json';
import { parseHfJson } from './hf-parse';
import { MergeTable } from './merges';
import { forEachPretoken, SpecialSplitter } from './pretokenize';
import { EOS_TOKEN, PAD_TOKEN, type TokenizerSpec } from './spec';
import { trainBpe } from './train';

/** The 256 byte tokens plus the two special tokens. */
export const MIN_VOCAB_SIZE = 258;
/** Far above any useful size here; keeps pair keys (id * size + id) exact in a double. */
export const MAX_VOCAB_SIZE = 1 << 20;
/** Distinct pre-tokens remembered by encode before the cache starts over (bounds its memory). */
const CACHE_MAX_ENTRIES = 100_000;
/** Longer pre-tokens are rare repeats; caching them would only hold memory. */
const CACHE_MAX_PIECE_LENGTH = 64;

export interface TrainTokenizerOptions {
  /** Total vocabulary: 256 bytes + learned merges + `<|endoftext|>` + `<|pad|>`. */
  vocabSize: number;
  /** Progress over the merges to learn: done of total. */
  onProgress?: (done: number, total: number) => void;
}

/** Ids run 0..n-1 without gaps (checked when parsing); n is one more than the largest. */
function idCount(spec: TokenizerSpec): number {
  let largest = -1;
  for (const id of spec.vocab.values()) largest = Math.max(largest, id);
  for (const { id } of spec.added) largest = Math.max(largest, id);
  return largest + 1;
}

export class Tokenizer {
  readonly vocabSize: number;
  /** Id of `<|endoftext|>`. */
  readonly eosId: number;
  /** Id of `<|pad|>`, or `eosId` for files without one (GPT-2). */
  readonly padId: number;
  private readonly spec: TokenizerSpec;
  /** Token string by id: the byte-level spelling, or the content of an added token. */
  private readonly tokenById: string[];
  private readonly bytesById: Uint8Array[];
  private readonly specialIds: Map<string, number>;
  /** Token id of each single byte. */
  private readonly byteIds: Int32Array;
  private readonly mergeTable: MergeTable;
  private readonly splitter: SpecialSplitter;
  private readonly cache = new Map<string, readonly number[]>();
  private readonly utf8Encoder = new TextEncoder();
  // Lossy on purpose (HF does the same): model samples can end mid-character. A full encode always
  // decodes to whole UTF-8, and ignoreBOM keeps a leading U+FEFF instead of eating it.
  private readonly utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private fingerprintMemo: string | null = null;

  private constructor(spec: TokenizerSpec) {
    this.spec = spec;
    this.specialIds = new Map(spec.added.map(({ id, content }) => [content, id]));
    this.vocabSize = idCount(spec);
    this.tokenById = new Array<string>(this.vocabSize);
    for (const [token, id] of spec.vocab) this.tokenById[id] = token;
    for (const { id, content } of spec.added) this.tokenById[id] = content;
    this.bytesById = this.tokenById.map((token, id) => this.tokenBytes(token, id));
    // Present for every byte: checked when parsing, and the first 256 ids when training.
    this.byteIds = Int32Array.from(BYTE_TO_CHAR, (char) => spec.vocab.get(char) ?? -1);
    this.mergeTable = new MergeTable(spec.merges, this.vocabSize);
    this.splitter = new SpecialSplitter(this.specialIds);
    const eosId = this.specialIds.get(EOS_TOKEN);
    // Parsing and training both guarantee it: an internal invariant, not a user's error.
    if (eosId === undefined) throw new Error(`the tokenizer has no ${EOS_TOKEN} token`);
    this.eosId = eosId;
    this.padId = this.specialIds.get(PAD_TOKEN) ?? eosId;
  }

  /**
   * Trains a byte-level BPE on `text` (one document, or several that no merge may span) up to
   * exactly `options.vocabSize` tokens: 256 bytes, the learned merges, then `<|endoftext|>` and
   * `<|pad|>`.
   */
  static train(text: string | readonly string[], options: TrainTokenizerOptions): Tokenizer {
    const { vocabSize, onProgress } = options;
    // At least 256 bytes + 2 special tokens.
    check(Number.isInteger(vocabSize) && vocabSize >= MIN_VOCAB_SIZE && vocabSize <= MAX_VOCAB_SIZE, 'BAD_ARGUMENT', {
      code: 'NUMBER_BETWEEN',
      params: {
        file: null,
        field: 'vocabSize',
        got: String(vocabSize),
        min: MIN_VOCAB_SIZE,
        max: MAX_VOCAB_SIZE,
        integer: true,
        zeroTurnsOff: false,
      },
    });
    const docs = typeof text === 'string' ? [text] : text;
    check(Array.isArray(docs) && docs.every((doc) => typeof doc === 'string'), 'BAD_CORPUS', {
      code: 'TOKENIZER_CORPUS',
      params: { problem: 'notText' },
    });
    check(
      docs.some((doc) => doc.length > 0),
      'BAD_CORPUS',
      { code: 'TOKENIZER_CORPUS', params: { problem: 'empty' } },
    );
    const specials = [EOS_TOKEN, PAD_TOKEN];
    const modelSize = vocabSize - specials.length;
    const { tokens, merges } = trainBpe(docs, { modelSize, specials, onProgress });
    const added = specials.map((content, i) => ({ id: modelSize + i, content }));
    // Listed in model.vocab too, as GPT-2's tokenizer.json lists <|endoftext|>.
    const vocab = new Map(tokens.map((token, id) => [token, id]));
    for (const { id, content } of added) vocab.set(content, id);
    return new Tokenizer({ vocab, merges, added, ignoreMerges: false });
  }

  /** Loads a Hugging Face tokenizer.json (already JSON-parsed); throws BAD_TOKENIZER naming the bad field. */
  static fromJSON(json: unknown): Tokenizer {
    return new Tokenizer(parseHfJson(json));
  }

  /** The tokenizer.json object (pass it to JSON.stringify). */
  toJSON(): HfTokenizerJson {
    return toHfJson(this.spec);
  }

  /** Text -> token ids: [len(text)] -> [T]. Special-token strings in `text` become their ids. */
  encode(text: string): number[] {
    const ids: number[] = [];
    const encodeText = (stretch: string): void =>
      forEachPretoken(stretch, (piece) => {
        for (const id of this.encodePiece(piece)) ids.push(id);
      });
    this.splitter.split(text, encodeText, (id) => ids.push(id));
    return ids;
  }

  /** Token ids -> text: [T] -> string. Bytes that do not form whole characters become U+FFFD. */
  decode(ids: readonly number[]): string {
    return this.utf8Decoder.decode(this.decodeBytes(ids));
  }

  /** Token ids -> the UTF-8 bytes they spell, for callers that decode a stream themselves. */
  decodeBytes(ids: readonly number[]): Uint8Array {
    let length = 0;
    ids.forEach((id, i) => {
      check(this.isId(id), 'BAD_ARGUMENT', {
        code: 'TOKEN_ID_OUT_OF_RANGE',
        params: { source: 'decode', document: null, position: i, token: id, vocabSize: this.vocabSize },
      });
      length += this.bytesById[id].length;
    });
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const id of ids) {
      bytes.set(this.bytesById[id], offset);
      offset += this.bytesById[id].length;
    }
    return bytes;
  }

  /** The token's string as tokenizer.json spells it ("Ġthe" for " the"), or a special's content. */
  idToToken(id: number): string {
    check(this.isId(id), 'BAD_ARGUMENT', {
      code: 'TOKEN_ID_OUT_OF_RANGE',
      params: { source: 'idToToken', document: null, position: null, token: id, vocabSize: this.vocabSize },
    });
    return this.tokenById[id];
  }

  /** The id of a token spelled as tokenizer.json spells it, or undefined when there is none. */
  tokenToId(token: string): number | undefined {
    return this.specialIds.get(token) ?? this.spec.vocab.get(token);
  }

  /** True for the ids of added tokens (`<|endoftext|>`, `<|pad|>`). */
  isSpecial(id: number): boolean {
    return this.isId(id) && this.specialIds.get(this.tokenById[id]) === id;
  }

  /** 16 hex digits naming this vocabulary and its merges; equal tokenizers give equal fingerprints. */
  fingerprint(): string {
    if (this.fingerprintMemo === null) {
      const canonical = JSON.stringify({
        vocab: [...this.spec.vocab].sort((a, b) => a[1] - b[1]),
        merges: this.spec.merges.map(({ left, right }) => [left, right]),
        added: this.spec.added.map(({ id, content }) => [id, content]),
        ignoreMerges: this.spec.ignoreMerges,
      });
      this.fingerprintMemo = fnv1a64(this.utf8Encoder.encode(canonical));
    }
    return this.fingerprintMemo;
  }

  private isId(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.vocabSize;
  }

  private tokenBytes(token: string, id: number): Uint8Array {
    if (this.specialIds.get(token) === id) return this.utf8Encoder.encode(token);
    const bytes = symbolsToBytes(token);
    // Parsing checks every model token spells bytes, and training only makes such tokens.
    if (bytes === null) throw new Error(`token ${id} is not a byte-level string`);
    return bytes;
  }

  /** One pre-token -> its ids, through the cache. */
  private encodePiece(piece: string): readonly number[] {
    const cached = this.cache.get(piece);
    if (cached !== undefined) return cached;
    const bytes = this.utf8Encoder.encode(piece);
    const whole = this.spec.ignoreMerges ? this.spec.vocab.get(bytesToSymbols(bytes)) : undefined;
    const ids = whole !== undefined ? [whole] : this.mergeTable.apply(Array.from(bytes, (byte) => this.byteIds[byte]));
    if (piece.length <= CACHE_MAX_PIECE_LENGTH) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
      this.cache.set(piece, ids);
    }
    return ids;
  }
}
