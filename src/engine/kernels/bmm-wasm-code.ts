/**
 * The machine code of a batched matrix product for WebAssembly with SIMD, written out as bytes.
 *
 * Why: tfjs's WASM backend sends a batch of matrices (attention's [B, nh, T, hs] products) to a
 * scalar triple loop that runs at about 2 GFLOP/s, a tenth of its XNNPACK path for one plain
 * matrix. This function keeps 16 output columns in four f32x4 registers and streams the rows of b
 * past them. It imports the backend's own memory, so it reads and writes tensors where they lie.
 *
 * The exported function, all arguments i32 (offsets in bytes, strides in elements):
 *   bmm(a, b, out, batch, M, K, N, aBatch, bBatch, sai, sak)
 *   out[t, i, j] = Σ_k a[t·aBatch + i·sai + k·sak] · b[t·bBatch + k·N + j],  out is [batch, M, N].
 * a's strides let it be read transposed for free; b must be row-major [K, N] (contiguous in j).
 */

/** Unsigned LEB128, the wasm encoding of every integer immediate. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128, for i32.const. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const I32 = 0x7f;
const V128 = 0x7b;
const F32 = 0x7d;

// Opcodes used below (WebAssembly core 2.0 with the fixed-width SIMD proposal).
const get = (l: number) => [0x20, ...leb(l)];
const set = (l: number) => [0x21, ...leb(l)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const add = [0x6a];
const sub = [0x6b];
const mul = [0x6c];
const shl = [0x74];
const and = [0x71];
const geU = [0x4f];
const eqz = [0x45];
const simd = (op: number, ...imm: number[]) => [0xfd, ...leb(op), ...imm];
const memarg = (offset: number) => [0, ...leb(offset)]; // align hint 1 byte, always valid
const v128Load = (offset: number) => simd(0x00, ...memarg(offset));
const v128Store = (offset: number) => simd(0x0b, ...memarg(offset));
const loadSplat = simd(0x09, ...memarg(0)); // v128.load32_splat
const zeroV128 = simd(0x0c, ...new Array<number>(16).fill(0)); // v128.const 0
const f32x4Add = simd(0xe4);
const f32x4Mul = simd(0xe6);
const f32Load = [0x2a, ...memarg(0)];
const f32Store = [0x38, ...memarg(0)];
const f32Add = [0x92];
const f32Mul = [0x94];
const f32Zero = [0x43, 0, 0, 0, 0];

/** while (!(stop)) { body } as block/loop; `stop` leaves an i32 on the stack. */
function whileNot(stop: number[], body: number[]): number[] {
  return [0x02, 0x40, 0x03, 0x40, ...stop, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
}

// Locals, by index: the 11 parameters; then i32 scratch: T the matrix of the batch, I the row,
// J the column, KK the k countdown, A_ROW and OUT_ROW the addresses of row I, PA and PB running
// addresses along k, A_T, B_T and OUT_T the addresses of matrix T, N16 and N4 the width rounded
// down to 16 and 4; then v128: four accumulators and the splatted a[i, k]; then one f32 accumulator.
const [A, B, OUT, BATCH, M, K, N, A_BATCH, B_BATCH, SAI, SAK] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const [T, I, J, KK, A_ROW, OUT_ROW, PA, PB, A_T, B_T, OUT_T, N16, N4] = [
  11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
];
const I32_LOCALS = 13;
const ACC = [24, 25, 26, 27];
const SPLAT = 28;
const SCALAR = 29;

const bytes = (l: number) => [...get(l), ...i32(2), ...shl]; // an element count or index, in bytes

/** One block of `width` output columns (16, 4 or 1) at row I, column J: the k loop and the store. */
function columnBlock(width: 16 | 4 | 1): number[] {
  const vectors = width === 1 ? 0 : width / 4;
  const init =
    width === 1 ? [...f32Zero, ...set(SCALAR)] : ACC.slice(0, vectors).flatMap((r) => [...zeroV128, ...set(r)]);
  const multiplyAdd =
    width === 1
      ? [...get(SCALAR), ...get(PA), ...f32Load, ...get(PB), ...f32Load, ...f32Mul, ...f32Add, ...set(SCALAR)]
      : [
          ...get(PA),
          ...loadSplat,
          ...set(SPLAT),
          ...ACC.slice(0, vectors).flatMap((r, c) => [
            ...get(r),
            ...get(SPLAT),
            ...get(PB),
            ...v128Load(16 * c),
            ...f32x4Mul,
            ...f32x4Add,
            ...set(r),
          ]),
        ];
  const step = [
    ...get(PA),
    ...bytes(SAK),
    ...add,
    ...set(PA),
    ...get(PB),
    ...bytes(N),
    ...add,
    ...set(PB),
    ...get(KK),
    ...i32(1),
    ...sub,
    ...set(KK),
  ];
  const store =
    width === 1
      ? [...get(OUT_ROW), ...bytes(J), ...add, ...get(SCALAR), ...f32Store]
      : ACC.slice(0, vectors).flatMap((r, c) => [
          ...get(OUT_ROW),
          ...bytes(J),
          ...add,
          ...get(r),
          ...v128Store(16 * c),
        ]);
  return [
    ...init,
    ...get(A_ROW),
    ...set(PA),
    ...get(B_T),
    ...bytes(J),
    ...add,
    ...set(PB),
    ...get(K),
    ...set(KK),
    ...whileNot([...get(KK), ...eqz], [...multiplyAdd, ...step]),
    ...store,
    ...get(J),
    ...i32(width),
    ...add,
    ...set(J),
  ];
}

/** The rows of one matrix of the batch: for each i, 16-wide blocks, then 4-wide, then single columns. */
function rows(): number[] {
  const limit = (l: number) => [...get(J), ...get(l), ...geU];
  return [
    ...i32(0),
    ...set(I),
    ...whileNot(
      [...get(I), ...get(M), ...geU],
      [
        ...get(A_T),
        ...get(I),
        ...get(SAI),
        ...mul,
        ...i32(2),
        ...shl,
        ...add,
        ...set(A_ROW),
        ...get(OUT_T),
        ...get(I),
        ...get(N),
        ...mul,
        ...i32(2),
        ...shl,
        ...add,
        ...set(OUT_ROW),
        ...i32(0),
        ...set(J),
        ...whileNot(limit(N16), columnBlock(16)),
        ...whileNot(limit(N4), columnBlock(4)),
        ...whileNot(limit(N), columnBlock(1)),
        ...get(I),
        ...i32(1),
        ...add,
        ...set(I),
      ],
    ),
  ];
}

/** The body of bmm: widths rounded down, then the loop over the batch. */
function body(): number[] {
  const base = (ptr: number, stride: number) => [
    ...get(ptr),
    ...get(T),
    ...get(stride),
    ...mul,
    ...i32(2),
    ...shl,
    ...add,
  ];
  return [
    ...get(N),
    ...i32(-16),
    ...and,
    ...set(N16),
    ...get(N),
    ...i32(-4),
    ...and,
    ...set(N4),
    ...i32(0),
    ...set(T),
    ...whileNot(
      [...get(T), ...get(BATCH), ...geU],
      [
        ...base(A, A_BATCH),
        ...set(A_T),
        ...base(B, B_BATCH),
        ...set(B_T),
        ...get(OUT),
        ...get(T),
        ...get(M),
        ...mul,
        ...get(N),
        ...mul,
        ...i32(2),
        ...shl,
        ...add,
        ...set(OUT_T),
        ...rows(),
        ...get(T),
        ...i32(1),
        ...add,
        ...set(T),
      ],
    ),
  ];
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

const name = (s: string) => [...leb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];

/** The whole module: imports env.memory, exports bmm. */
export function bmmModuleBytes(): Uint8Array<ArrayBuffer> {
  const params = 11;
  const type = [1, 0x60, params, ...new Array<number>(params).fill(I32), 0];
  const imports = [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]; // memory, min 1 page, no max
  const code = [3, I32_LOCALS, I32, 5, V128, 1, F32, ...body(), 0x0b]; // local groups: i32, v128, f32
  const func = [...leb(code.length), ...code];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, type),
    ...section(2, imports),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('bmm'), 0x00, 0]),
    ...section(10, [1, ...func]),
  ]);
}
