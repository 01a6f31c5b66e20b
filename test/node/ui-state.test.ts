// The state classes of the playground, each against a scripted stand-in for the worker client and
// the in-memory workspace: what is stored when, what is shown, what a failure looks like.
import { STUDY_DPO_LEARNING_RATE } from '../../src/contract/algorithms';
import { describe, expect, it } from 'vitest';
import { GPT_PRESETS, type GPTConfig, type PairRequest, type SampleView } from '../../src/engine';
import { ratingsToPairs } from '../../src/engine/rl/preferences';
import { StorageError } from '../../src/storage/errors';
import { pairResult, winRate, type PairResult } from '../../src/engine/eval/win-rate';
import { toRating } from '../../src/storage/labels';
import { CompareState, NO_YARDSTICK, type EvaluateStep } from '../../src/ui/compare-state.svelte';
import { DataState } from '../../src/ui/data-state.svelte';
import { noConverter } from '../helpers/no-converter';
import { LabelState } from '../../src/ui/label-state.svelte';
import { LoopState } from '../../src/ui/loop-state.svelte';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { AUTO_TRAIN_EVERY, RewardState, readRewardSummary } from '../../src/ui/reward-state.svelte';
import type { KeyPress } from '../../src/ui/shortcuts';
import { TuneState } from '../../src/ui/tune-state.svelte';
import type { Workspace } from '../../src/ui/workspace';
import { WorkerRequestError, type RequestOptions, type TuningRun } from '../../src/workers/client';
import type {
  Answer,
  EvaluateOptions,
  LabelerInfo,
  PolicyComparison,
  PolicyRef,
  PolicySampling,
  Question,
  RewardTraining,
  SamplePair,
} from '../../src/contract/protocol';
import { DEFAULT_TUNE } from '../../src/contract/tune-settings';
import { MARKED_PLAY } from '../../src/contract/marked-play';
import { charCodec } from '../helpers/char-codec';

/** A worker client that answers at once, counting what it was asked. */
class FakeClient {
  pairs = 0;
  singles = 0;
  trainings = 0;
  iterations = 0;
  configured = 0;
  loaded: ArrayBuffer[] = [];

  async samplePair(prompts: string[], active: boolean): Promise<PairRequest> {
    this.pairs++;
    return {
      prompt: prompts[0],
      a: `a${this.pairs}`,
      b: `b${this.pairs}`,
      aEnded: true,
      bEnded: false,
      reason: active
        ? ({ kind: 'uncertain', heads: 2, spread: 0.5, candidates: 4 } as const)
        : ({ kind: 'random' } as const),
      uncertainty: active ? 0.5 : null,
    };
  }

  async sampleOne(prompt: string): Promise<{ text: string; ended: boolean }> {
    return { text: `${prompt} response ${++this.singles}`, ended: this.singles % 2 === 0 };
  }

  async judge(q: Question): Promise<Answer> {
    return q.kind === 'compare'
      ? { kind: 'compare', choice: 'b', pA: 0.2, labeler: 'sim' }
      : { kind: 'rate', stars: 4, labeler: 'sim' };
  }

  async trainReward(_p: string[], options: RequestOptions = {}): Promise<RewardTraining> {
    this.trainings++;
    // A macrotask, as a real worker's answer is: without it the loop test would never yield.
    await new Promise((r) => setTimeout(r, 0));
    options.onStep?.({ kind: 'reward', step: 1, total: 2, loss: 0.7 });
    options.onStep?.({ kind: 'reward', step: 2, total: 2, loss: 0.5 });
    const calibration = [
      { predicted: 0.3, observed: 0.25, count: 4 },
      { predicted: 0.7, observed: NaN, count: 0 },
    ];
    const checkpoint = new TextEncoder().encode(`reward ${this.trainings}`).buffer;
    return {
      losses: [0.6],
      evaluation: { accuracy: 0.75, loss: 0.5, calibration, pairs: 4, decided: 4 },
      heldOut: [
        { prompt: 'p', chosen: ' well judged', rejected: ' x', target: 1, pChosen: 0.9, loss: 0.105 },
        { prompt: 'p', chosen: ' misjudged', rejected: ' y', target: 1, pChosen: 0.2, loss: 1.609 },
      ],
      disagreements: [{ index: 0, pLabelled: 0.3 }],
      labels: 8,
      checkpoint,
    };
  }

  async scoreText(): Promise<{ score: number; disagreement: number }> {
    return { score: 1.5, disagreement: 0.1 };
  }

  async configure(): Promise<void> {
    this.configured++;
  }

