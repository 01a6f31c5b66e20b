import { describe, expect, it } from 'vitest';
import { assertFinite, decodeSafetensors, encodeSafetensors, toFloat32 } from '../../src/engine/checkpoint/safetensors';
import type { SafetensorsDtype, TensorEntry } from '../../src/engine/checkpoint/safetensors';
import { EngineError } from '../../src/engine/errors';
import { messageText } from '../../src/ui/strings/messages';
import { Rng } from '../../src/engine/rng';

const SOURCE = 'runs/fuzz.safetensors';

/** A safetensors file put together by hand: u64 LE header length, header text, space padding, data. */
function assemble(headerText: string | Uint8Array, data: Uint8Array, align = 8): Uint8Array {
  const json = typeof headerText === 'string' ? new TextEncoder().encode(headerText) : headerText;
  const headerLength = Math.ceil(json.length / align) * align;
  const out = new Uint8Array(8 + headerLength + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, 0, true);
  out.fill(0x20, 8, 8 + headerLength);
  out.set(json, 8);
  out.set(data, 8 + headerLength);
  return out;
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = rng.int(256);
  return bytes;
}

function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.slice().buffer);
}

/** Decodes `bytes`, which must fail with a BAD_CHECKPOINT whose message names the source. */
function decodeError(bytes: Uint8Array, label: string): EngineError {
  let caught: unknown = null;
  try {
    decodeSafetensors(bytes, SOURCE);
  } catch (error) {
    caught = error;
  }
  if (caught === null) expect.fail(`${label}: decoded a malformed file without complaint`);
  expect(caught, `${label}: ${String(caught)}`).toBeInstanceOf(EngineError);
  const error = caught as EngineError;
  expect(error.code, label).toBe('BAD_CHECKPOINT');
  expect(error.detail.params, `${label}: ${error.message}`).toMatchObject({ file: SOURCE });
  expect(messageText(error.detail).startsWith(`${SOURCE}: `), `${label}: ${error.message}`).toBe(true);
  return error;
}

describe('encodeSafetensors / decodeSafetensors round trip', () => {
  function randomTensors(rng: Rng): Map<string, { shape: number[]; data: Float32Array }> {
    const names = ['wte', 'h.0.attn.c_attn.weight', '10', '2', '__proto__', 'ln_f.bias é', 'empty', 'scalar'];
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const name of names) {
      const rank = rng.int(4);
      let shape = Array.from({ length: rank }, () => 1 + rng.int(6));
      if (name === 'empty') shape = [3, 0, 2];
      if (name === 'scalar') shape = [];
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * 10 ** (rng.int(20) - 10);
      tensors.set(name, { shape, data });
    }
    // Values a lossy path would change: -0, subnormals, infinities, NaN with a payload.
    const special = new Float32Array(6);
    new Uint32Array(special.buffer).set([0x80000000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00123]);
    tensors.set('special', { shape: [2, 3], data: special });
    return tensors;
  }

  it('gives back bit-identical tensors and the same metadata', () => {
    const tensors = randomTensors(new Rng(7));
    const metadata = { format: 'pt', step: '1200', note: '__proto__ {"json": true}' };
    const file = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expect({ ...file.metadata }).toEqual(metadata);
    expect([...file.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, { shape, data }] of tensors) {
      const entry = file.tensors.get(name)!;
      expect(entry.dtype).toBe('F32');
      expect(entry.shape).toEqual(shape);
      expect(bitsOf(toFloat32(entry, name))).toEqual(bitsOf(data));
    }
  });

  it('is deterministic: insertion order of tensors and metadata does not change the bytes', () => {
    const tensors = randomTensors(new Rng(11));
    const reversed = new Map([...tensors].reverse());
    const a = encodeSafetensors(tensors, { b: '2', a: '1' });
    const b = encodeSafetensors(reversed, { a: '1', b: '2' });
    expect(b).toEqual(a);
    expect(encodeSafetensors(tensors, { b: '2', a: '1' })).toEqual(a);
  });

  it('starts the data section on an 8-byte boundary and writes tensors in sorted-name order', () => {
    const tensors = randomTensors(new Rng(3));
    const bytes = encodeSafetensors(tensors, { format: 'pt' });
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    expect(headerLength % 8).toBe(0);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(0);
    const file = decodeSafetensors(bytes);
    const names = [...tensors.keys()].sort();
    const starts = names.map((name) => file.tensors.get(name)!.data.byteOffset);
    expect(starts[0]).toBe(8 + headerLength);
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1]);
  });

  it('encodes an empty map as a valid file', () => {
    const file = decodeSafetensors(encodeSafetensors(new Map()));
    expect(file.tensors.size).toBe(0);
    expect(Object.keys(file.metadata)).toEqual([]);
  });

  it('rejects unencodable input as a bug in the caller', () => {
    const bad: [Map<string, { shape: number[]; data: Float32Array }>, Record<string, string>][] = [
      [new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]]), {}],
      [new Map([['w', { shape: [-1], data: new Float32Array(0) }]]), {}],
      [new Map([['__metadata__', { shape: [1], data: new Float32Array(1) }]]), {}],
      [new Map(), { step: 12 as unknown as string }],
    ];
    for (const [tensors, metadata] of bad) {
      expect(() => encodeSafetensors(tensors, metadata)).toThrow(/metadata|shape|reserved/);
      expect(() => encodeSafetensors(tensors, metadata)).not.toThrow(EngineError);
    }
  });
});

