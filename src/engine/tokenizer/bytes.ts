/**
 * GPT-2's byte <-> unicode table. Byte-level BPE works on raw UTF-8 bytes, but tokenizer.json
 * stores tokens as JSON strings, so each of the 256 bytes is given a printable character: the
 * printable Latin-1 bytes stand for themselves, and the rest (control characters, space, 0x7f-0xa0,
 * 0xad) are moved to U+0100 and above in byte order. Space (0x20) thus becomes "Ġ" (U+0120), which
 * is why a leading-space word shows up as "Ġthe" in every GPT-2-style vocabulary.
 */

/** True for the bytes that GPT-2 maps to the character with the same code. */
function isPrintableLatin1(byte: number): boolean {
  return (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
}

function buildByteToChar(): string[] {
  const table: string[] = [];
  let shifted = 0;
  for (let byte = 0; byte < 256; byte++) {
    table.push(String.fromCharCode(isPrintableLatin1(byte) ? byte : 256 + shifted++));
  }
  return table;
}

/** `BYTE_TO_CHAR[b]` is the one-character string that stands for byte `b`. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** Every byte-level character is below this code (the last shifted byte lands on U+0143). */
const CHAR_CODE_LIMIT = 0x144;

function buildCharToByte(): Int16Array {
  const table = new Int16Array(CHAR_CODE_LIMIT).fill(-1);
  BYTE_TO_CHAR.forEach((char, byte) => {
    table[char.charCodeAt(0)] = byte;
  });
  return table;
}

/** `CHAR_TO_BYTE[code]` is the byte a byte-level character stands for, or -1. */
const CHAR_TO_BYTE = buildCharToByte();

/** The byte-level string for a run of bytes: one character per byte. */
export function bytesToSymbols(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += BYTE_TO_CHAR[byte];
  return out;
}

/**
 * The bytes a byte-level string stands for, or null when some character is not one of the 256
 * byte-level characters (such a string cannot be a model token of a byte-level BPE).
 */
export function symbolsToBytes(symbols: string): Uint8Array | null {
  const bytes = new Uint8Array(symbols.length);
  for (let i = 0; i < symbols.length; i++) {
    const code = symbols.charCodeAt(i);
    const byte = code < CHAR_CODE_LIMIT ? CHAR_TO_BYTE[code] : -1;
    if (byte < 0) return null;
    bytes[i] = byte;
  }
  return bytes;
}

/** The first character of `symbols` that is not byte-level, or null when all are. */
export function firstNonByteChar(symbols: string): string | null {
  for (const char of symbols) {
    const code = char.charCodeAt(0);
    if (char.length > 1 || code >= CHAR_CODE_LIMIT || CHAR_TO_BYTE[code] < 0) return char;
  }
  return null;
}