  iterate(_p: string[], n: number, options: RequestOptions = {}): TuningRun {
    const sample = (i: number): SampleView => ({
      prompt: 'p',
      text: ` t${this.iterations + i}`,
      tokens: [' t'],
      logProbs: [-1],
      kl: [0.1],
      advantages: [0.2],
      score: 1,
      gold: 0.5,
    });
    const done = (async () => {
      for (let i = 1; i <= n; i++) {
        this.iterations++;
        options.onStep?.({
          kind: 'iteration',
          iteration: i,
          of: n,
          metrics: { 'objective/kl': i, 'objective/scores': i, 'gold/score': 0.5 },
          samples: [sample(0)],
        });
        await Promise.resolve();
      }
      return n;
    })();
    return { done, stopped: Promise.resolve(null), pause: async () => true, resume: async () => true };
  }

  async reset(): Promise<void> {}

  async savePolicy(name: string): Promise<{ bytes: ArrayBuffer; config: GPTConfig }> {
    return { bytes: new TextEncoder().encode(name).buffer, config: { ...GPT_PRESETS.tiny } };
  }

  async loadPolicy(bytes: ArrayBuffer): Promise<void> {
    this.loaded.push(bytes);
  }
}

const key = (k: string, target: unknown = null): KeyPress => ({
  key: k,
  ctrlKey: k === 'z',
  metaKey: false,
  altKey: false,
  target,
});

function labelState(workspace: Workspace = memoryWorkspace(), client = new FakeClient()) {
  let changes = 0;
  let clock = 1000;
  const label = new LabelState({
    client,
    workspace,
    prompts: () => ['once', 'twice'],
    maxNewTokens: () => 16,
    modelVersion: () => 'base',
    changed: async () => void changes++,
    now: () => (clock += 250),
    pause: async () => undefined,
  });
  return { label, client, workspace, changes: () => changes };
}

