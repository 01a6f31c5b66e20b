/**
 * What each object store holds. Every record has a numeric `id` the database assigns
 * (autoIncrement), so records written by several tabs at once never collide; times are epoch
 * milliseconds, which index and sort as numbers.
 */
import type { Stars, WordMark } from '../contract/labels';
import type { HeldOutPairView, SampleView } from '../contract/views';

/** A record before the database gives it an id. */
export type New<T extends { id: number }> = Omit<T, 'id'>;

export type PromptSource = 'shipped' | 'user';
export type PromptSplit = 'train' | 'evaluation';

export interface PromptRecord {
  id: number;
  /** Unique across the store: the same prompt is never listed twice. */
  text: string;
  /** Shipped with the app, or written by the user. */
  source: PromptSource;
  /** Training prompts feed PPO; evaluation prompts are held out to measure it. */
  split: PromptSplit;
  createdAt: number;
}

export interface GenerationRecord {
  id: number;
  prompt: string;
  response: string;
  /** The model version that wrote it (a checkpoint id or a shipped model's name). */
  model: string;
  createdAt: number;
  /** The sampling settings used, as given (temperature, top-k...). */
  settings: Record<string, unknown> | null;
}

export type ComparisonChoice = 'a' | 'b' | 'tie' | 'skip';

export interface ComparisonRecord {
  id: number;
  prompt: string;
  /** The response shown on the left (A) and on the right (B). */
  a: string;
  b: string;
  /** "skip": the labeler could not decide; kept so the pair is not asked again, never trained on. */
  choice: ComparisonChoice;
  /** The person's labeler name ("human" unless they set one) or a simulated labeler's id. */
  labeler: string;
  createdAt: number;
  /** The model versions that wrote A and B; null when unknown (e.g. imported). */
  modelA: string | null;
  modelB: string | null;
  /** Milliseconds from showing the pair to the choice; null when unknown. */
  decisionMs: number | null;
  /** True on a pair asked again after it was first labelled (to measure agreement); absent otherwise. */
  secondOpinion?: boolean;
  /**
   * Whether A and B ended with end-of-text when sampled: the reward model trains on each response
   * with end-of-text when it ended, as rollouts are scored. Absent on labels stored before this was
   * recorded and on imported ones: read as not ended (the text is trained on as it stands).
   */
  aEnded?: boolean;
  bEnded?: boolean;
  /**
   * The words the labeler marked as reasons for the choice (fine-grained feedback): characters
   * [start, end) of A's or B's text that helped or hurt it, none overlapping on a side. Absent: no
   * marks, the label was given without marking words.
   */
  marks?: WordMark[];
}

export interface RatingRecord {
  id: number;
  prompt: string;
  response: string;
  stars: Stars;
  labeler: string;
  createdAt: number;
  /** The model version that wrote the response; null when unknown. */
  model: string | null;
  /** Whether the response ended with end-of-text when sampled; absent reads as not ended. */
  ended?: boolean;
}

/** A response written by the labeler: a target for supervised fine-tuning. */
export interface DemonstrationRecord {
  id: number;
  prompt: string;
  response: string;
  labeler: string;
  createdAt: number;
}

export type BlindChoice = 'first' | 'second' | 'tie';
export const BLIND_CHOICES: readonly BlindChoice[] = ['first', 'second', 'tie'];

/** A person's verdict on one pair of a blind A/B round in the Compare stage. */
export interface VoteRecord {
  id: number;
  /** The round it was given in: the time that round started. */
  round: number;
  prompt: string;
  /** The two policies judged, as the Compare stage names them: "base", "current" or "checkpoint:<id>". */
  left: string;
  right: string;
  /** The two responses, in the order they were shown. */
  first: string;
  second: string;
  /** Which policy wrote the response shown first (sides are drawn at random for each pair). */
  firstFrom: 'left' | 'right';
  choice: BlindChoice;
  createdAt: number;
}

export type CheckpointKind = 'policy' | 'reward' | 'value';
export const CHECKPOINT_KINDS: readonly CheckpointKind[] = ['policy', 'reward', 'value'];

/** A metric value; null where it was not finite (a diverged run), since JSON has no NaN. */
export type MetricValue = number | null;

export interface CheckpointRecord {
  id: number;
  kind: CheckpointKind;
  name: string;
  /** Named by the user: kept forever, never pruned by keep-last-N. */
  named: boolean;
  /** The checkpoint file (safetensors), as the engine reads it. */
  bytes: ArrayBuffer;
  /** The model config (a GPTConfig for a policy), for listing without decoding the bytes. */
  config: unknown;
  /** The checkpoint this one was trained from; null for a shipped or imported model. */
  parentId: number | null;
  /** Metrics when saved (reward, KL, loss...). */
  metrics: Record<string, MetricValue>;
  createdAt: number;
  /**
   * tokenizer.json text when the model needs a tokenizer other than the shipped one (an
   * imported model); null means the shipped tokenizer, named by the fingerprint in `bytes`.
   */
  tokenizer: string | null;
}

/** Which checkpoint of a kind is current; moved only after the checkpoint itself is stored. */
export interface CheckpointPointer {
  kind: CheckpointKind;
  checkpointId: number;
  updatedAt: number;
}

/** One logged step of a run. */
export interface RunPoint {
  step: number;
  values: Record<string, MetricValue>;
}

export interface RunRecord {
  id: number;
  /** What was trained: "ppo", "reward", "sft", "dpo"... */
  kind: string;
  name: string;
  /** The run's full config as given (PPOConfig, RewardConfig...). */
  config: unknown;
  createdAt: number;
  updatedAt: number;
  points: RunPoint[];
}

/**
 * What one logged step of a run showed: the responses sampled in a tuning iteration (`samples`),
 * or the held-out pairs as a reward-model training judged them (`pairs`).
 */
export interface RunSamplesRecord {
  run: number;
  step: number;
  samples?: SampleView[];
  pairs?: HeldOutPairView[];
}

/** The training lease used where Web Locks are missing: who trains, until when. */
export interface LeaseRecord {
  name: string;
  holder: string;
  expiresAt: number;
}

/** A number kept as a metric: finite as is, anything else as null. */
export function metricValue(value: number): MetricValue {
  return Number.isFinite(value) ? value : null;
}
