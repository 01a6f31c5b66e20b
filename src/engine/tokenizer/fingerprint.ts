/**
 * FNV-1a, 64-bit, over bytes: a short, stable name for a tokenizer, so a checkpoint can say which
 * tokenizer its embedding rows belong to. Not cryptographic; it only has to tell tokenizers apart.
 *
 * JavaScript numbers cannot hold 64-bit products, so the state is two 32-bit halves. The FNV prime
 * is 2^40 + 0x1b3, so `h * prime mod 2^64` = `h * 0x1b3 + (h << 40)`, where `h << 40` only adds
 * `lo << 8` to the high half.
 */
const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_OFFSET_LO = 0x84222325;
const FNV_PRIME_LOW_BITS = 0x1b3;
const TWO_POW_32 = 2 ** 32;

/** The 16-hex-digit FNV-1a 64-bit hash of `bytes`. */
export function fnv1a64(bytes: Uint8Array): string {
  let hi = FNV_OFFSET_HI;
  let lo = FNV_OFFSET_LO;
  for (const byte of bytes) {
    lo = (lo ^ byte) >>> 0;
    // lo * 0x1b3 < 2^41: exact in a double, so its carry into the high half is exact too.
    const loProduct = lo * FNV_PRIME_LOW_BITS;
    const carry = Math.floor(loProduct / TWO_POW_32);
    hi = (Math.imul(hi, FNV_PRIME_LOW_BITS) + carry + (lo << 8)) >>> 0;
    lo = loProduct >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