describe('LabelState', () => {
  it('stores each answer before the next pair, prefetching that pair while the person reads', async () => {
    const { label, client, workspace, changes } = labelState();
    await label.next();
    expect(label.pair).toMatchObject({ a: 'a1', b: 'b1' });
    expect(client.pairs).toBe(2); // the one shown and the one prefetched
    await label.choose('b');
    const [stored] = await workspace.listComparisons();
    expect(stored).toMatchObject({
      prompt: 'once',
      a: 'a1',
      b: 'b1',
      choice: 'b',
      labeler: 'human',
      modelA: 'base',
      decisionMs: 250,
    });
    expect(label.pair).toMatchObject({ a: 'a2' });
    expect(client.pairs).toBe(3);
    expect(changes()).toBe(1);
    expect(label.news).toEqual({ kind: 'chose', choice: 'b', labeler: 'human' });
  });

  it('undo deletes the last label and puts its pair back; shortcuts are off while editing', async () => {
    const { label, workspace } = labelState();
    await label.next();
    expect(label.handleKey(key('1'))).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(await workspace.listComparisons()).toHaveLength(1);
    await label.undo();
    expect(await workspace.listComparisons()).toHaveLength(0);
    expect(label.pair).toMatchObject({ a: 'a1', b: 'b1' });
    label.startEdit('b');
    expect(label.editing).toEqual({ side: 'b', text: 'b1' });
    expect(label.handleKey(key('2'))).toBe(false);
    await label.saveEdit('a better ending');
    expect(await workspace.listDemonstrations()).toMatchObject([
      { prompt: 'once', response: 'a better ending', labeler: 'human' },
    ]);
    expect(label.pair).toMatchObject({ a: 'a1' });
    expect(label.handleKey(key('1', { tagName: 'TEXTAREA' }))).toBe(false);
  });

  it('rates single responses with stars, and S skips without storing', async () => {
    const { label, workspace } = labelState();
    await label.setMode('stars');
    expect(label.single).toEqual({ prompt: 'once', response: 'once response 1', ended: false });
    await label.rate(4);
    expect(await workspace.listRatings()).toMatchObject([
      { prompt: 'once', response: 'once response 1', stars: 4, labeler: 'human', ended: false },
    ]);
    const shown = label.single;
    label.handleKey(key('s'));
    await new Promise((r) => setTimeout(r, 0));
    expect(label.single).not.toBe(shown);
    expect(await workspace.listRatings()).toHaveLength(1);
  });

  it('autopilot labels are marked with the simulated labeler', async () => {
    const { label, workspace } = labelState();
    await label.autoLabel(3);
    const stored = await workspace.listComparisons({ order: 'oldest' });
    expect(stored.map((c) => [c.choice, c.labeler])).toEqual([
      ['b', 'sim'],
      ['b', 'sim'],
      ['b', 'sim'],
    ]);
    expect(label.autoAnswer).toMatchObject({ kind: 'compare', labeler: 'sim' });
  });

  it("autopilot's verdict lands only on the pair it judged: a key pressed meanwhile wins, the verdict is dropped with a note", async () => {
    const workspace = memoryWorkspace();
    let release: () => void = () => undefined;
    let shown: () => void = () => undefined;
    const showing = new Promise<void>((r) => (shown = r));
    const label = new LabelState({
      client: new FakeClient(),
      workspace,
      prompts: () => ['once'],
      maxNewTokens: () => 16,
      modelVersion: () => 'base',
      changed: async () => undefined,
      // Autopilot shows its answer and waits: the person presses a key before the wait is over.
      pause: () => (shown(), new Promise<void>((r) => (release = r))),
    });
    await label.next();
    const auto = label.autoLabelOnce(600);
    await showing;
    expect(label.shownAutoAnswer).toMatchObject({ kind: 'compare', choice: 'b', labeler: 'sim' });
    expect(label.handleKey(key('1'))).toBe(true);
    while (label.pair?.a !== 'a2') await new Promise((r) => setTimeout(r, 0));
    release();
    await auto;
    const stored = await workspace.listComparisons({ order: 'oldest' });
    // On pair 1 the person's answer only; the labeler's verdict on pair 1 never reaches pair 2.
    expect(stored.map((c) => [c.a, c.choice, c.labeler])).toEqual([['a1', 'a', 'human']]);
    expect(label.pair).toMatchObject({ a: 'a2', b: 'b2' });
    expect(label.news).toEqual({ kind: 'dropped', labeler: 'sim' });
    expect(label.shownAutoAnswer).toBeNull();
  });

  it('records whether each response ended with every comparison and rating', async () => {
    const { label, workspace } = labelState();
    await label.next();
    await label.choose('a');
    expect(await workspace.listComparisons()).toMatchObject([{ a: 'a1', aEnded: true, bEnded: false }]);
    await label.setMode('stars');
    await label.rate(3);
    await label.rate(5);
    const ratings = await workspace.listRatings({ order: 'oldest' });
    expect(ratings.map((r) => [r.response, r.ended])).toEqual([
      ['once response 1', false],
      ['once response 2', true],
    ]);
  });

  it('star mode shows two responses to each prompt back to back, so two ratings already form a pair', async () => {
    const { label, workspace } = labelState();
    await label.setMode('stars');
    // The policy changes while the first response is on screen: the prefetched second one is
    // dropped, and its replacement still answers the same prompt.
    label.invalidate();
    for (const stars of [4, 2, 3, 5] as const) await label.rate(stars);
    const ratings = await workspace.listRatings({ order: 'oldest' });
    expect(ratings.map((r) => r.prompt)).toEqual(['once', 'once', 'twice', 'twice']);
    expect(ratingsToPairs(ratings.slice(0, 2).map(toRating), charCodec)).toHaveLength(1);
  });

  it('a full disk is said in plain words and the pair stays on screen', async () => {
    const workspace = memoryWorkspace();
    workspace.addComparison = () =>
      Promise.reject(new StorageError('QUOTA', { code: 'STORAGE_FULL', params: { what: 'comparison' } }));
    const { label } = labelState(workspace);
    await label.next();
    await label.choose('a');
    expect(label.problem).toEqual({
      code: 'STORAGE_QUOTA',
      message:
        'The browser has no room left to save this comparison. Nothing saved before was lost. Free space by deleting old checkpoints, runs or generations, or export a backup and start afresh.',
    });
    expect(label.pair).toMatchObject({ a: 'a1' });
    expect(label.canUndo).toBe(false);
  });
});

function rewardState(client = new FakeClient()) {
  const workspace = memoryWorkspace();
  const log = {
    comparisons: [{ id: 1, prompt: 'p', a: 'x', b: 'y', choice: 'a' as const, labeler: 'human' }],
    ratings: [],
    demonstrations: [],
  };
  return { reward: new RewardState({ client, workspace, prompts: () => ['p'], labels: () => log }), client, workspace };
}

/** The Reward stage as a reload finds it: no labels sent yet, the stored runs and checkpoints as they were. */
function reloadedReward(workspace: Workspace, client = new FakeClient()) {
  return new RewardState({
    client,
    workspace,
    prompts: () => [],
    labels: () => ({ comparisons: [], ratings: [], demonstrations: [] }),
  });
}

