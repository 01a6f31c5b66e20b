/**
 * The worker's side of an experiment that breaks RLHF on purpose (contract/experiments.ts). It runs
 * in an RlhfSession of its own, built on the loaded model, so the session the person tunes (its
 * labels, reward model and policy) is never touched:
 *   1. the simulated labeler judges pairs sampled from the base model (a share of verdicts flipped
 *      when the experiment feeds contradictory labels)
 *   2. the reward model trains on those labels
 *   3. each arm starts from the base, those labels and that reward model, and tunes for the
 *      experiment's iterations; an arm whose reward model is not frozen gets half as many fresh
 *      labels on its own samples halfway through, and its reward model retrains; every iteration
 *      reports the algorithm's metrics plus the labeler's gold score and distinct-2 of its rollout.
 *      DPO samples nothing, so fresh samples (the same prompts and seed each time) give it the
 *      reward, KL, gold score and distinct-2, and the arms chart side by side.
 * Each labelling step and each iteration takes its own turn in the engine's queue, so a cancel
 * stops the run between turns.
 */
import { ALGORITHM_FACTS } from '../contract/algorithms';
import { armSettings, experimentSize, relabelCount } from '../contract/experiment-support';
import { EXPERIMENTS, type Experiment, type ExperimentArm } from '../contract/experiments';
import type { Comparison } from '../contract/labels';
import type { SampleView } from '../contract/views';
import type { Request, RequestResult, StepReport } from '../contract/protocol';
import { LABEL_TEMPERATURE, toPPOConfig } from '../contract/tune-settings';
import { RlhfSession, Rng, builtinLabeler, generateTexts, promptIds, type GPT, type Tokenizer } from '../engine';
import { distinctN } from '../engine/eval/distinct';
import { klOnSamples } from '../engine/loop/evaluate';
import { WorkerFailure } from './failure';

type RunExperiment = Extract<Request, { type: 'runExperiment' }>;

export interface ExperimentContext {
  loaded(): { model: GPT; tokenizer: Tokenizer } | null;
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  step(report: StepReport): void;
  signal: AbortSignal;
}

/** Prompts the probe samples after a DPO iteration: the same ones, with the same seed, each time. */
const PROBE_PROMPTS = 8;
/** The probe's sampling temperature: the rollout's own default. */
const PROBE_TEMPERATURE = 0.7;

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export async function runExperiment(request: RunExperiment, ctx: ExperimentContext): Promise<RequestResult> {
  const experiment = EXPERIMENTS[request.experiment];
  const loaded = ctx.loaded();
  if (loaded === null) throw new WorkerFailure('NO_MODEL', { code: 'NO_MODEL', params: { what: 'tune' } });
  const session = new RlhfSession(loaded.model.clone(), loaded.tokenizer, {
    seed: request.seed,
    reference: loaded.model.clone(),
  });
  try {
    session.gold = builtinLabeler(experiment.labeler);
    const run = new ExperimentRun(session, experiment, request, ctx);
    await run.label();
    if (experiment.arms.some((arm) => ALGORITHM_FACTS[arm.algorithm].needsRewardModel)) await run.trainReward();
    for (const arm of experiment.arms) await run.tuneArm(arm);
    return { kind: 'experimentDone', experiment: experiment.id, arms: experiment.arms.map((a) => a.key) };
  } finally {
    // In a turn of its own: the last iteration may still hold the engine when a cancel lands.
    await ctx.exclusive(async () => session.dispose());
  }
}

class ExperimentRun {
  private readonly rng: Rng;
  private readonly size: { labels: number; iterations: number };
  private readonly probePrompts: string[];
  private readonly probeSeed: number;
  /** The first labels, which every arm starts from. */
  private labels: Comparison[] = [];
  private flipped = 0;
  /** The first reward model's bytes, which every arm starts from; null until trained. */
  private first: Uint8Array | null = null;

  constructor(
    private readonly session: RlhfSession,
    private readonly experiment: Experiment,
    private readonly request: RunExperiment,
    private readonly ctx: ExperimentContext,
  ) {
    this.rng = new Rng(request.seed ^ 0x2545f491);
    this.size = experimentSize(experiment, request.limits);
    this.probePrompts = Array.from(
      { length: PROBE_PROMPTS },
      () => request.prompts[this.rng.int(request.prompts.length)],
    );
    this.probeSeed = this.rng.nextUint32();
  }

  /** Runs `work` in a turn of its own, unless the run was stopped (before or while it waited). */
  private turn<T>(work: () => Promise<T>): Promise<T> {
    const stop = (): void => {
      if (this.ctx.signal.aborted)
        throw new WorkerFailure('CANCELLED', { code: 'CANCELLED', params: { work: 'experiment' } });
    };
    stop();
    return this.ctx.exclusive(() => (stop(), work()));
  }

  /** 1. Pairs from the base model, judged by the simulated labeler; some verdicts flipped on purpose. */
  async label(): Promise<void> {
    this.labels = await this.ask(this.size.labels, null);
    this.session.setLabels({ comparisons: this.labels, ratings: [], demonstrations: [] });
  }

