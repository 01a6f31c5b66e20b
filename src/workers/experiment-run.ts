/**
 * The worker's side of an experiment that breaks RLHF on purpose (contract/experiments.ts). It runs
 * in an RlhfSession of its own, built on the loaded model, so the session the person tunes (its
 * labels, reward model and policy) is never touched:
 *   1. the simulated labeler judges pairs sampled from the base model (a share of verdicts flipped
 *      when the experiment feeds contradictory labels)
 *   2. the reward model trains on those labels, once
 *   3. each arm starts from the base and tunes for the experiment's iterations; after every
 *      iteration a probe samples the same prompts with the same seed, so the gold score, the KL to
 *      the reference and distinct-2 are measured alike for every algorithm (DPO has no rollout).
 * Each labelling step and each iteration takes its own turn in the engine's queue, so a cancel
 * stops the run between turns.
 */
import { ALGORITHM_FACTS } from '../contract/algorithms';
import { armSettings, experimentSize, unsupportedArm } from '../contract/experiment-support';
import { EXPERIMENTS, type Experiment, type ExperimentArm } from '../contract/experiments';
import type { Comparison } from '../contract/labels';
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

/** Prompts the probe samples after every iteration: the same ones, with the same seed, each time. */
const PROBE_PROMPTS = 8;
/** The probe's sampling temperature: the rollout's own default. */
const PROBE_TEMPERATURE = 0.7;

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export async function runExperiment(request: RunExperiment, ctx: ExperimentContext): Promise<RequestResult> {
  const experiment = EXPERIMENTS[request.experiment];
  const unsupported = unsupportedArm(experiment);
  if (unsupported !== null)
    throw new WorkerFailure('BAD_ARGUMENT', { code: 'ROLLOUT_SAMPLING_UNSUPPORTED', params: { arm: unsupported } });
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
    const labeler = this.session.gold!;
    const sampling = {
      maxNewTokens: armSettings(this.experiment.arms[0], this.request.limits).maxNewTokens,
      temperature: LABEL_TEMPERATURE,
    };
    const comparisons: Comparison[] = [];
    let flipped = 0;
    for (let i = 0; i < this.size.labels; i++) {
      // A macrotask turn lets a cancel message in between labels.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const pair = await this.turn(() => this.session.samplePair(this.request.prompts, false, sampling));
      const { choice } = labeler.compare(pair.prompt, pair.a, pair.b, this.rng);
      const flip = choice !== 'tie' && this.rng.next() < this.experiment.flipFraction;
      if (flip) flipped++;
      const label: Comparison = {
        id: i + 1,
        prompt: pair.prompt,
        a: pair.a,
        b: pair.b,
        choice: flip ? (choice === 'a' ? 'b' : 'a') : choice,
        labeler: labeler.id,
        aEnded: pair.aEnded,
        bEnded: pair.bEnded,
      };
      comparisons.push(label);
      this.ctx.step({ kind: 'experimentLabel', done: i + 1, total: this.size.labels, label, flipped });
    }
    this.session.setLabels({ comparisons, ratings: [], demonstrations: [] });
  }

  /** 2. The reward model, trained once on the experiment's labels. */
  async trainReward(): Promise<void> {
    const onStep = (step: number, total: number, loss: number): void =>
      this.ctx.step({ kind: 'reward', step, total, loss });
    const { evaluation } = await this.turn(() => this.session.trainRewardModel(this.request.prompts, onStep));
    this.ctx.step({
      kind: 'experimentReward',
      accuracy: evaluation.accuracy,
      heldOut: evaluation.pairs,
      labels: this.size.labels,
    });
  }

  /** 3. One arm: from the base, `iterations` iterations with the arm's settings, each probed. */
  async tuneArm(arm: ExperimentArm): Promise<void> {
    const settings = armSettings(arm, this.request.limits);
    await this.turn(async () => {
      this.session.resetToReference();
      this.session.configure(arm.algorithm, toPPOConfig(settings));
    });
    const of = this.size.iterations;
    for (let i = 0; i < of; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const { view, probe } = await this.turn(async () => {
        const view = await this.session.iterate(this.request.prompts);
        return { view, probe: await this.probe(settings.maxNewTokens) };
      });
      const golds = view.samples.flatMap((s) => (s.gold === null ? [] : [s.gold]));
      const metrics = { ...view.metrics, ...probe, ...(golds.length > 0 ? { 'gold/score': mean(golds) } : {}) };
      this.ctx.step({ kind: 'armIteration', arm: arm.key, iteration: i + 1, of, metrics, samples: view.samples });
    }
  }

  /** Gold score, KL to the reference and distinct-2 of the policy's samples on the probe prompts. */
  private async probe(maxNewTokens: number): Promise<Record<string, number>> {
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
    return {
      'probe/gold': mean(gens.map((g, i) => gold.score(this.probePrompts[i], g.text))),
      'probe/kl': kl,
      'eval/distinct_2': distinctN(
        gens.map((g) => g.tokens.filter((t) => t !== tokenizer.eosId)),
        2,
      ),
    };
  }
}