describe('RewardState', () => {
  it('keeps the loss curve, the held-out history in a stored run, and the pairs it gets wrong', async () => {
    const { reward, workspace } = rewardState();
    expect(await reward.train()).toBe(true);
    expect(reward.curve).toEqual({ steps: [1, 2], losses: [0.7, 0.5] });
    expect(reward.history).toEqual([{ labels: 8, accuracy: 0.75, loss: 0.5, heldOut: 4, decided: 4, marked: 0 }]);
    expect(reward.disagreements).toEqual([
      { prompt: 'p', a: 'x', b: 'y', choice: 'a', labeler: 'human', pLabelled: 0.3 },
    ]);
    const [run] = await workspace.listRuns();
    expect(run.points).toEqual([{ step: 8, values: { accuracy: 0.75, loss: 0.5, heldOut: 4, decided: 4, marked: 0 } }]);
  });

  it('opens a point of the accuracy chart to its held-out pairs, worst-judged first, also after a reload', async () => {
    const { reward, workspace } = rewardState();
    await reward.train();
    await reward.inspect(8);
    expect(reward.inspected?.pairs?.map((p) => [p.chosen, p.loss])).toEqual([
      [' misjudged', 1.609],
      [' well judged', 0.105],
    ]);
    const again = reloadedReward(workspace);
    await again.restore();
    await again.inspect(8);
    expect(again.inspected?.pairs).toHaveLength(2);
    await again.inspect(3);
    expect(again.inspected).toEqual({ labels: 3, pairs: null });
  });

  it('saves each trained model as a reward checkpoint and, after a reload, puts it back instead of training', async () => {
    const { reward, workspace } = rewardState();
    await reward.train();
    await reward.train();
    const saved = await workspace.currentCheckpoint('reward');
    expect(new TextDecoder().decode(saved!.bytes)).toBe('reward 2');
    expect(saved).toMatchObject({
      kind: 'reward',
      name: 'reward model, 8 labels',
      metrics: { labels: 8, accuracy: 0.75, loss: 0.5, heldOut: 4, decided: 4, marked: 0 },
    });
    const client = new FakeClient();
    const again = reloadedReward(workspace, client);
    expect(again.trained).toBe(false);
    expect(await again.restore()).toBe(true);
    expect(client.loaded.map((b) => new TextDecoder().decode(b))).toEqual(['reward 2']);
    expect(client.trainings).toBe(0);
    expect(again).toMatchObject({
      trained: true,
      trainedLabels: 8,
      restored: true,
      history: reward.history,
      hadModel: true,
    });
    expect(again.evaluation).toMatchObject({ accuracy: 0.75, pairs: 4 });
    expect(again.calibration).toEqual(reward.calibration);
    expect(again.disagreements).toEqual(reward.disagreements);
    await again.train();
    expect(again.restored).toBe(false);
  });

  it('shows no model when the saved one cannot be put back, and reads stored summaries leniently', async () => {
    const { reward, workspace } = rewardState();
    await reward.train();
    const client = new FakeClient();
    client.loadPolicy = () =>
      Promise.reject(
        new WorkerRequestError(
          'BAD_TOKENIZER',
          { code: 'TOKENIZER_MISMATCH', params: { file: 'reward checkpoint', expected: 'aaaa', given: 'bbbb' } },
          'loadPolicy',
        ),
      );
    const again = reloadedReward(workspace, client);
    expect(await again.restore()).toBe(false);
    expect(again).toMatchObject({ trained: false, restored: false, problem: { code: 'BAD_TOKENIZER' } });
    expect(again.hadModel).toBe(true);
    expect(readRewardSummary(null)).toEqual({ calibration: [], disagreements: [] });
    const odd = {
      calibration: [{ predicted: null, observed: 0.5, count: 3 }, 'x', { count: 'many' }],
      disagreements: [
        { prompt: 'p', a: 'x', b: 'y', choice: 'tie', labeler: 'h', pLabelled: 0.2 },
        { prompt: 'p', a: 'x', b: 'y', choice: 'b', labeler: 'h', pLabelled: 0.4 },
      ],
    };
    const read = readRewardSummary(odd);
    expect(read.calibration).toEqual([{ predicted: NaN, observed: 0.5, count: 3 }]);
    expect(read.disagreements).toEqual([{ prompt: 'p', a: 'x', b: 'y', choice: 'b', labeler: 'h', pLabelled: 0.4 }]);
  });

  it('counts the labels with marked words it trained on, stores the count and reads it back after a reload', async () => {
    const workspace = memoryWorkspace();
    const mark = { side: 'a' as const, start: 0, end: 1, polarity: 1 as const };
    const comparison = (id: number, marks?: (typeof mark)[]) => ({
      id,
      prompt: 'p',
      a: 'x',
      b: 'y',
      choice: 'a' as const,
      labeler: 'human',
      ...(marks === undefined ? {} : { marks }),
    });
    // Three of the eight labels the fake worker trains on carry marks; an empty list is no mark.
    const log = {
      comparisons: [comparison(1, [mark]), comparison(2, [mark, mark]), comparison(3, []), comparison(4, [mark])],
      ratings: [],
      demonstrations: [],
    };
    const reward = new RewardState({ client: new FakeClient(), workspace, prompts: () => ['p'], labels: () => log });
    expect(reward.marked).toBeNull();
    await reward.train();
    expect(reward.marked).toEqual({ labels: 8, marked: 3 });
    expect(reward.history.at(-1)?.marked).toBe(3);
    expect((await workspace.currentCheckpoint('reward'))?.metrics.marked).toBe(3);
    const again = reloadedReward(workspace);
    await again.restore();
    expect(again.marked).toEqual({ labels: 8, marked: 3 });
    expect(again.history).toEqual(reward.history);
  });

  it('trains in the background only every few new labels, and joins a training under way', async () => {
    const { reward, client } = rewardState();
    reward.maybeAutoTrain(AUTO_TRAIN_EVERY - 1);
    expect(client.trainings).toBe(0);
    reward.maybeAutoTrain(AUTO_TRAIN_EVERY);
    const joined = reward.train();
    expect(await joined).toBe(true);
    expect(client.trainings).toBe(1);
    reward.maybeAutoTrain(reward.trainedLabels! + AUTO_TRAIN_EVERY - 1);
    expect(client.trainings).toBe(1);
    reward.autoTrain = false;
    reward.maybeAutoTrain(100);
    expect(client.trainings).toBe(1);
  });
});

