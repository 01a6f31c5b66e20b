/**
 * Sum of many same-shaped tensors. Not tf.addN: on the WebGPU backend (tfjs 4.22, seen on
 * SwiftShader) addN silently adds only its first four inputs. A pairwise tree of tf.add is
 * correct everywhere and costs about log2(n) rounds of small kernels.
 */
import * as tf from '@tensorflow/tfjs';

export function sumAll(xs: tf.Tensor[]): tf.Tensor {
  if (xs.length === 0) throw new Error('sumAll needs at least one tensor');
  let level = xs;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? tf.add(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}
