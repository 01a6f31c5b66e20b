/**
 * A content hash of a model's weights, so a run can tell whether the base model it is given after
 * a reload is the one it started from. It covers the weights as float32 values (name, shape and
 * data of every tensor, in name order) and nothing else: the same weights hash the same whether
 * they come from the shipped file, a saved checkpoint (whatever its name and metadata) or the
 * model trained in the tab and saved again.
 */
import { toFloat32 } from '../engine/checkpoint/safetensors';
import { decodeSafetensors } from '../engine';

const encoder = new TextEncoder();

/** SHA-256 (hex) of the checkpoint's weights; throws EngineError for bytes that are no checkpoint. */
export async function weightsHash(checkpoint: Uint8Array, source = 'checkpoint'): Promise<string> {
  const file = decodeSafetensors(checkpoint, source);
  const parts: Uint8Array[] = [];
  for (const name of [...file.tensors.keys()].sort()) {
    const entry = file.tensors.get(name);
    if (entry === undefined) continue;
    parts.push(encoder.encode(`${name}:${entry.shape.join('x')};`));
    const values = toFloat32(entry, name, source);
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.byteLength;
  }
  const digest = await crypto.subtle.digest('SHA-256', all);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
