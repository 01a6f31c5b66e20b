/**
 * The Compare stage: two policies (base, current, or any saved checkpoint) on the same held-out
 * prompts, side by side with reward-model and gold scores and the gold win-rate; then a blind A/B
 * round where the person judges the same samples without knowing which policy wrote which, which
 * gives an honest human win-rate.
 */
import type { EngineClient } from '../workers/client';
import type { PolicyComparison, PolicyRef } from '../workers/protocol';
import type { CheckpointSummary } from '../storage/checkpoints';
import { toProblem, type Problem } from './problem';
import type { CheckpointWorkspace } from './workspace';

export type CompareClient = Pick<EngineClient, 'evaluate'>;

/** "base", "current", or "checkpoint:<id>". */
export type PolicyChoice = 'base' | 'current' | `checkpoint:${number}`;

export interface CompareDeps {
  client: CompareClient;
  workspace: CheckpointWorkspace;
  /** Held-out prompts: never used for labelling or tuning. */
  prompts: () => string[];
  seed: () => number;
  maxNewTokens: () => number;
}

export interface BlindItem {
  prompt: string;
  /** The two texts in the order shown. */
  shown: [string, string];
  /** Whether the right-hand policy's text is shown first. */
  rightFirst: boolean;
}

export type BlindVote = 'first' | 'second' | 'tie';

export const EVAL_PROMPTS = 8;
export const EVAL_SAMPLES_PER_PROMPT = 2;
export const EVAL_TEMPERATURE = 0.7;

export class CompareState {
  left = $state<PolicyChoice>('base');
  right = $state<PolicyChoice>('current');
  checkpoints = $state.raw<CheckpointSummary[]>([]);
  running = $state(false);
  result = $state.raw<PolicyComparison | null>(null);
  /** The names of the two policies the result compares, as they were when it ran. */
  names = $state.raw<[PolicyChoice, PolicyChoice]>(['base', 'current']);
  problem = $state.raw<Problem | null>(null);
  blind = $state.raw<BlindItem[]>([]);
  votes = $state.raw<BlindVote[]>([]);
  readonly blindDone = $derived(this.blind.length > 0 && this.votes.length === this.blind.length);
  readonly blindItem = $derived(this.blind[this.votes.length] ?? null);
  /** The person's verdict: wins of the right-hand policy, of the left, and ties. */
  readonly tally = $derived.by(() => {
    const sides = this.votes.map((v, i) =>
      v === 'tie' ? 'tie' : (v === 'first') === this.blind[i].rightFirst ? 'right' : 'left',
    );
    const right = sides.filter((s) => s === 'right').length;
    const left = sides.filter((s) => s === 'left').length;
    const n = sides.length;
    return { right, left, ties: n - right - left, winRate: n === 0 ? null : (right + 0.5 * (n - right - left)) / n };
  });

  /** Mean reward-model score of each side's samples, when a reward model scored them. */
  readonly rewardMeans = $derived.by(() => {
    const r = this.result;
    if (r === null || r.rewardBase === null || r.rewardTuned === null) return null;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    return { left: mean(r.rewardBase), right: mean(r.rewardTuned) };
  });

  constructor(private readonly deps: CompareDeps) {}

  async refreshCheckpoints(): Promise<void> {
    try {
      this.checkpoints = await this.deps.workspace.listCheckpoints('policy');
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  private async ref(choice: PolicyChoice): Promise<PolicyRef> {
    if (choice === 'base' || choice === 'current') return { kind: choice };
    const id = Number(choice.slice('checkpoint:'.length));
    const record = await this.deps.workspace.getCheckpoint(id);
    if (record === null) throw new Error(`The saved checkpoint ${id} is no longer stored; pick another.`);
    return { kind: 'checkpoint', name: record.name, bytes: record.bytes };
  }

  /** Samples both policies on the held-out prompts and scores them. */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.problem = null;
    const names: [PolicyChoice, PolicyChoice] = [this.left, this.right];
    try {
      const [base, tuned] = [await this.ref(names[0]), await this.ref(names[1])];
      const options = {
        prompts: this.deps.prompts().slice(0, EVAL_PROMPTS),
        samplesPerPrompt: EVAL_SAMPLES_PER_PROMPT,
        maxNewTokens: this.deps.maxNewTokens(),
        temperature: EVAL_TEMPERATURE,
        seed: this.deps.seed(),
      };
      this.result = await this.deps.client.evaluate(base, tuned, options);
      this.names = names;
      this.blind = [];
      this.votes = [];
    } catch (err) {
      this.problem = toProblem(err);
    } finally {
      this.running = false;
    }
  }

  /** Starts a blind round on the last result's samples, each pair in a random order. */
  startBlind(random: () => number = Math.random): void {
    if (this.result === null) return;
    this.blind = this.result.evaluation.samples.map((s) => {
      const rightFirst = random() < 0.5;
      return { prompt: s.prompt, shown: rightFirst ? [s.tuned, s.base] : [s.base, s.tuned], rightFirst };
    });
    this.votes = [];
  }

  vote(vote: BlindVote): void {
    if (this.blindItem !== null) this.votes = [...this.votes, vote];
  }
}
