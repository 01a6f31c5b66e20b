/**
 * The Compare stage: two policies (base, current, or any saved checkpoint) on the same held-out
 * prompts, 8 samples each by default, as `npm run rlhf` evaluates. The result leads with what the
 * person's own labels taught: the reward model's preference, and their own blind verdict (see
 * blind-round.svelte.ts). A simulated labeler's gold score is shown only as a yardstick: by
 * default the simulated labeler that gave labels, if any did; otherwise only when the person
 * picks one. Every win-rate carries its 95% bootstrap interval over prompts.
 */
import type { CheckpointSummary } from '../storage/checkpoints';
import { StorageError } from '../storage/errors';
import type { EngineClient } from '../workers/client';
import type { LabelerInfo, PolicyComparison, PolicyRef, StepReport } from '../contract/protocol';
import { BlindRound } from './blind-round.svelte';
import { KEYWORD_PREFIX, labelerSpec } from './page-setup';
import { toProblem, type Problem } from './problem';
import type { KeyPress } from './shortcuts';
import type { CheckpointWorkspace, VoteWorkspace } from './workspace';

export type CompareClient = Pick<EngineClient, 'evaluate' | 'samplePolicies'>;

/** "base", "current", or "checkpoint:<id>". */
export type PolicyChoice = 'base' | 'current' | `checkpoint:${number}`;

export interface CompareDeps {
  client: CompareClient;
  workspace: CheckpointWorkspace & VoteWorkspace;
  /** Held-out prompts: never used for labelling or tuning. */
  prompts: () => string[];
  seed: () => number;
  maxNewTokens: () => number;
  /** How many stored labels each labeler gave: "human", a simulated labeler's id, "imported"... */
  labelledBy: () => Readonly<Record<string, number>>;
  /** The simulated labelers on offer. */
  labelers: () => readonly LabelerInfo[];
  now?: () => number;
}

export type EvaluateStep = Extract<StepReport, { kind: 'evaluate' }>;

/** As `npm run rlhf` evaluates: 12 held-out prompts x 8 = 96 pairs on the shipped set. */
export const EVAL_SAMPLES_PER_PROMPT = 8;
export const EVAL_TEMPERATURE = 0.7;
/** The yardstick choice that means "no simulated labeler". */
export const NO_YARDSTICK = '';

export class CompareState {
  left = $state<PolicyChoice>('base');
  right = $state<PolicyChoice>('current');
  checkpoints = $state.raw<CheckpointSummary[]>([]);
  running = $state(false);
  /** How far the running comparison is, from the worker's step events. */
  progress = $state.raw<EvaluateStep | null>(null);
  result = $state.raw<PolicyComparison | null>(null);
  /** The names of the two policies the result compares, as they were when it ran. */
  names = $state.raw<[PolicyChoice, PolicyChoice]>(['base', 'current']);
  problem = $state.raw<Problem | null>(null);
  readonly blind: BlindRound;
  /** The yardstick the person picked; null until they pick one. */
  private picked = $state<string | null>(null);
  /** Simulated labelers that gave stored labels, most labels first. */
  readonly simulatedSources = $derived.by(() => {
    const known = this.deps.labelers().map((l) => l.id);
    return Object.entries(this.deps.labelledBy())
      .filter(([id, n]) => n > 0 && (known.includes(id) || id.startsWith(KEYWORD_PREFIX)))
      .sort((a, b) => b[1] - a[1])
      .map(([id]) => id);
  });
  /** The labeler whose gold score is shown, or NO_YARDSTICK. */
  readonly yardstick = $derived(this.picked ?? this.simulatedSources[0] ?? NO_YARDSTICK);
  /** The yardsticks on offer: none, the labelers that gave labels, then every built-in one. */
  readonly yardsticks = $derived.by(() => {
    const all = [NO_YARDSTICK, ...this.simulatedSources, ...this.deps.labelers().map((l) => l.id)];
    return all.filter((id, i) => all.indexOf(id) === i);
  });

  constructor(private readonly deps: CompareDeps) {
    this.blind = new BlindRound({
      client: deps.client,
      workspace: deps.workspace,
      prompts: deps.prompts,
      maxNewTokens: deps.maxNewTokens,
      temperature: EVAL_TEMPERATURE,
      ref: (choice) => this.ref(choice),
      report: (err) => (this.problem = toProblem(err)),
      now: deps.now ?? Date.now,
    });
  }

  /** Whether a labeler gave any of the stored labels (so its gold score is the person's own target). */
  gaveLabels(id: string): boolean {
    return this.simulatedSources.includes(id);
  }

  pickYardstick(id: string): void {
    this.picked = id;
  }

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
    if (record === null)
      throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'checkpoint', id } });
    return { kind: 'checkpoint', name: record.name, bytes: record.bytes };
  }

  /** Samples both policies on the held-out prompts and judges them. */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.problem = null;
    this.progress = null;
    const names: [PolicyChoice, PolicyChoice] = [this.left, this.right];
    const yardstick = this.yardstick;
    try {
      const [base, tuned] = [await this.ref(names[0]), await this.ref(names[1])];
      const options = {
        prompts: this.deps.prompts(),
        samplesPerPrompt: EVAL_SAMPLES_PER_PROMPT,
        maxNewTokens: this.deps.maxNewTokens(),
        temperature: EVAL_TEMPERATURE,
        seed: this.deps.seed(),
        yardstick: yardstick === NO_YARDSTICK ? null : labelerSpec(yardstick),
      };
      const onStep = (report: StepReport): void => {
        if (report.kind === 'evaluate') this.progress = report;
      };
      this.result = await this.deps.client.evaluate(base, tuned, options, { onStep });
      this.names = names;
    } catch (err) {
      this.problem = toProblem(err);
    } finally {
      this.running = false;
      this.progress = null;
    }
  }

  /** Starts a blind round on the two policies picked now. */
  startBlind(random?: () => number): Promise<void> {
    this.problem = null;
    return this.blind.start([this.left, this.right], random);
  }

  /** The blind round's keys, while it shows a pair. */
  handleKey(press: KeyPress): boolean {
    return this.blind.handleKey(press);
  }
}
