/**
 * A GPT trunk with K scalar heads: the shape of both the reward model (heads read at the last
 * real token, K > 1 for an ensemble) and the value model (head 0 read at every response column).
 * Head weights are named as Hugging Face's GPT2ForSequenceClassification names its head (`score`).
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import { ParamStore, type NamedParams } from '../model/params';
import { Rng } from '../rng';
import type { RewardPooling } from './reward-config';
import {
  lastTokenHidden,
  meanResponseHidden,
  responseHidden,
  type SequenceBatch,
  type SequenceTensors,
} from './sequences';

export type HeadInit = 'normal' | 'zeros';

export class ScalarModel implements NamedParams {
  readonly trunk: GPT;
  readonly head: ParamStore;
  readonly heads: number;
  /** Where sequenceScores reads the trunk: the last real token, or the mean over the response. */
  readonly pooling: RewardPooling;

  /**
   * Takes ownership of `trunk`. 'normal' initialises the head as lm-human-preferences does,
   * N(0, 1/(C+1)) with bias 0, so initial scores are O(1); 'zeros' starts every score at 0.
   */
  constructor(trunk: GPT, heads: number, init: HeadInit, seed = 0, pooling: RewardPooling = 'last') {
    this.trunk = trunk;
    this.heads = heads;
    this.pooling = pooling;
    const C = trunk.config.nEmbd;
    const rng = new Rng(seed);
    const std = 1 / Math.sqrt(C + 1);
    this.head = new ParamStore(
      [
        {
          name: 'score.weight',
          shape: [C, heads],
          init: init === 'zeros' ? { kind: 'zeros' } : { kind: 'normal', std },
        },
        { name: 'score.bias', shape: [heads], init: { kind: 'zeros' } },
      ],
      (spec) => {
        const values = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
        if (spec.init.kind === 'normal') for (let i = 0; i < values.length; i++) values[i] = rng.normal() * std;
        return values;
      },
    );
  }

  /** Trunk then head variables, trunk names prefixed as in HF (`transformer.*`, `score.*`). */
  entries(): [string, tf.Variable][] {
    return [...this.trunk.params.entries(), ...this.head.entries()];
  }

  /** Scores of whole sequences, every head: [B, K]. Call inside tf.tidy. */
  sequenceScores(s: SequenceBatch, t: SequenceTensors, embeddingDelta?: tf.Tensor3D): tf.Tensor2D {
    const read = this.pooling === 'mean' ? meanResponseHidden : lastTokenHidden;
    const h = read(this.trunk, s, t, embeddingDelta); // [B, C]
    return tf.add(tf.matMul(h, this.head.get<tf.Rank.R2>('score.weight')), this.head.get<tf.Rank.R1>('score.bias')); // [B, K]
  }

  /** Head 0 at every column that predicts a response token: V(s_t), [B, Lr]. Call inside tf.tidy. */
  tokenValues(s: SequenceBatch, t: SequenceTensors): tf.Tensor2D {
    const h = responseHidden(this.trunk, s, t); // [B, Lr, C]
    const [B, Lr, C] = h.shape;
    const w = tf.slice(this.head.get<tf.Rank.R2>('score.weight'), [0, 0], [C, 1]); // [C, 1]
    const b = tf.slice(this.head.get<tf.Rank.R1>('score.bias'), [0], [1]); // [1]
    return tf.reshape(tf.add(tf.matMul(tf.reshape(h, [B * Lr, C]), w), b), [B, Lr]); // [B, Lr]
  }

  /** An independent copy with the same weights; `heads` keeps only the first n heads. */
  clone(heads = this.heads): ScalarModel {
    const copy = new ScalarModel(this.trunk.clone(), heads, 'zeros', 0, this.pooling);
    tf.tidy(() => {
      copy.head.get('score.weight').assign(tf.slice(this.head.get<tf.Rank.R2>('score.weight'), [0, 0], [-1, heads]));
      copy.head.get('score.bias').assign(tf.slice(this.head.get<tf.Rank.R1>('score.bias'), [0], [heads]));
    });
    return copy;
  }

  dispose(): void {
    this.trunk.dispose();
    this.head.dispose();
  }
}
