import { describe, expect, it } from 'vitest';
import type { MessageCode, TokenizerJsonProblem } from '../../src/contract/messages';
import { EngineError } from '../../src/engine/errors';
import { Rng } from '../../src/engine/rng';
import { pretokenize } from '../../src/engine/tokenizer/pretokenize';
import { StreamDecoder } from '../../src/engine/tokenizer/stream';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import type { HfTokenizerJson } from '../../src/engine/tokenizer/hf-json';
import { thrownSentence } from '../helpers/sentence';

const ENGLISH = `The river ran past the mill and under the old stone bridge, and the children of the
village walked along the bank every morning on the way to the school at the top of the hill. The
teacher was a tall woman who liked the river more than the hill, and she often said that the water
knew the way home better than any of them. In the spring the river was loud and brown; in the
summer it was slow and green, and the boys threw stones at the ducks while the girls counted the
fish under the bridge. The miller didn't like the noise. He'd shout from the window of the mill
that the fish were his, that the ducks were his, and that the river, if they asked him, was his
too. Nobody asked him. The children laughed and ran up the hill, and the teacher rang the bell,
and the day began the way every day began in the village: with the river, the bridge, the hill
and the bell. In the autumn the leaves fell into the water and the river carried them past the
mill, past the bridge, past the last house of the village and out into the fields, where the
cows watched them go. They're going to the sea, the teacher said, and the children believed her,
because she was the teacher and because the river had never told them otherwise. In the winter
the river froze at the edges, and the miller stood on the bridge with his hands in his pockets
and looked at the ice for a long time, as if he'd lost something in it. 1887 was the cold year;
1888 was the year the bridge was rebuilt. We've heard the story many times, and we'll hear it
again, because it's the story the village tells when the nights are long.
`;

const EOS = '<|endoftext|>';
const PAD = '<|pad|>';

function englishTokenizer(vocabSize = 400): Tokenizer {
  return Tokenizer.train(ENGLISH, { vocabSize });
}

/** Expects `run` to throw an EngineError of `code` whose message is `detail` (matched as a subset). */
function expectEngineError(run: () => unknown, code: string, detail?: { code: MessageCode; params?: object }): void {
  let caught: unknown = null;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EngineError);
  const error = caught as EngineError;
  expect(error.code).toBe(code);
  if (detail) expect(error.detail).toMatchObject(detail);
}

/**
 * GPT-2's byte -> character rule (encoder.py's bytes_to_unicode), written out again here as the
 * reference: printable Latin-1 bytes map to themselves, the other 68 go to U+0100... in byte order.
 * GPT-2's vocabulary gives the 188 printable ones ids 0..187, then the others 188..255.
 */
const isPrintableByte = (b: number): boolean => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
const REF_BYTE_CHARS: string[] = [];
const REF_GPT2_BYTE_IDS: number[] = [];
{
  let printable = 0;
  let other = 0;
  for (let b = 0; b < 256; b++) {
    REF_BYTE_CHARS.push(String.fromCharCode(isPrintableByte(b) ? b : 256 + other));
    REF_GPT2_BYTE_IDS.push(isPrintableByte(b) ? printable++ : 188 + other++);
  }
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Encoding by the textbook rule, on strings: merge the lowest-ranked adjacent pair, leftmost first. */
function referenceEncode(json: HfTokenizerJson, text: string): number[] {
  const rank = new Map(json.model.merges.map(([a, b], i) => [`${a} ${b}`, i]));
  const ids: number[] = [];
  for (const piece of pretokenize(text)) {
    const symbols = Array.from(utf8(piece), (b) => REF_BYTE_CHARS[b]);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const r = rank.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (r !== undefined && r < bestRank) [best, bestRank] = [i, r];
      }
      if (best < 0) break;
      symbols.splice(best, 2, symbols[best] + symbols[best + 1]);
    }
    ids.push(...symbols.map((s) => json.model.vocab[s]));
  }
  return ids;
}

/**
 * Training by the textbook loop: recount every pair of every word after each merge, take the most
 * frequent (ties: smaller left id, then smaller right id). Ids: byte b is b, new tokens follow.
 */
