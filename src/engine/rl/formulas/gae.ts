/**
 * Generalised Advantage Estimation (Schulman et al. 2016), the critic-based advantage PPO uses:
 *   δ_t = r_t + γ·V_{t+1} - V_t
 *   A_t = δ_t + γ·λ·A_{t+1}
 *   R_t = A_t + V_t   (the value head's regression target)
 * with V and A beyond each response's last real token taken as 0: the episode ends at
 * end-of-text, so nothing after it is bootstrapped. Shapes: B responses, T response tokens;
 * masks are right-padded (ones, then zeros).
 */
import * as tf from '@tensorflow/tfjs';
import { invariant } from '../../errors';
import { checkRank, checkSameShape } from './shapes';

/**
 * Vectorised over the batch; the recursion runs backwards over T, one column at a time.
 * rewards, values, mask [B, T] -> advantages, returns [B, T], both 0 on padding.
 */
export function gae(
  rewards: tf.Tensor2D,
  values: tf.Tensor2D,
  mask: tf.Tensor2D,
  gamma: number,
  lambda: number,
): { advantages: tf.Tensor2D; returns: tf.Tensor2D } {
  checkRank('gae', 'rewards', rewards, 2);
  checkSameShape('gae', { rewards, values, mask });
  const [B, T] = rewards.shape;
  const m = tf.cast(mask, 'float32');
  const maskedValues = tf.mul(values, m); // [B, T], V = 0 after the last real token
  const column = (x: tf.Tensor, t: number) => tf.reshape(tf.slice(x, [0, t], [B, 1]), [B]); // [B]
  const reversed: tf.Tensor1D[] = [];
  let nextValue: tf.Tensor = tf.zeros([B]); // V_{t+1}, [B]
  let nextAdvantage: tf.Tensor = tf.zeros([B]); // A_{t+1}, [B]
  for (let t = T - 1; t >= 0; t--) {
    const value = column(maskedValues, t);
    const delta = tf.sub(tf.add(column(rewards, t), tf.mul(nextValue, gamma)), value);
    const advantage = tf.mul(tf.add(delta, tf.mul(nextAdvantage, gamma * lambda)), column(m, t)) as tf.Tensor1D;
    reversed.push(advantage);
    nextValue = value;
    nextAdvantage = advantage;
  }
  const advantages = tf.stack(reversed.reverse(), 1) as tf.Tensor2D; // [B, T]
  return { advantages, returns: tf.add(advantages, maskedValues) as tf.Tensor2D };
}

/**
 * The same recursion as plain nested loops over JS arrays, written for reading and as the
 * reference the tensor version is tested against. rewards, values, mask: B rows of T numbers.
 */
export function gaeReference(
  rewards: number[][],
  values: number[][],
  mask: number[][],
  gamma: number,
  lambda: number,
): { advantages: number[][]; returns: number[][] } {
  const sameRows = rewards.length === values.length && rewards.length === mask.length;
  invariant(sameRows, 'gaeReference: rewards, values and mask have different numbers of rows');
  const advantages = rewards.map((row, b) => gaeRow(row, values[b], mask[b], gamma, lambda));
  const returns = advantages.map((row, b) => row.map((a, t) => (mask[b][t] === 0 ? 0 : a + values[b][t])));
  return { advantages, returns };
}

/** Advantages of one response, walking its tokens from last to first. */
function gaeRow(rewards: number[], values: number[], mask: number[], gamma: number, lambda: number): number[] {
  const advantages = new Array<number>(rewards.length).fill(0);
  let nextValue = 0; // V_{t+1}
  let nextAdvantage = 0; // A_{t+1}
  for (let t = rewards.length - 1; t >= 0; t--) {
    if (mask[t] === 0) {
      // padding: A_t stays 0, and the token before it is the last real one
      nextValue = 0;
      nextAdvantage = 0;
      continue;
    }
    const delta = rewards[t] + gamma * nextValue - values[t];
    advantages[t] = delta + gamma * lambda * nextAdvantage;
    nextValue = values[t];
    nextAdvantage = advantages[t];
  }
  return advantages;
}