  /**
   * `count` pairs from the current policy judged by the labeler (after the labels so far, ids
   * continuing); `arm` is the arm they are asked for, null for the first labels.
   */
  private async ask(count: number, arm: string | null): Promise<Comparison[]> {
    const labeler = this.session.gold!;
    const maxNewTokens = armSettings(this.experiment.arms[0], this.request.limits).maxNewTokens;
    const sampling = { maxNewTokens, temperature: LABEL_TEMPERATURE };
    const asked: Comparison[] = [];
    for (let i = 0; i < count; i++) {
      // A macrotask turn lets a cancel message in between labels.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const pair = await this.turn(() => this.session.samplePair(this.request.prompts, false, sampling));
      const { choice } = labeler.compare(pair.prompt, pair.a, pair.b, this.rng);
      const flip = choice !== 'tie' && this.rng.next() < this.experiment.flipFraction;
      if (flip) this.flipped++;
      const label: Comparison = {
        id: this.labels.length + asked.length + 1,
        prompt: pair.prompt,
        a: pair.a,
        b: pair.b,
        choice: flip ? (choice === 'a' ? 'b' : 'a') : choice,
        labeler: labeler.id,
        aEnded: pair.aEnded,
        bEnded: pair.bEnded,
      };
      asked.push(label);
      this.ctx.step({ kind: 'experimentLabel', arm, done: i + 1, total: count, label, flipped: this.flipped });
    }
    return asked;
  }

  /** 2. The reward model, trained on the session's labels; the first one is kept for every arm. */
  async trainReward(): Promise<void> {
    const onStep = (step: number, total: number, loss: number): void =>
      this.ctx.step({ kind: 'reward', step, total, loss });
    const { evaluation } = await this.turn(() => this.session.trainRewardModel(this.request.prompts, onStep));
    this.first ??= await this.turn(() => this.session.saveRewardModel('experiment reward model', {}));
    this.ctx.step({
      kind: 'experimentReward',
      accuracy: evaluation.accuracy,
      heldOut: evaluation.pairs,
      labels: this.labels.length,
    });
  }

  /**
   * Halfway through an arm whose reward model is not frozen: fresh labels on what the policy now
   * writes, and the reward model retrained on all of them, as the iterated loop does.
   */
  private async relabel(arm: ExperimentArm): Promise<void> {
    const fresh = await this.ask(relabelCount(this.experiment, arm, this.size), arm.key);
    this.session.setLabels({ comparisons: [...this.labels, ...fresh], ratings: [], demonstrations: [] });
    await this.trainReward();
  }

  /**
   * 3. One arm: from the base, with the first reward model and the first labels, `iterations`
   * iterations with the arm's settings (fresh labels halfway when its reward model is not frozen).
   */
  async tuneArm(arm: ExperimentArm): Promise<void> {
    const settings = armSettings(arm, this.request.limits);
    await this.turn(async () => {
      if (this.first !== null) this.session.loadRewardModel(this.first, 'the experiment’s first reward model');
      this.session.setLabels({ comparisons: this.labels, ratings: [], demonstrations: [] });
      this.session.resetToReference();
      this.session.configure(arm.algorithm, toPPOConfig(settings));
    });
    const of = this.size.iterations;
    const relabelAt = relabelCount(this.experiment, arm, this.size) > 0 ? Math.floor(of / 2) : -1;
    for (let i = 0; i < of; i++) {
      if (i === relabelAt) await this.relabel(arm);
      await new Promise((resolve) => setTimeout(resolve, 0));
      const { metrics, samples } = await this.turn(async () => {
        const view = await this.session.iterate(this.request.prompts);
        // DPO samples nothing: fresh samples give it what the online arms' rollouts measure.
        const measured =
          view.samples.length > 0 ? sampleMetrics(view.samples) : await this.probe(settings.maxNewTokens);
        return { metrics: { ...view.metrics, ...measured.metrics }, samples: [...view.samples, ...measured.samples] };
      });
      this.ctx.step({ kind: 'armIteration', arm: arm.key, iteration: i + 1, of, metrics, samples });
    }
  }

  /** Reward, KL to the reference, gold score and distinct-2 of fresh samples on the probe prompts. */
  private async probe(maxNewTokens: number): Promise<{ metrics: Record<string, number>; samples: SampleView[] }> {
    const { policy, reference, tokenizer } = this.session;
    const gens = await generateTexts(policy, tokenizer, this.probePrompts, {
      maxNewTokens,
      temperature: PROBE_TEMPERATURE,
      seed: this.probeSeed,
    });
    const gold = this.session.gold!;
    const kl = await klOnSamples(
      policy,
      reference,
      this.probePrompts.map((p) => promptIds(tokenizer, p)),
      gens.map((g) => g.tokens),
      PROBE_TEMPERATURE,
      tokenizer.eosId,
    );
    const scores: number[] = [];
    if (this.session.hasRewardModel)
      for (const [i, g] of gens.entries())
        scores.push((await this.session.scoreText(this.probePrompts[i], g.text, g.finishReason === 'eos')).score);
    const samples: SampleView[] = gens.map((g, i) => {
      const tokens = g.tokens.filter((t) => t !== tokenizer.eosId);
      return {
        prompt: this.probePrompts[i],
        text: g.text,
        tokens: tokens.map((t) => tokenizer.decode([t])),
        logProbs: [],
        kl: [],
        advantages: null,
        score: scores[i] ?? NaN,
        gold: gold.score(this.probePrompts[i], g.text),
      };
    });
    const metrics = { ...sampleMetrics(samples).metrics, 'objective/kl': kl };
    return { metrics: scores.length > 0 ? { ...metrics, 'objective/scores': mean(scores) } : metrics, samples };
  }
}

/** The labeler's gold score and distinct-2 (over tokens) of a batch of samples. */
function sampleMetrics(samples: readonly SampleView[]): { metrics: Record<string, number>; samples: SampleView[] } {
  const golds = samples.flatMap((s) => (s.gold === null ? [] : [s.gold]));
  const distinct = distinctN(
    samples.map((s) => s.tokens),
    2,
  );
  return {
    metrics:
      golds.length > 0 ? { 'gold/score': mean(golds), 'eval/distinct_2': distinct } : { 'eval/distinct_2': distinct },
    samples: [],
  };
}