describe('TuneState', () => {
  it('switching the algorithm brings its own beta and learning rate and keeps the other knobs', () => {
    const tune = new TuneState({ client: new FakeClient(), workspace: memoryWorkspace(), prompts: () => ['p'] });
    tune.settings = { ...DEFAULT_TUNE, iterations: 7, learningRate: 5e-5 };
    tune.chooseAlgorithm('dpo');
    expect(tune.settings).toEqual({
      ...DEFAULT_TUNE,
      iterations: 7,
      algorithm: 'dpo',
      beta: 0.1,
      learningRate: STUDY_DPO_LEARNING_RATE,
    });
    tune.chooseAlgorithm('sft');
    expect(tune.settings.learningRate).toBe(3e-4);
    tune.chooseAlgorithm('ppo');
    expect(tune.settings).toEqual({ ...DEFAULT_TUNE, iterations: 7 });
  });

  it('one Play runs the longer Play when a third of the labels carry marks and the setting is at its default', async () => {
    let marked: { labels: number; marked: number } | null = null;
    const client = new FakeClient();
    const tune = new TuneState({ client, workspace: memoryWorkspace(), prompts: () => ['p'], marked: () => marked });
    expect(tune.playLength).toBe(DEFAULT_TUNE.iterations);
    marked = { labels: 40, marked: 13 };
    expect(tune.playLength).toBe(DEFAULT_TUNE.iterations);
    marked = { labels: 40, marked: 14 };
    expect(tune.playLength).toBe(MARKED_PLAY.iterations);
    expect(await tune.play()).toBe(true);
    expect(client.iterations).toBe(MARKED_PLAY.iterations);
    expect(await tune.step()).toBe(true);
    expect(client.iterations).toBe(MARKED_PLAY.iterations + 1);
    // A setting the person chose is kept; so is the Play of an algorithm the study did not measure.
    tune.settings = { ...DEFAULT_TUNE, iterations: 7 };
    expect(tune.playLength).toBe(7);
    tune.settings = { ...DEFAULT_TUNE };
    tune.chooseAlgorithm('dpo');
    expect(tune.playLength).toBe(DEFAULT_TUNE.iterations);
  });

  it('records each iteration, saves the policy after a run, and restores both', async () => {
    const client = new FakeClient();
    const workspace = memoryWorkspace();
    let saved = 0;
    const tune = new TuneState({ client, workspace, prompts: () => ['p'], saved: () => void saved++ });
    tune.settings = { ...DEFAULT_TUNE, iterations: 3 };
    expect(await tune.play()).toBe(true);
    expect(tune.points.map((p) => p.iteration)).toEqual([1, 2, 3]);
    expect(tune.version).toBe('tuned-3');
    await new Promise((r) => setTimeout(r, 0)); // the samples land a task after the metrics
    expect(tune.stream).toHaveLength(3);
    expect(saved).toBe(1);
    expect(await tune.step()).toBe(true);
    expect(tune.iterations).toBe(4);
    expect(client.configured).toBe(1); // unchanged settings are not sent again
    const current = await workspace.currentCheckpoint('policy');
    expect(current).toMatchObject({ name: 'after 4 iterations', named: false });
    expect(current?.metrics.iterations).toBe(4);

    const restored = new TuneState({ client, workspace, prompts: () => ['p'] });
    await restored.restore();
    expect(restored.points.map((p) => p.iteration)).toEqual([1, 2, 3, 4]);
    expect(restored.checkpointId).toBe(current?.id);
    expect(new TextDecoder().decode(client.loaded[0])).toBe('after 4 iterations');
  });

  it('opens a chart point to the samples of its iteration, also after a reload', async () => {
    const client = new FakeClient();
    const workspace = memoryWorkspace();
    const tune = new TuneState({ client, workspace, prompts: () => ['p'] });
    tune.settings = { ...DEFAULT_TUNE, iterations: 3 };
    await tune.play();
    await tune.inspect(2);
    expect(tune.inspected?.iteration).toBe(2);
    expect(tune.shown.map((s) => s.text)).toEqual([' t2']);
    expect(tune.sample?.text).toBe(' t2');
    tune.closeInspection();
    await new Promise((r) => setTimeout(r, 0));
    expect(tune.sample?.text).toBe(' t3');

    const restored = new TuneState({ client, workspace, prompts: () => ['p'] });
    await restored.restore();
    expect(restored.stream).toEqual([]);
    await restored.inspect(1);
    expect(restored.shown.map((s) => [s.text, s.iteration, s.kl, s.advantages])).toEqual([[' t1', 1, [0.1], [0.2]]]);
    await restored.inspect(9);
    expect(restored.inspected).toEqual({ iteration: 9, samples: null });
  });

  it('refuses to tune while another tab holds the training lock', async () => {
    const workspace = memoryWorkspace();
    workspace.withTrainingLock = async () => ({ acquired: false });
    const client = new FakeClient();
    const tune = new TuneState({ client, workspace, prompts: () => ['p'] });
    expect(await tune.play(2)).toBe(false);
    expect(tune.problem?.code).toBe('TRAINING_ELSEWHERE');
    expect(client.iterations).toBe(0);
    expect(tune.running).toBe(false);
  });

  it('warns when KL runs away', async () => {
    const tune = new TuneState({ client: new FakeClient(), workspace: memoryWorkspace(), prompts: () => ['p'] });
    tune.settings = { ...DEFAULT_TUNE, iterations: 12 };
    await tune.play();
    expect(tune.warnings.map((w) => w.kind)).toEqual(['klRunaway']);
  });
});

