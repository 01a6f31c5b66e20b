/**
 * Critic-free advantages from several responses to the same prompt: each response is judged
 * against its siblings instead of against a learned value. scores [P, n]: P prompts, n responses
 * each (n >= 2), one scalar score per response.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../../errors';
import { checkRank } from './shapes';

/** Keeps the GRPO advantage finite when every response in a group scored the same (TRL's value). */
const GRPO_STD_EPS = 1e-4;

/**
 * GRPO (Shao et al. 2024): (s - mean of the group) / (std of the group + 1e-4), with the unbiased
 * (n - 1) standard deviation as TRL computes it. scores [P, n] -> [P, n].
 */
export function grpoAdvantages(scores: tf.Tensor2D): tf.Tensor2D {
  const n = checkGroups('grpo', scores);
  const mean = tf.mean(scores, 1, true); // [P, 1]
  const centered = tf.sub(scores, mean); // [P, n]
  const std = tf.sqrt(tf.div(tf.sum(tf.square(centered), 1, true), n - 1)); // [P, 1]
  return tf.div(centered, tf.add(std, GRPO_STD_EPS));
}

/**
 * RLOO (Ahmadian et al. 2024): s_i minus the mean score of the other n - 1 responses, an unbiased
 * baseline because it does not depend on response i. scores [P, n] -> [P, n]; each row sums to 0.
 */
export function rlooAdvantages(scores: tf.Tensor2D): tf.Tensor2D {
  const n = checkGroups('rloo', scores);
  const total = tf.sum(scores, 1, true); // [P, 1]
  const baseline = tf.div(tf.sub(total, scores), n - 1); // [P, n], mean of the others
  return tf.sub(scores, baseline);
}

/** Checks scores is [P, n] with n >= 2 and returns n. */
function checkGroups(algorithm: 'grpo' | 'rloo', scores: tf.Tensor2D): number {
  checkRank(`${algorithm}Advantages`, 'scores', scores, 2);
  const n = scores.shape[1];
  check(n >= 2, 'BAD_ARGUMENT', { code: 'ALGORITHM_NEEDS_GROUPS', params: { algorithm } });
  return n;
}