function referenceMerges(docs: string[], modelSize: number): [number, number][] {
  const counts = new Map<string, number>();
  for (const doc of docs) for (const piece of pretokenize(doc)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
  const words = [...counts].map(([piece, freq]) => ({ symbols: Array.from(utf8(piece)), freq }));
  const spelled = Array.from({ length: 256 }, (_, b) => String(b));
  const merges: [number, number][] = [];
  while (spelled.length < modelSize) {
    const pairs = new Map<string, number>();
    for (const { symbols, freq } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]},${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + freq);
      }
    }
    const ranked = [...pairs].map(([key, count]) => [...key.split(',').map(Number), count]);
    ranked.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
    if (ranked.length === 0) break;
    const [left, right] = ranked[0];
    const spelling = `${spelled[left]},${spelled[right]}`;
    let result = spelled.indexOf(spelling);
    if (result < 0) result = spelled.push(spelling) - 1;
    merges.push([left, right]);
    for (const word of words) {
      const out: number[] = [];
      for (let i = 0; i < word.symbols.length; i++) {
        const hit = word.symbols[i] === left && word.symbols[i + 1] === right;
        out.push(hit ? result : word.symbols[i]);
        if (hit) i++;
      }
      word.symbols = out;
    }
  }
  return merges;
}

function mergeIds(json: HfTokenizerJson): [number, number][] {
  return json.model.merges.map(([a, b]) => [json.model.vocab[a], json.model.vocab[b]]);
}

const WHITESPACE = [0x09, 0x0a, 0x0d, 0x20, 0x20, 0x20, 0xa0, 0x2028, 0x3000, 0xfeff, 0x00, 0x1b, 0x7f, 0x85];

/** One code point from a mix of ranges: any plane (no lone surrogates), ASCII, emoji, marks, CJK, spaces. */
function randomCodePoint(rng: Rng, kind: number): number {
  switch (kind) {
    case 0: {
      const cp = rng.int(0x110000 - 0x800);
      return cp < 0xd800 ? cp : cp + 0x800;
    }
    case 1:
      return 0x20 + rng.int(0x5f);
    case 2:
      return 0x1f300 + rng.int(0x800);
    case 3:
      return 0x300 + rng.int(0x70);
    case 4:
      return 0x4e00 + rng.int(0x5200);
    default:
      return WHITESPACE[rng.int(WHITESPACE.length)];
  }
}

const INSERTS = ['\r\n', EOS, PAD, "'s", "'ll", '    ', '👩‍👩‍👧', 'e\u0301', ' the', '<|', '|>', '123'];

/** A well-formed string of runs: each run repeats one kind of code point, with odd pieces inserted. */
function randomString(rng: Rng): string {
  let text = '';
  const runs = rng.int(8);
  for (let r = 0; r < runs; r++) {
    if (rng.next() < 0.25) text += INSERTS[rng.int(INSERTS.length)];
    const kind = rng.int(6);
    const length = 1 + rng.int(12);
    for (let i = 0; i < length; i++) text += String.fromCodePoint(randomCodePoint(rng, kind));
  }
  return text;
}

describe('pretokenize', () => {
  it('splits like GPT-2: contractions, letters, digits, symbols, and a space run keeps its last space', () => {
    expect(pretokenize("Hello world's  end, 123 abc!!  \n\n x")).toEqual([
      'Hello',
      ' world',
      "'s",
      ' ',
      ' end',
      ',',
      ' 123',
      ' abc',
      '!!',
      '  \n\n',
      ' x',
    ]);
    expect(pretokenize('naïve 東京 ٣٤')).toEqual(['naïve', ' 東京', ' ٣٤']);
  });
});