/** A worker client for the Compare stage: scripted evaluations and samples, recording what it was asked. */
class FakeCompareClient {
  evaluations: { base: PolicyRef; tuned: PolicyRef; options: EvaluateOptions }[] = [];
  samplings: PolicySampling[] = [];
  /** Progress seen by the page while the evaluation was still running. */
  seenWhileRunning: (EvaluateStep | null)[] = [];
  constructor(private readonly watch: () => EvaluateStep | null = () => null) {}

  async evaluate(
    base: PolicyRef,
    tuned: PolicyRef,
    options: EvaluateOptions,
    request: RequestOptions = {},
  ): Promise<PolicyComparison> {
    this.evaluations.push({ base, tuned, options });
    for (const stage of ['base', 'tuned', 'reward'] as const) {
      request.onStep?.({ kind: 'evaluate', stage, done: 1, total: 2 });
      this.seenWhileRunning.push(this.watch());
    }
    const samples = options.prompts.flatMap((prompt) =>
      Array.from({ length: options.samplesPerPrompt }, (_, i) => ({
        prompt,
        base: `base ${i}`,
        tuned: `tuned ${i}`,
        goldBase: null,
        goldTuned: null,
        rewardBase: 0,
        rewardTuned: i % 2,
      })),
    );
    const outcomes = samples.map((x) => ({ group: x.prompt, result: pairResult(x.rewardTuned, x.rewardBase) }));
    const evaluation = {
      gold: null,
      reward: { winRate: winRate(outcomes), base: 0, tuned: 0.5 },
      rewardGoldAgreement: null,
      kl: 0.5,
      heldOutLossBase: NaN,
      heldOutLossTuned: NaN,
      distinct2Base: 1,
      distinct2Tuned: 1,
      samples,
    };
    return { evaluation, yardstick: null };
  }

