/** What the figures were measured on, in Node: they mean little without it. */
import * as tf from '@tensorflow/tfjs';
import { cpus, loadavg } from 'node:os';

/** Backend, its WASM features, CPU model and cores, Node version, and how busy the machine was. */
export async function describeMachine(): Promise<Record<string, string | number | boolean>> {
  const backend = tf.getBackend();
  const machine: Record<string, string | number | boolean> = { backend, tfjs: tf.version.tfjs };
  if (backend === 'wasm') {
    machine.simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    machine.threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  }
  const cpu = cpus();
  machine.cpu = cpu[0]?.model.trim() ?? 'unknown';
  machine.cores = cpu.length;
  machine.node = process.version;
  // Other work on the machine slows every timing; the 1-minute load says how much there was.
  machine.load = Number(loadavg()[0].toFixed(2));
  return machine;
}