describe('Tokenizer.train', () => {
  it('reaches exactly the requested vocab size, with the two specials last', () => {
    const tok = englishTokenizer(400);
    expect(tok.vocabSize).toBe(400);
    expect([tok.eosId, tok.padId]).toEqual([398, 399]);
    expect([tok.idToToken(398), tok.idToToken(399)]).toEqual([EOS, PAD]);
    expect([tok.isSpecial(398), tok.isSpecial(399), tok.isSpecial(0)]).toEqual([true, true, false]);
    const ids = Object.values(tok.toJSON().model.vocab).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });

  it('makes common words single tokens', () => {
    const tok = englishTokenizer(400);
    const the = tok.tokenToId('Ġthe');
    expect(the).toBeDefined();
    expect(tok.encode(' the')).toEqual([the]);
    expect(tok.encode(' river').length).toBe(1);
    // Rare text falls back towards bytes but still encodes.
    expect(tok.encode(' zyzzyva').length).toBeGreaterThan(2);
  });

  it('is deterministic', () => {
    const a = englishTokenizer(350);
    const b = englishTokenizer(350);
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(b.fingerprint()).toBe(a.fingerprint());
    expect(englishTokenizer(351).fingerprint()).not.toBe(a.fingerprint());
  });

  it('learns the same merges as a from-scratch recount after every merge', () => {
    const tok = englishTokenizer(450);
    expect(mergeIds(tok.toJSON())).toEqual(referenceMerges([ENGLISH], 448));
    // Small random corpora, many ties and overlapping pairs ("aaa").
    const rng = new Rng(11);
    for (let trial = 0; trial < 5; trial++) {
      const docs = Array.from({ length: 1 + rng.int(4) }, () =>
        Array.from({ length: 200 }, () => 'ab a\n'[rng.int(5)] + (rng.next() < 0.1 ? 'é' : '')).join(''),
      );
      const merges = referenceMerges(docs, 256 + 20);
      const trained = Tokenizer.train(docs, { vocabSize: 256 + 20 + 2 });
      expect(mergeIds(trained.toJSON())).toEqual(merges);
    }
  });

  it('never merges across documents given as an array', () => {
    const joined = Tokenizer.train('xqzw', { vocabSize: 261 });
    expect(joined.tokenToId('qz')).toBeDefined();
    const apart = Tokenizer.train(['xq', 'zw'], { vocabSize: 260 });
    expect(apart.tokenToId('xq')).toBeDefined();
    expect(apart.tokenToId('zw')).toBeDefined();
    expect(apart.tokenToId('qz')).toBeUndefined();
    // Only two pairs exist across the documents, so a third merge cannot be learned.
    expectEngineError(() => Tokenizer.train(['xq', 'zw'], { vocabSize: 261 }), 'BAD_CORPUS', {
      code: 'TOKENIZER_VOCAB_UNREACHABLE',
      params: { reachable: 260, asked: 261 },
    });
  });

  it('treats special-token strings in the corpus as separators, not text', () => {
    const tok = Tokenizer.train(`ab${EOS}ab${EOS}cd`, { vocabSize: 260 });
    expect(tok.tokenToId('ab')).toBeDefined();
    expect(tok.tokenToId('cd')).toBeDefined();
    expect(tok.tokenToId('<|')).toBeUndefined();
  });

  it('reports progress up to the number of merges', () => {
    const calls: [number, number][] = [];
    Tokenizer.train(ENGLISH, { vocabSize: 358, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.every(([, total]) => total === 100)).toBe(true);
    expect(calls.map(([done]) => done)).toEqual([...calls.map(([done]) => done)].sort((a, b) => a - b));
    expect(calls[calls.length - 1]).toEqual([100, 100]);
  });

  it('rejects bad vocab sizes and empty text', () => {
    for (const vocabSize of [257, 0, -5, 300.5, Number.NaN]) {
      expectEngineError(() => Tokenizer.train(ENGLISH, { vocabSize }), 'BAD_ARGUMENT', {
        code: 'NUMBER_BETWEEN',
        params: { field: 'vocabSize', got: String(vocabSize), min: 258, integer: true },
      });
    }
    for (const text of ['', [], ['', '']]) {
      expectEngineError(() => Tokenizer.train(text, { vocabSize: 300 }), 'BAD_CORPUS', {
        code: 'TOKENIZER_CORPUS',
        params: { problem: 'empty' },
      });
    }
    expectEngineError(() => Tokenizer.train(EOS, { vocabSize: 300 }), 'BAD_CORPUS', {
      code: 'TOKENIZER_CORPUS',
      params: { problem: 'onlySpecialTokens' },
    });
  });

  it('trains 2048 tokens on ~1 MB in seconds and encodes 1 MB well under 5 s', () => {
    const rng = new Rng(5);
    const known = ENGLISH.split(/\s+/).filter((w) => w.length > 0);
    const syllables = ['ka', 'to', 'ri', 'en', 'and', 'ing', 'st', 'ou', 'ar', 'el', 'mi', 'ne', 'qu', 'th', 'er'];
    const made = Array.from({ length: 20000 }, () =>
      Array.from({ length: 1 + rng.int(4) }, () => syllables[rng.int(syllables.length)]).join(''),
    );
    const words = [...known, ...made];
    const parts: string[] = [];
    let length = 0;
    while (length < 1_000_000) {
      const word = words[Math.floor(words.length * rng.next() ** 3)];
      const part = word + (rng.next() < 0.08 ? '.\n' : ' ');
      parts.push(part);
      length += part.length;
    }
    const corpus = parts.join('');
    let start = performance.now();
    const tok = Tokenizer.train(corpus, { vocabSize: 2048 });
    const trainMs = performance.now() - start;
    start = performance.now();
    const ids = tok.encode(corpus);
    const encodeMs = performance.now() - start;
    expect(tok.vocabSize).toBe(2048);
    expect(trainMs).toBeLessThan(5000);
    expect(encodeMs).toBeLessThan(5000);
    expect(ids.length).toBeLessThan(corpus.length / 3);
    expect(tok.decode(ids)).toBe(corpus);
  });
});

describe('encode / decode', () => {
  const tok = englishTokenizer(400);

  it('round-trips 600 random well-formed strings from all planes', () => {
    const rng = new Rng(2024);
    for (let i = 0; i < 600; i++) {
      const text = randomString(rng);
      const ids = tok.encode(text);
      expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id < tok.vocabSize)).toBe(true);
      expect(tok.decode(ids)).toBe(text);
    }
  });

  it('round-trips edge cases: BOM first, \\r\\n, NUL, the special strings themselves', () => {
    const cases = [
      '',
      '\uFEFF',
      '\uFEFFhi',
      'a\r\nb\r\n',
      '\0\0',
      EOS,
      PAD + EOS,
      `${EOS}${EOS}`,
      '<|endoftext',
      '𝄞💩ĀĀ',
    ];
    for (const text of cases) expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('merges each pre-token exactly as the textbook rule does', () => {
    const json = tok.toJSON();
    const rng = new Rng(3);
    const texts = [ENGLISH, ' the theatre thethe aaaa   \n\n  x', "we'll they're it's"];
    for (let i = 0; i < 100; i++) texts.push(randomString(rng).replaceAll(EOS, '').replaceAll(PAD, ''));
    for (const text of texts) expect(tok.encode(text)).toEqual(referenceEncode(json, text));
  });

  it('encodes special-token strings as their ids', () => {
    const ids = tok.encode(`the end${EOS}${PAD} the`);
    expect(ids.filter((id) => id === tok.eosId)).toHaveLength(1);
    expect(ids.filter((id) => id === tok.padId)).toHaveLength(1);
    expect(ids.indexOf(tok.padId)).toBe(ids.indexOf(tok.eosId) + 1);
    expect(tok.decode([tok.eosId])).toBe(EOS);
  });

  it('throws BAD_ARGUMENT naming an unknown id', () => {
    const outside = (source: string, position: number | null, token: number) => ({
      code: 'TOKEN_ID_OUT_OF_RANGE' as const,
      params: { source, document: null, position, token, vocabSize: tok.vocabSize },
    });
    expectEngineError(() => tok.decode([1, 2, 400]), 'BAD_ARGUMENT', outside('decode', 2, 400));
    expectEngineError(() => tok.decode([-1]), 'BAD_ARGUMENT', outside('decode', 0, -1));
    expectEngineError(() => tok.decode([1.5]), 'BAD_ARGUMENT', outside('decode', 0, 1.5));
    expectEngineError(() => tok.idToToken(9999), 'BAD_ARGUMENT', outside('idToToken', null, 9999));
  });

  it('idToToken and tokenToId are inverses, in GPT-2 spelling', () => {
    for (let id = 0; id < tok.vocabSize; id++) expect(tok.tokenToId(tok.idToToken(id))).toBe(id);
    expect(tok.idToToken(tok.encode(' ')[0])).toBe('Ġ');
    expect(tok.tokenToId('not a token')).toBeUndefined();
  });

  it('decodes a stream token by token without splitting characters', () => {
    const text = 'emoji 👩‍👩‍👧 and 東京, then é and 𝄞.';
    const ids = tok.encode(text);
    const stream = new StreamDecoder(tok);
    const pieces = ids.map((id) => stream.push([id]));
    expect(pieces.join('') + stream.flush()).toBe(text);
    expect(pieces.some((piece) => piece.includes('\uFFFD'))).toBe(false);
    // Plain decode of a partial character is lossy, as in Hugging Face.
    expect(tok.decode(tok.encode('👩').slice(0, 1))).toContain('\uFFFD');
  });
});

/**
 * A GPT-2-style tokenizer.json built by hand: the 256 byte tokens in GPT-2's id order, seven
 * merges, and <|endoftext|> as the only added token (no <|pad|>, as in GPT-2).
 */
function handBuiltJson(): HfTokenizerJson {
  const vocab: Record<string, number> = {};
  REF_BYTE_CHARS.forEach((char, b) => (vocab[char] = REF_GPT2_BYTE_IDS[b]));
  const merges: [string, string][] = [
    ['Ġ', 't'], // 256 "Ġt"
    ['h', 'e'], // 257 "he"
    ['Ġt', 'he'], // 258 "Ġthe"
    ['t', 'h'], // 259 "th": ranked below "h e", so "the" is t + he
    ['l', 'l'], // 260 "ll"
    ['ll', 'o'], // 261 "llo"
    ['a', 'a'], // 262 "aa"
  ];
  merges.forEach(([a, b], i) => (vocab[a + b] = 256 + i));
  vocab[EOS] = 263;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true } as const;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 263, content: EOS, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

describe('tokenizer.json', () => {
  it('round-trips through JSON text: same encodings, same JSON, same fingerprint', () => {
    const tok = englishTokenizer(400);
    const json = tok.toJSON();
    const loaded = Tokenizer.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(loaded.toJSON()).toEqual(json);
    expect(loaded.fingerprint()).toBe(tok.fingerprint());
    expect(tok.fingerprint()).toMatch(/^[0-9a-f]{16}$/);
    expect([loaded.vocabSize, loaded.eosId, loaded.padId]).toEqual([tok.vocabSize, tok.eosId, tok.padId]);
    const rng = new Rng(8);
    const texts = [ENGLISH, ...Array.from({ length: 50 }, () => randomString(rng))];
    for (const text of texts) expect(loaded.encode(text)).toEqual(tok.encode(text));
  });

  it('writes the Hugging Face layout', () => {
    const json = englishTokenizer(300).toJSON();
    expect(json.version).toBe('1.0');
    expect(json.pre_tokenizer).toEqual({
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
    });
    expect(json.model.type).toBe('BPE');
    expect(json.added_tokens.map((t) => [t.id, t.content, t.special])).toEqual([
      [298, EOS, true],
      [299, PAD, true],
    ]);
    expect(json.model.merges.length).toBe(42);
    expect(json.model.merges.every((m) => m.length === 2 && !m.join('').includes(' '))).toBe(true);
  });

  it('accepts merges written as "left right" strings (older files)', () => {
    const json = englishTokenizer(400).toJSON();
    const old = { ...json, model: { ...json.model, merges: json.model.merges.map(([a, b]) => `${a} ${b}`) } };
    const loaded = Tokenizer.fromJSON(old);
    expect(loaded.toJSON()).toEqual(json);
    expect(loaded.encode(ENGLISH)).toEqual(Tokenizer.fromJSON(json).encode(ENGLISH));
  });

  it('encodes with a hand-built GPT-2-style file to the ids worked out by hand', () => {
    // Anchors from GPT-2's real vocabulary: "Ġ" (space) is 220, "Ċ" (newline) is 198.
    expect([REF_BYTE_CHARS[32], REF_BYTE_CHARS[10]]).toEqual(['Ġ', 'Ċ']);
    expect([REF_GPT2_BYTE_IDS[32], REF_GPT2_BYTE_IDS[10]]).toEqual([220, 198]);
    const tok = Tokenizer.fromJSON(handBuiltJson());
    expect([tok.vocabSize, tok.eosId, tok.padId]).toEqual([264, 263, 263]);
    // Printable ASCII c has GPT-2 id code(c) - 33: t 83, h 71, e 68, a 64.
    // "the": h+e (rank 1) beats t+h (rank 3) -> t, he; " the": Ġ+t, h+e, then Ġt+he -> Ġthe.
    expect(tok.encode('the')).toEqual([83, 257]);
    expect(tok.encode(' the')).toEqual([258]);
    // " hello": h+e, l+l, ll+o -> Ġ he llo.  " aaa": leftmost a+a first -> Ġ aa a.
    const text = `the hello aaa${EOS} the aaaa`;
    expect(tok.encode(text)).toEqual([83, 257, 220, 257, 261, 220, 262, 64, 263, 258, 220, 262, 262]);
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('accepts added tokens missing from model.vocab, and honours ignore_merges', () => {
    const json = handBuiltJson();
    delete json.model.vocab[EOS];
    const tok = Tokenizer.fromJSON(json);
    expect([tok.vocabSize, tok.eosId, tok.encode(EOS)]).toEqual([264, 263, [263]]);
    // A whole pre-token that is in the vocabulary skips merging only when ignore_merges is set.
    json.model.vocab['Ġhello'] = 264;
    expect(Tokenizer.fromJSON(json).encode(' hello')).toEqual([220, 257, 261]);
    json.model.ignore_merges = true;
    expect(Tokenizer.fromJSON(json).encode(' hello')).toEqual([264]);
  });

  it('rejects a file that is not a JSON object', () => {
    for (const json of [null, [], 'tokenizer.json', 42]) {
      expectEngineError(() => Tokenizer.fromJSON(json), 'BAD_TOKENIZER', {
        code: 'TOKENIZER_JSON',
        params: { problem: 'notObject', field: null },
      });
    }
  });

  // Each variant changes one field of the hand-built file, which loads fine as it is.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases write fields of any type, malformed on purpose
  const bad: [string, (json: any) => unknown, TokenizerJsonProblem][] = [
    ['no model', (j) => delete j.model, { problem: 'notObject', field: 'model' }],
    ['model.type', (j) => (j.model.type = 'WordPiece'), { problem: 'notBpe', got: '"WordPiece"' }],
    ['vocab not an object', (j) => (j.model.vocab = [1, 2]), { problem: 'notObject', field: 'model.vocab' }],
    [
      'vocab id a string',
      (j) => (j.model.vocab['Ġt'] = '256'),
      { problem: 'badId', field: 'model.vocab["Ġt"]', got: '"256"', limit: 2 ** 24 },
    ],
    [
      'vocab id fractional',
      (j) => (j.model.vocab.he = 2.5),
      { problem: 'badId', field: 'model.vocab["he"]', got: '2.5', limit: 2 ** 24 },
    ],
    [
      'duplicate ids',
      (j) => (j.model.vocab.he = 256),
      { problem: 'sharedId', field: 'model.vocab["he"]', other: 'model.vocab["Ġt"]', id: 256 },
    ],
    ['id gap', (j) => (j.model.vocab.he = 300), { problem: 'idGap', id: 257 }],
    ['missing byte token', (j) => delete j.model.vocab['Ā'], { problem: 'missingByte', char: '"Ā"', byte: 0 }],
    [
      'non-byte-level token',
      (j) => (j.model.vocab['☃'] = 264),
      { problem: 'notByteLevelChar', token: '"☃"', char: '"☃"' },
    ],
    ['merges not an array', (j) => (j.model.merges = {}), { problem: 'notArray', field: 'model.merges' }],
    [
      'merge not a pair',
      (j) => j.model.merges.push(['a']),
      { problem: 'badMerge', field: 'model.merges[7]', got: '["a"]' },
    ],
    [
      'merge string without space',
      (j) => j.model.merges.push('ab'),
      { problem: 'badMerge', field: 'model.merges[7]', got: '"ab"' },
    ],
    [
      'merge part not in vocab',
      (j) => j.model.merges.push(['a', 'zz']),
      { problem: 'notInVocab', field: 'model.merges[7]', token: '"zz"', merged: false },
    ],
    [
      'merged token not in vocab',
      (j) => j.model.merges.push(['o', 'o']),
      { problem: 'notInVocab', field: 'model.merges[7]', token: '"oo"', merged: true },
    ],
    [
      'repeated merge',
      (j) => j.model.merges.push(['h', 'e']),
      { problem: 'repeats', field: 'model.merges[7]', earlier: 'model.merges[1]' },
    ],
    [
      'missing <|endoftext|>',
      (j) => ((j.added_tokens = []), delete j.model.vocab[EOS]),
      { problem: 'missingEos', token: '"<|endoftext|>"' },
    ],
    ['added_tokens not an array', (j) => (j.added_tokens = {}), { problem: 'notArray', field: 'added_tokens' }],
    [
      'added token id clash',
      (j) => (j.added_tokens[0].id = 5),
      { problem: 'idDisagrees', field: 'added_tokens[0]', content: '"<|endoftext|>"', id: 5, vocabId: 263 },
    ],
    [
      'added token without content',
      (j) => (j.added_tokens[0].content = ''),
      { problem: 'emptyContent', field: 'added_tokens[0].content', got: '""' },
    ],
    [
      'normalizer',
      (j) => (j.normalizer = { type: 'NFC' }),
      { problem: 'unsupported', field: 'normalizer', got: '{"type":"NFC"}' },
    ],
    [
      'pre_tokenizer type',
      (j) => (j.pre_tokenizer = { type: 'Whitespace' }),
      { problem: 'notByteLevelStage', field: 'pre_tokenizer', got: '"Whitespace"', optional: false },
    ],
    [
      'prefix space',
      (j) => (j.pre_tokenizer.add_prefix_space = true),
      { problem: 'mustBe', field: 'pre_tokenizer.add_prefix_space', value: false },
    ],
    [
      'decoder type',
      (j) => (j.decoder = { type: 'WordPiece' }),
      { problem: 'notByteLevelStage', field: 'decoder', got: '"WordPiece"', optional: true },
    ],
    ['dropout', (j) => (j.model.dropout = 0.1), { problem: 'unsupported', field: 'model.dropout', got: '0.1' }],
    [
      'suffix',
      (j) => (j.model.end_of_word_suffix = '</w>'),
      { problem: 'unsupported', field: 'model.end_of_word_suffix', got: '"</w>"' },
    ],
  ];

  it.each(bad)('rejects a file with a bad field: %s', (_, mutate, problem) => {
    const json = handBuiltJson();
    mutate(json);
    let detail: unknown = null;
    try {
      Tokenizer.fromJSON(json);
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('BAD_TOKENIZER');
      detail = (error as EngineError).detail;
    }
    expect(detail).toEqual({ code: 'TOKENIZER_JSON', params: problem });
  });

  it('says what is wrong in words naming the field', () => {
    const json = handBuiltJson();
    json.model.merges.push(['a', 'zz']);
    expect(thrownSentence(() => Tokenizer.fromJSON(json))).toBe(
      'tokenizer.json: model.merges[7]: "zz" is not in model.vocab.',
    );
  });
});