  async samplePolicies(_b: PolicyRef, _t: PolicyRef, options: PolicySampling): Promise<SamplePair[]> {
    this.samplings.push(options);
    const round = this.samplings.length;
    return options.prompts.map((prompt) => ({
      prompt,
      base: `base ${prompt} ${round}`,
      tuned: `tuned ${prompt} ${round}`,
    }));
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 0));
  expect(condition()).toBe(true);
}

const HELD_OUT = Array.from({ length: 12 }, (_, i) => `held-out ${i}`);
const LABELERS: LabelerInfo[] = [{ id: 'happy-endings' }, { id: 'animals' }];

function compareState(
  labelledBy: Record<string, number>,
  client = new FakeCompareClient(),
  workspace: Workspace = memoryWorkspace(),
): CompareState {
  return new CompareState({
    client,
    workspace,
    prompts: () => HELD_OUT,
    seed: () => 1,
    maxNewTokens: () => 8,
    labelledBy: () => labelledBy,
    labelers: () => LABELERS,
    now: () => 5000,
  });
}

describe('CompareState', () => {
  it('samples 8 responses on every held-out prompt (96 pairs), with progress while it runs', async () => {
    let compare: CompareState | null = null;
    const client = new FakeCompareClient(() => compare!.progress);
    compare = compareState({ human: 10 }, client);
    await compare.run();
    expect(client.evaluations[0].options).toMatchObject({ prompts: HELD_OUT, samplesPerPrompt: 8 });
    expect(compare.result!.evaluation.samples).toHaveLength(96);
    expect(client.seenWhileRunning.map((p) => p?.stage)).toEqual(['base', 'tuned', 'reward']);
    expect(compare.progress).toBeNull();
    expect(compare.result!.evaluation.reward!.winRate).toMatchObject({ pairs: 96, groups: 12 });
  });

  it('labels from a person: no gold yardstick unless one is picked', async () => {
    const client = new FakeCompareClient();
    const compare = compareState({ human: 30 }, client);
    expect(compare.yardstick).toBe(NO_YARDSTICK);
    await compare.run();
    expect(client.evaluations[0].options.yardstick).toBeNull();
    compare.pickYardstick('animals');
    await compare.run();
    expect(client.evaluations[1].options.yardstick).toEqual({ kind: 'builtin', id: 'animals' });
    expect(compare.gaveLabels('animals')).toBe(false);
  });

  it('labels from a simulated labeler: its gold score is the default yardstick; "none" can be picked', async () => {
    const client = new FakeCompareClient();
    const compare = compareState({ human: 2, 'keyword:+dog': 1, animals: 7, imported: 40 }, client);
    expect(compare.simulatedSources).toEqual(['animals', 'keyword:+dog']);
    expect(compare.yardsticks).toEqual([NO_YARDSTICK, 'animals', 'keyword:+dog', 'happy-endings']);
    await compare.run();
    expect(client.evaluations[0].options.yardstick).toEqual({ kind: 'builtin', id: 'animals' });
    compare.pickYardstick('keyword:+dog');
    await compare.run();
    expect(client.evaluations[1].options.yardstick).toEqual({ kind: 'keyword', rule: '+dog' });
    compare.pickYardstick(NO_YARDSTICK);
    await compare.run();
    expect(client.evaluations[2].options.yardstick).toBeNull();
  });

  it('a blind round: fresh samples, random sides, keys 1 2 3, each vote stored at once, a tally with its interval', async () => {
    const client = new FakeCompareClient();
    const workspace = memoryWorkspace();
    const compare = compareState({ human: 3 }, client, workspace);
    await compare.run();
    const coin = [0.25, ...HELD_OUT.map((_, i) => (i % 2 === 0 ? 0.1 : 0.9))];
    await compare.startBlind(() => coin.shift()!);
    // Its own sampling, with a seed of its own: not the evaluation's samples.
    expect(client.samplings[0]).toMatchObject({ prompts: HELD_OUT, samplesPerPrompt: 1, seed: 2 ** 30 });
    expect(compare.blind.items[0].shown).toEqual(['tuned held-out 0 1', 'base held-out 0 1']);
    expect(compare.blind.items[1].shown).toEqual(['base held-out 1 1', 'tuned held-out 1 1']);
    // 1 on pair 0 (tuned first): right; 1 on pair 1 (base first): left; 3: tie; then 2 (tuned second): right.
    const keys = ['1', '1', '3', '2'];
    for (const [i, k] of keys.entries()) {
      expect(compare.handleKey(key(k))).toBe(true);
      await until(() => compare.blind.votes.length === i + 1);
      expect(await workspace.listVotes()).toHaveLength(i + 1);
    }
    expect(compare.handleKey(key('x'))).toBe(false);
    const stored = await workspace.listVotes(5000);
    expect(stored.map((v) => [v.choice, v.firstFrom])).toEqual([
      ['first', 'right'],
      ['first', 'left'],
      ['tie', 'right'],
      ['second', 'left'],
    ]);
    expect(stored[0]).toMatchObject({
      left: 'base',
      right: 'current',
      prompt: 'held-out 0',
      first: 'tuned held-out 0 1',
    });
    const results: PairResult[] = ['win', 'loss', 'tie', 'win'];
    expect(compare.blind.tally).toEqual({
      right: 2,
      left: 1,
      ties: 1,
      winRate: winRate(results.map((result, group) => ({ group, result }))),
    });
    expect(compare.blind.tally.winRate!.rate).toBe(2.5 / 4);
  });

  it('a reload puts back the latest blind round: its pairs as shown, its votes and its tally', async () => {
    const workspace = memoryWorkspace();
    const first = compareState({ human: 3 }, new FakeCompareClient(), workspace);
    await first.startBlind(() => 0.9);
    for (const k of ['1', '3']) {
      first.handleKey(key(k));
      await until(() => first.blind.saving === false && first.blind.votes.length > 0);
    }
    await until(() => first.blind.votes.length === 2);
    const reloaded = compareState({ human: 3 }, new FakeCompareClient(), workspace);
    await reloaded.blind.restore();
    expect(reloaded.blind.items).toEqual(first.blind.items.slice(0, 2));
    expect(reloaded.blind.votes).toEqual(first.blind.votes);
    expect(reloaded.blind.names).toEqual(first.blind.names);
    expect(reloaded.blind.tally).toEqual(first.blind.tally);
    expect(reloaded.blind.done).toBe(true);
  });

  it('a vote storage refuses is not counted, and the page says why', async () => {
    const workspace: Workspace = {
      ...memoryWorkspace(),
      addVote: () => Promise.reject(new StorageError('QUOTA', { code: 'STORAGE_FULL', params: { what: 'vote' } })),
    };
    const compare = compareState({}, new FakeCompareClient(), workspace);
    await compare.startBlind(() => 0.5);
    await compare.blind.vote('tie');
    expect(compare.blind.votes).toEqual([]);
    expect(compare.problem?.code).toBe('STORAGE_QUOTA');
    expect(compare.blind.item?.prompt).toBe('held-out 0');
  });
});

