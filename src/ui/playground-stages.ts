/**
 * What the playground is built from, and its stages' states wired to one another: a new policy
 * makes the prefetched pair stale, a saved checkpoint refreshes the Compare stage and the charts,
 * marked labels lengthen the Play, and so on. What a stage needs of the page as a whole (prompts,
 * seed, the label log, writing the address) it asks through `PageHooks`.
 */
import type { EngineClient } from '../workers/client';
import type { LabelLog } from '../contract/labels';
import type { LabelerInfo } from '../contract/protocol';
import { BaseState } from './base-state.svelte';
import { ChartState } from './chart-state.svelte';
import { CompareState } from './compare-state.svelte';
import { DataState } from './data-state.svelte';
import { ExperimentState, type ExperimentDeps } from './experiment-state.svelte';
import { LabelState } from './label-state.svelte';
import { LoopState } from './loop-state.svelte';
import { PretrainState } from './pretrain-state.svelte';
import type { PageSetup, Stage } from './page-setup';
import type { LabelCounts } from './label-log';
import { problemOf } from './problem';
import { RewardState } from './reward-state.svelte';
import { run as runText } from './strings';
import { TuneState } from './tune-state.svelte';
import type { Workspace } from './workspace';

export interface Openings {
  train: string[];
  evaluation: string[];
}

export interface PlaygroundDeps {
  client: EngineClient;
  workspace: Workspace;
  setup: PageSetup;
  /** Replaces the page address's query string (history.replaceState in the app). */
  writeQuery: (query: string) => void;
  /** The query string now, so parameters that are not part of the setup are kept. */
  readQuery: () => string;
  /** Why the browser's database could not be opened (the workspace is then kept in memory). */
  storageProblem?: string | null;
  /** Makes a saved model the loaded (base) model; the session then starts again on it. */
  useModel?: (name: string, bytes: ArrayBuffer, tokenizer: string | null) => Promise<boolean>;
  /** Loads a shipped model (the default without an id); the session then starts again on it. */
  useShipped?: (modelId?: string) => Promise<boolean>;
  /** Caps on the experiments' size and the workspace each opens in (tests); default none, in memory. */
  experiments?: Pick<ExperimentDeps, 'limits' | 'newWorkspace'>;
}

/** What the stages ask of the page that holds them. */
export interface PageHooks {
  trainPrompts(): string[];
  evalPrompts(): string[];
  seed(): number;
  ready(): boolean;
  labels(): LabelLog;
  labelledBy(): Record<string, number>;
  labelers(): LabelerInfo[];
  /** The stored labels changed: read them again and tell the worker. */
  labelsChanged(): Promise<void>;
  /** Writes the setup into the page address. */
  syncQuery(): void;
  /** A backup was restored: start again on what it holds. */
  restored(): Promise<void>;
  /** The model was trained on the person's text: start again on it. */
  pretrained(source: string, weightsHash: string | null): Promise<void>;
  report(err: unknown): void;
}

export interface Stages {
  charts: ChartState;
  tune: TuneState;
  label: LabelState;
  reward: RewardState;
  compare: CompareState;
  data: DataState;
  loop: LoopState;
  pretrain: PretrainState;
  base: BaseState;
  experiments: ExperimentState;
}

/**
 * Every stage's state, set up as the page address says and wired to the others. The experiment the
 * address names is opened by the page once it holds them (`ExperimentState.restore`), since that
 * writes the address.
 */
export function buildStages(deps: PlaygroundDeps, page: PageHooks): Stages {
  const { client, workspace, setup } = deps;
  // In the order the page has always built them; each callback reads the others only when called.
  const charts = new ChartState({ workspace, changed: () => page.syncQuery() });
  charts.extra = setup.charts;
  const tune: TuneState = new TuneState({
    client,
    workspace,
    prompts: () => page.trainPrompts(),
    policyChanged: () => label.invalidate(),
    saved: () => {
      void compare.refreshCheckpoints();
      void charts.refresh();
    },
    newRun: () => base.restart(),
    blocked: () => (base.gone === null ? null : problemOf('BASE_GONE', () => runText.goneProblem)),
    marked: () => reward.marked,
  });
  tune.settings = { ...setup.tune };
  const label: LabelState = new LabelState({
    client,
    workspace,
    prompts: () => page.trainPrompts(),
    maxNewTokens: () => tune.settings.maxNewTokens,
    modelVersion: () => tune.version,
    changed: () => page.labelsChanged(),
  });
  label.mode = setup.stars ? 'stars' : 'pair';
  label.active = setup.active;
  const reward = new RewardState({
    client,
    workspace,
    prompts: () => page.trainPrompts(),
    labels: () => page.labels(),
  });
  const compare = new CompareState({
    client,
    workspace,
    prompts: () => page.evalPrompts(),
    seed: () => page.seed(),
    maxNewTokens: () => tune.settings.maxNewTokens,
    labelledBy: () => page.labelledBy(),
    labelers: () => page.labelers(),
  });
  const data = new DataState({
    workspace,
    converter: client,
    changed: () => page.labelsChanged(),
    restored: () => page.restored(),
  });
  const loop = new LoopState({ label, reward, tune });
  const pretrain = new PretrainState({ client, restart: (source, hash) => page.pretrained(source, hash) });
  const base: BaseState = new BaseState({
    workspace,
    useModel: deps.useModel,
    useShipped: deps.useShipped,
    addressBase: setup.base,
    report: (err) => page.report(err),
  });
  const experiments = new ExperimentState({
    client,
    prompts: () => page.trainPrompts(),
    seed: () => page.seed(),
    ready: () => page.ready(),
    changed: () => page.syncQuery(),
    ...deps.experiments,
  });
  return { charts, tune, label, reward, compare, data, loop, pretrain, base, experiments };
}

/** What the stage rail shows under each stage's name: the model stage shows none. */
export type RailCounts = { model: null } & Record<Exclude<Stage, 'model'>, number>;

/** What the stage rail shows under each stage's name. */
export function railCounts(stages: Pick<Stages, 'reward' | 'tune' | 'compare'>, counts: LabelCounts): RailCounts {
  return {
    model: null,
    label: counts.comparisons + counts.ratings,
    reward: stages.reward.history.length,
    tune: stages.tune.iterations,
    compare: stages.compare.checkpoints.length,
    data: counts.comparisons + counts.skips + counts.ratings + counts.demonstrations,
  };
}

/** Whether any stage runs work that a reload would cut short. */
export function stagesWorking(s: Stages): boolean {
  return (
    s.tune.running ||
    s.reward.training ||
    s.pretrain.running ||
    s.compare.running ||
    s.loop.on ||
    s.data.busy ||
    s.experiments.running
  );
}

/** Labels added since the reward model in use was trained on `trained` of them ("M new since"). */
export function labelsSince(trained: number | null, counts: LabelCounts): number {
  return trained === null ? 0 : Math.max(0, counts.comparisons + counts.ratings - trained);
}