describe('reference files written by hand', () => {
  it('decodes a literal header with F32 and F16 data, including an unaligned tensor', () => {
    const header =
      '{"__metadata__":{"format":"pt"},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
      '"a":{"dtype":"F16","shape":[3],"data_offsets":[8,14]},' +
      '"c":{"dtype":"F32","shape":[1,1],"data_offsets":[14,18]}}';
    const data = new Uint8Array(18);
    const view = new DataView(data.buffer);
    view.setFloat32(0, 1.5, true);
    view.setFloat32(4, -2.25, true);
    [0x3c00, 0xc100, 0x7bff].forEach((bits, i) => view.setUint16(8 + 2 * i, bits, true));
    view.setFloat32(14, 0.1, true);
    const file = decodeSafetensors(assemble(header, data));
    expect({ ...file.metadata }).toEqual({ format: 'pt' });
    expect(file.tensors.get('a')).toMatchObject({ dtype: 'F16', shape: [3] });
    expect(Array.from(toFloat32(file.tensors.get('b')!, 'b'))).toEqual([1.5, -2.25]);
    expect(Array.from(toFloat32(file.tensors.get('a')!, 'a'))).toEqual([1, -2.5, 65504]);
    const c = toFloat32(file.tensors.get('c')!, 'c');
    expect(c.byteOffset % 4).toBe(0);
    expect(Array.from(c)).toEqual([Math.fround(0.1)]);
  });

  it('encodes exactly the bytes of a hand-written file', () => {
    const tensors = new Map([
      ['b', { shape: [2], data: new Float32Array([1.5, -2]) }],
      ['a', { shape: [], data: new Float32Array([0.25]) }],
    ]);
    const header =
      '{"__metadata__":{"format":"pt"},' +
      '"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}';
    const data = new Uint8Array(12);
    const view = new DataView(data.buffer);
    [0.25, 1.5, -2].forEach((value, i) => view.setFloat32(4 * i, value, true));
    expect(encodeSafetensors(tensors, { format: 'pt' })).toEqual(assemble(header, data));
  });

  it('keeps "__proto__" keys as plain data and pollutes nothing', () => {
    const header =
      '{"__metadata__":{"__proto__":"x","constructor":"y"},' +
      '"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
      '"constructor":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    const file = decodeSafetensors(assemble(header, new Uint8Array(8)));
    expect(Object.getOwnPropertyNames(file.metadata).sort()).toEqual(['__proto__', 'constructor']);
    expect(file.metadata['__proto__']).toBe('x');
    expect([...file.tensors.keys()].sort()).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).dtype).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'dtype')).toBe(false);
    expect(file.metadata.toString).toBeUndefined();
  });
});

