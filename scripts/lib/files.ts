/** Small filesystem helpers shared by the Node commands. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Writes through a temporary file and a rename, so a crash never leaves a half-written file. */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function readBytes(path: string): Uint8Array {
  const buf = readFileSync(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function exists(path: string): boolean {
  return existsSync(path);
}
