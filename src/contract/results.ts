/**
 * Which result answers each request, stated once: the client's methods take their result types
 * from here, so a request and its answer cannot drift apart. `init` is answered by a `ready`
 * event instead of a result.
 */
import type { RequestResult, RequestType } from './protocol';

export const RESULT_KINDS = {
  loadModel: 'model',
  useModel: 'model',
  importHf: 'hfModel',
  exportHf: 'hfFiles',
  generate: 'generation',
  cancel: 'cancelled',
  startSession: 'session',
  samplePair: 'pair',
  sampleOne: 'response',
  setLabels: 'done',
  setLabeler: 'done',
  judge: 'answer',
  trainReward: 'rewardModel',
  scoreText: 'score',
  configure: 'done',
  iterate: 'tuned',
  pause: 'paused',
  resume: 'paused',
  reset: 'done',
  evaluate: 'comparison',
  samplePolicies: 'policySamples',
  savePolicy: 'checkpoint',
  loadPolicy: 'done',
  tokenizer: 'tokenizer',
  pretrain: 'pretrained',
  loseDevice: 'deviceDestroyed',
  runExperiment: 'experimentDone',
} as const satisfies Record<Exclude<RequestType, 'init'>, RequestResult['kind']>;

/** The requests answered by a result (all but `init`). */
export type AnsweredType = keyof typeof RESULT_KINDS;

/** The result that answers a request of type `T`. */
export type ResultFor<T extends AnsweredType> = Extract<RequestResult, { kind: (typeof RESULT_KINDS)[T] }>;