/** An independent half -> float32 conversion at the bit level (re-biasing the exponent). */
function referenceHalf(h: number): number {
  const sign = (h & 0x8000) << 16;
  let exponent = (h >>> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  let bits: number;
  if (exponent === 0x1f) bits = sign | 0x7f800000 | (mantissa << 13);
  else if (exponent === 0 && mantissa === 0) bits = sign;
  else {
    if (exponent === 0) {
      exponent = 1;
      while ((mantissa & 0x400) === 0) {
        mantissa <<= 1;
        exponent--;
      }
      mantissa &= 0x3ff;
    }
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  }
  return new Float32Array(new Uint32Array([bits >>> 0]).buffer)[0];
}

function entryOf(dtype: SafetensorsDtype, width: number, words: number[]): TensorEntry {
  const data = new Uint8Array(words.length * width);
  const view = new DataView(data.buffer);
  words.forEach((w, i) => (width === 2 ? view.setUint16(2 * i, w, true) : view.setFloat64(8 * i, w, true)));
  return { dtype, shape: [words.length], data };
}

describe('toFloat32 dtype conversion', () => {
  it('converts F16 known values', () => {
    const cases: [number, number][] = [
      [0x3c00, 1],
      [0xc100, -2.5],
      [0x7bff, 65504],
      [0x0001, 2 ** -24],
      [0x03ff, 1023 * 2 ** -24],
      [0x0400, 2 ** -14],
      [0x8000, -0],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    const out = toFloat32(
      entryOf(
        'F16',
        2,
        cases.map(([bits]) => bits),
      ),
      'h',
    );
    cases.forEach(([, value], i) => expect(Object.is(out[i], value), `0x${cases[i][0].toString(16)}`).toBe(true));
    const nans = toFloat32(entryOf('F16', 2, [0x7e00, 0x7c01, 0xffff]), 'h');
    expect(Array.from(nans).every(Number.isNaN)).toBe(true);
  });

  it('matches a bit-level reference on all 65536 F16 patterns', () => {
    const all = Array.from({ length: 65536 }, (_, bits) => bits);
    const out = toFloat32(entryOf('F16', 2, all), 'all');
    for (const bits of all) {
      const expected = referenceHalf(bits);
      if (!Object.is(out[bits], expected) && !(Number.isNaN(expected) && Number.isNaN(out[bits]))) {
        expect.fail(`F16 0x${bits.toString(16)}: got ${out[bits]}, expected ${expected}`);
      }
    }
  });

  it('converts BF16 known values exactly', () => {
    const cases: [number, number][] = [
      [0x3f80, 1],
      [0xc020, -2.5],
      [0x477f, 65280], // 65504 itself is not a bfloat16; these are its neighbours
      [0x4780, 65536],
      [0x7f7f, 3.3895313892515355e38],
      [0x0001, 2 ** -133],
      [0x8000, -0],
      [0x7f80, Infinity],
      [0xff80, -Infinity],
    ];
    const out = toFloat32(
      entryOf(
        'BF16',
        2,
        cases.map(([bits]) => bits),
      ),
      'b',
    );
    cases.forEach(([, value], i) => expect(Object.is(out[i], value), `0x${cases[i][0].toString(16)}`).toBe(true));
    expect(Number.isNaN(toFloat32(entryOf('BF16', 2, [0x7fc0]), 'b')[0])).toBe(true);
  });

  it('rounds F64 to float32 and overflows to Infinity', () => {
    const out = toFloat32(entryOf('F64', 8, [1 / 3, -0.1, 1e39, 2 ** -140]), 'd');
    expect(Array.from(out)).toEqual([Math.fround(1 / 3), Math.fround(-0.1), Infinity, Math.fround(2 ** -140)]);
  });

  it('refuses integer dtypes and mismatched bytes, naming the tensor', () => {
    for (const [dtype, size] of [
      ['I32', 4],
      ['I64', 8],
      ['U8', 1],
      ['BOOL', 1],
    ] as const) {
      const entry: TensorEntry = { dtype, shape: [2], data: new Uint8Array(2 * size) };
      expect(() => toFloat32(entry, 'wpe')).toThrow(
        expect.objectContaining({ detail: { code: 'TENSOR_NOT_FLOAT', params: { file: null, tensor: 'wpe', dtype } } }),
      );
    }
    expect(() => toFloat32({ dtype: 'F32', shape: [3], data: new Uint8Array(8) }, 'wpe', 'a.safetensors')).toThrow(
      expect.objectContaining({
        detail: {
          code: 'TENSOR_BYTES',
          params: { file: 'a.safetensors', tensor: 'wpe', bytes: 8, shape: [3], dtype: 'F32', needed: 12 },
        },
      }),
    );
  });
});

describe('assertFinite', () => {
  it('passes finite values and names the tensor and first bad index', () => {
    expect(() => assertFinite(new Float32Array([0, -1, 3e38]), 'ok')).not.toThrow();
    const cases: [number[], number][] = [
      [[1, 2, 3, NaN, Infinity], 3],
      [[Infinity, 0], 0],
      [[0, 0, -Infinity], 2],
    ];
    for (const [values, index] of cases) {
      expect(() => assertFinite(new Float32Array(values), 'h.3.mlp.c_fc.weight')).toThrow(
        expect.objectContaining({
          detail: {
            code: 'TENSOR_NOT_FINITE',
            params: { file: null, tensor: 'h.3.mlp.c_fc.weight', index, value: String(values[index]) },
          },
        }),
      );
    }
    let error: unknown;
    try {
      assertFinite(new Float32Array([NaN]), 'policy.wte', 'NUMERICAL');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('NUMERICAL');
    expect((error as EngineError).detail).toMatchObject({ code: 'TENSOR_NOT_FINITE', params: { value: 'NaN' } });
  });
});

describe('decodeSafetensors on malformed input', () => {
  // Three tensors of three dtypes. No dimension is 1, so losing a digit always changes a size.
  const BASE_TEXT = JSON.stringify({
    __metadata__: { format: 'pt', step: '12' },
    wte: { dtype: 'F32', shape: [3, 4], data_offsets: [0, 48] },
    'ln.g': { dtype: 'F16', shape: [5], data_offsets: [48, 58] },
    bias: { dtype: 'BF16', shape: [2, 3], data_offsets: [58, 70] },
  });
  const DATA = randomBytes(new Rng(99), 70);
  const VALID = assemble(BASE_TEXT, DATA);
  const HEADER_END = VALID.length - DATA.length;

  type Header = Record<string, Record<string, unknown>>;
  function withHeader(edit: (header: Header) => void, data = DATA): Uint8Array {
    const header = JSON.parse(BASE_TEXT) as Header;
    edit(header);
    return assemble(JSON.stringify(header), data);
  }
  function concat(...parts: Uint8Array[]): Uint8Array {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    return out;
  }
  function expectBad(bytes: Uint8Array, label: string, fragments: string[] = []): void {
    const message = messageText(decodeError(bytes, label).detail);
    for (const fragment of fragments) expect(message, label).toContain(fragment);
  }

  it('accepts the unmodified base file', () => {
    const file = decodeSafetensors(VALID, SOURCE);
    expect([...file.tensors.keys()].sort()).toEqual(['bias', 'ln.g', 'wte']);
  });

  it('reports every truncation with the expected and actual length', () => {
    for (let length = 0; length < VALID.length; length++) {
      const fragment =
        length < 8
          ? 'truncated: expected at least 8 bytes'
          : length < HEADER_END
            ? `truncated: expected at least ${HEADER_END} bytes`
            : `truncated: expected ${VALID.length} bytes, got ${length}`;
      expectBad(VALID.slice(0, length), `truncated to ${length}`, [fragment]);
    }
  });

  it('names the tensor and field for every bad dtype, shape and data_offsets', () => {
    const variants: Record<string, unknown[]> = {
      dtype: [undefined, 'F8', '', 'f16', 'I16', 'F8_E4M3', 'toString', '__proto__', 16, null, ['F16'], {}],
      shape: [undefined, '5', 5, [-5], [2.5], ['5'], null, [5, null], [1e300], [], [5, 2], {}, [true], [2 ** 53]],
      data_offsets: [
        undefined,
        48,
        [48],
        [48, 58, 60],
        [-2, 8],
        [48.5, 58.5],
        ['48', '58'],
        [58, 48],
        null,
        {},
        [48, 59],
      ],
    };
    for (const [field, values] of Object.entries(variants)) {
      for (const value of values) {
        const bytes = withHeader((h) => {
          if (value === undefined) delete h['ln.g'][field];
          else h['ln.g'][field] = value;
        });
        expectBad(bytes, `${field} = ${JSON.stringify(value)}`, ['tensor "ln.g"', field]);
      }
    }
  });

  it('finds tensors past the end, overlaps, gaps and trailing bytes', () => {
    const pad = (n: number) => new Uint8Array(n);
    const cases: [string, Uint8Array, string[]][] = [
      ['past the end', withHeader((h) => (h.bias.data_offsets = [1000, 1012])), ['truncated: expected', '"bias"']],
      [
        'overlap',
        withHeader((h) => {
          h['ln.g'].data_offsets = [46, 56];
          h.bias.data_offsets = [56, 68];
        }),
        ['overlaps', '"ln.g"', '"wte"'],
      ],
      [
        'same range twice',
        withHeader(
          (h) => {
            h.bias = { dtype: 'F16', shape: [5], data_offsets: [48, 58] };
          },
          DATA.slice(0, 58),
        ),
        ['overlaps', '"ln.g"', '"bias"'],
      ],
      ['gap', withHeader((h) => (h.bias.data_offsets = [60, 72]), concat(DATA, pad(2))), ['gap of 2', '"bias"']],
      [
        'leading gap',
        withHeader(
          (h) => {
            for (const name of ['wte', 'ln.g', 'bias']) {
              h[name].data_offsets = (h[name].data_offsets as number[]).map((offset) => offset + 4);
            }
          },
          concat(pad(4), DATA),
        ),
        ['gap of 4', '"wte"'],
      ],
      ['unexpected field', withHeader((h) => (h.wte.extra = 1)), ['"wte"', 'unexpected field "extra"']],
    ];
    for (let extra = 1; extra <= 9; extra++) cases.push([`${extra} appended`, concat(VALID, pad(extra)), ['trailing']]);
    for (const entry of [[1], 'F16', 5, null, true]) {
      const bytes = withHeader((h) => ((h as Record<string, unknown>)['ln.g'] = entry));
      cases.push([`entry ${JSON.stringify(entry)}`, bytes, ['"ln.g"', 'entry must be an object']]);
    }
    for (const meta of [[], null, 'pt', 5, { step: 12 }, { step: null }, { step: {} }, { step: ['12'] }]) {
      const bytes = withHeader((h) => ((h as Record<string, unknown>).__metadata__ = meta));
      cases.push([`metadata ${JSON.stringify(meta)}`, bytes, ['__metadata__']]);
    }
    for (const [label, bytes, fragments] of cases) expectBad(bytes, label, fragments);
  });

  it('rejects headers that are not a JSON object or not UTF-8', () => {
    const texts = ['[]', 'null', '5', '"str"', 'true', '', '{', '{"a":}', '{} x', '\uFEFF{}', '{"wte":1,}', "{'a':1}"];
    for (const text of texts) expectBad(assemble(text, DATA), `header ${JSON.stringify(text)}`, ['header']);
    const at = BASE_TEXT.indexOf('ln.g');
    const invalid = [[0xff], [0xc0, 0x80], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80]];
    for (const sequence of invalid) {
      const json = new TextEncoder().encode(BASE_TEXT);
      json.set(sequence, at);
      expectBad(assemble(json, DATA), `UTF-8 ${sequence}`, ['UTF-8']);
    }
  });

  it('rejects every wrong or absurd header length', () => {
    const headerLength = HEADER_END - 8;
    const withLength = (low: number, high = 0) => {
      const bytes = VALID.slice();
      new DataView(bytes.buffer).setUint32(0, low, true);
      new DataView(bytes.buffer).setUint32(4, high, true);
      return bytes;
    };
    for (let n = 0; n <= VALID.length + 8; n++) if (n !== headerLength) expectBad(withLength(n), `header length ${n}`);
    for (const [low, high] of [
      [headerLength, 1],
      [0xffffffff, 0xffffffff],
      [100_000_001, 0],
    ]) {
      expectBad(withLength(low, high), `header length ${high}:${low}`, ['absurd']);
    }
  });

  it('rejects flipped structural header bytes and random noise', () => {
    const rng = new Rng(2024);
    // Braces, brackets, colons, commas, quotes and digits outside strings: changing any of them
    // breaks the JSON or changes a size, unlike a byte inside a name or a metadata value.
    const structural: number[] = [];
    let inString = false;
    for (let i = 0; i < BASE_TEXT.length; i++) {
      const c = BASE_TEXT[i];
      if (c === '"') inString = !inString;
      if (c === '"' || (!inString && /[{}[\]:,0-9]/.test(c))) structural.push(8 + i);
    }
    for (let trial = 0; trial < 80; trial++) {
      const bytes = VALID.slice();
      const at = structural[rng.int(structural.length)];
      bytes[at] ^= 1 + rng.int(255);
      expectBad(bytes, `flip byte ${at} to ${bytes[at]}`);
    }
    for (let trial = 0; trial < 20; trial++) {
      const noisyHeader = concat(VALID.slice(0, 8), randomBytes(rng, HEADER_END - 8), DATA);
      expectBad(noisyHeader, `noise header ${trial}`);
      expectBad(concat(randomBytes(rng, 8), VALID.slice(8)), `noise length ${trial}`);
      const tail = randomBytes(rng, rng.int(2 * DATA.length));
      if (tail.length !== DATA.length) expectBad(concat(VALID.slice(0, HEADER_END), tail), `noise data ${trial}`);
    }
  });

  it('never throws anything but BAD_CHECKPOINT on random byte damage', () => {
    const rng = new Rng(77);
    for (let trial = 0; trial < 300; trial++) {
      const bytes = VALID.slice();
      for (let k = 1 + rng.int(4); k > 0; k--) bytes[rng.int(bytes.length)] = rng.int(256);
      try {
        decodeSafetensors(bytes, SOURCE);
      } catch (error) {
        expect(error, `trial ${trial}: ${String(error)}`).toBeInstanceOf(EngineError);
        expect((error as EngineError).code).toBe('BAD_CHECKPOINT');
      }
    }
  });
});