describe('DataState', () => {
  it('searches, deletes and reports what storage cannot do here', async () => {
    const workspace = memoryWorkspace();
    for (const text of ['a dog', 'a cat'])
      await workspace.addComparison({
        prompt: text,
        a: 'x',
        b: 'y',
        choice: 'a',
        labeler: 'human',
        createdAt: 1,
        modelA: null,
        modelB: null,
        decisionMs: null,
      });
    let changed = 0;
    const data = new DataState({ workspace, converter: noConverter, changed: async () => void changed++ });
    data.search = 'dog';
    await data.refresh();
    expect(data.rows.map((r) => r.record.prompt)).toEqual(['a dog']);
    await data.remove(data.rows[0]);
    expect(changed).toBe(1);
    expect(data.rows).toEqual([]);
    expect(await data.exportLabels()).toEqual([]);
    expect(data.problem?.code).toBe('STORAGE_FAILED');
  });
});

describe('LoopState', () => {
  it('runs label, reward model and tuning rounds until switched off', async () => {
    const client = new FakeClient();
    const workspace = memoryWorkspace();
    const { label } = labelState(workspace, client);
    const reward = new RewardState({
      client,
      workspace,
      prompts: () => ['p'],
      labels: () => ({ comparisons: [], ratings: [], demonstrations: [] }),
    });
    const tune = new TuneState({ client, workspace, prompts: () => ['p'] });
    const loop = new LoopState({ label, reward, tune });
    const running = loop.setOn(true);
    while (loop.rounds < 2) await new Promise((r) => setTimeout(r, 0));
    await loop.setOn(false);
    await running;
    expect(loop.on).toBe(false);
    expect(loop.rounds).toBeGreaterThanOrEqual(2);
    expect((await workspace.listComparisons()).length).toBeGreaterThanOrEqual(16);
    expect(client.trainings).toBeGreaterThanOrEqual(2);
    expect(tune.iterations).toBeGreaterThanOrEqual(4);
  });
});
