/**
 * Runs one experiment that breaks RLHF on purpose (contract/experiments.ts), in Node or a worker:
 *   1. the simulated labeler judges `labels` pairs sampled from the base policy; a `flipFraction`
 *      of the verdicts that have a winner is flipped (contradictory feedback; ties stay ties)
 *   2. for each arm, a reward model trains on those labels and is normalised on base samples
 *   3. the arm tunes a copy of the base policy for `iterations` iterations against it; an arm
 *      whose reward model is not frozen gets half as many fresh labels on its own samples halfway
 *      through, and its reward model retrains on all of them
 *   4. every iteration reports the algorithm's metrics (TRL names) plus the labeler's gold score
 *      (`gold/score`) and distinct-2 (`eval/distinct_2`) of that iteration's samples; DPO, which
 *      samples nothing, is probed with fresh samples for `objective/scores`, `objective/kl`, the
 *      gold score and distinct-2, so arms of different algorithms chart side by side.
 * The base policy is never changed: each arm tunes a clone, and the base is the arm's reference.
 * The page's worker and `npm run experiment` both run experiments through this one function: the
 * worker passes `turn` (each labelling, reward-model training and iteration takes a turn in its
 * engine queue, where a cancel lands) and reads the callbacks; the CLI passes an AbortSignal.
 * Everything made is freed however the run ends.
 */
import type { Experiment, ExperimentArm } from '../../contract/experiments';
import type { SampleView } from '../../contract/views';
import { relabelCount } from '../../contract/experiment-support';
import { defaultTune, toPPOConfig } from '../../contract/tune-settings';
import { promptIds, type TextCodec } from '../generate/text';
import type { Labeler } from '../labelers/labeler';
import type { GPT } from '../model/gpt';
import type { PPOConfig } from '../rl/ppo-config';
import { comparisonToPair, type Comparison } from '../rl/preferences';
import { RewardModel, type RewardConfig } from '../rl/reward-model';
import { Rng } from '../rng';
import { createOptimizer, policySettings } from './algorithms';
import { checkEvidence, type ArmCurve, type EvidenceCheck } from '../../contract/experiment-evidence';
import { labelAndFlip, type Labelled } from './labeling';
import { normalizeOnReference } from './loop-probes';
import { PROBE_TEMPERATURE, fromRollout, probe } from './experiment-samples';

export interface ExperimentContext {
  /** The base policy: each arm tunes a clone; it is every arm's frozen reference. Not changed. */
  policy: GPT;
  codec: TextCodec;
  /** The experiment's labeler (the caller resolves `experiment.labeler`), also the gold score. */
  labeler: Labeler;
  prompts: string[];
}

/** Changes over the experiment's own setup: smaller runs for tests, a learning rate for a tiny model. */
export interface ExperimentOverrides {
  labels?: number;
  iterations?: number;
  /** Engine settings over every arm's (after the arm's own). */
  policy?: Partial<PPOConfig>;
  /** Multiplies every arm's learning rate (a tiny random model needs larger steps to move at all). */
  learningRateScale?: number;
  reward?: Partial<RewardConfig>;
  normalizationSamples?: number;
}

export interface ArmIteration {
  arm: string;
  /** 1-based. */
  iteration: number;
  iterations: number;
  metrics: Record<string, number>;
  /** A few of the iteration's samples (response text). */
  samples: string[];
  /** Every sample of the iteration, for the token view (a DPO arm's: the probe's fresh samples). */
  views: SampleView[];
}

/** Labels given to the run: the first ones (`arm` null) or an arm's fresh ones halfway. */
export interface ExperimentLabels {
  arm: string | null;
  labels: Comparison[];
  /** Labels flipped so far over the whole run. */
  flipped: number;
}

/** A reward-model training of an arm, measured on its held-out pairs. */
export interface ExperimentReward {
  arm: string;
  accuracy: number;
  goldAccuracy: number;
  /** Held-out pairs the accuracy is measured on. */
  heldOut: number;
  labels: number;
}

export type ExperimentPhase =
  | { phase: 'labels'; labels: number }
  | { phase: 'reward'; arm: string }
  | { phase: 'relabel'; arm: string; labels: number }
  | { phase: 'tune'; arm: string };

export interface ExperimentOptions {
  seed: number;
  overrides?: ExperimentOverrides;
  onIteration?: (it: ArmIteration) => void;
  onPhase?: (p: ExperimentPhase) => void;
  onLabels?: (l: ExperimentLabels) => void;
  onReward?: (r: ExperimentReward) => void;
  /** Each optimiser step of a reward-model training. */
  onRewardStep?: (step: number, total: number, loss: number) => void;
  /** Runs one unit of work (labelling, a training, an iteration); default: at once. */
  turn?: <T>(work: () => Promise<T>) => Promise<T>;
  signal?: AbortSignal;
}

export interface ArmRun extends ArmCurve {
  algorithm: ExperimentArm['algorithm'];
  freezeReward: boolean;
  /** The engine settings the arm ran with. */
  settings: Partial<PPOConfig>;
  /** Held-out accuracy of the arm's reward model against the labels it was given, and against the labeler's own verdicts. */
  reward: { accuracy: number; goldAccuracy: number; labels: number };
  /** Samples of the last iteration. */
  samples: string[];
  seconds: number;
}

export interface ExperimentRun {
  id: Experiment['id'];
  seed: number;
  labels: number;
  flipped: number;
  iterations: number;
  arms: ArmRun[];
  evidence: EvidenceCheck[];
  seconds: number;
}

/**
 * The experiments' reward models train for their plain passes (no minimum of steps), as their
 * figures in docs/experiments.md were measured: each experiment fixes its own reward training.
 */
const EXPERIMENT_REWARD: Partial<RewardConfig> = { minSteps: 0 };
const SAMPLES_KEPT = 4;

/** The arm's engine settings: the algorithm's defaults, the arm's tune and rollout, the overrides. */
export function armSettings(arm: ExperimentArm, overrides: Partial<PPOConfig> = {}): Partial<PPOConfig> {
  const tune = { ...defaultTune(arm.algorithm), ...arm.tune, ...(arm.rollout ? { rollout: arm.rollout } : {}) };
  return {
    ...toPPOConfig(tune),
    // Each experiment isolates one effect, and docs/experiments.md measured them all without the
    // value warm-up a Play's PPO has.
    valueWarmupIterations: 0,
    ...(arm.klInLoss === undefined ? {} : { klInLoss: true, klEstimator: arm.klInLoss }),
    ...overrides,
  };
}

/** What a trained reward model measured: held-out accuracy against the given and the true labels. */
interface RewardFit {
  accuracy: number;
  goldAccuracy: number;
  heldOut: number;
}

async function trainReward(
  ctx: ExperimentContext,
  labelled: Labelled[],
  o: ArmContext,
): Promise<{ rm: RewardModel; fit: RewardFit }> {
  const rm = new RewardModel(
    ctx.policy,
    ctx.codec.eosId,
    { seed: o.seed, ...EXPERIMENT_REWARD, ...o.reward },
    ctx.codec,
  );
  try {
    return { rm, fit: await o.fit(rm, labelled) };
  } catch (err) {
    rm.dispose();
    throw err;
  }
}

interface ArmContext {
  seed: number;
  reward: Partial<RewardConfig>;
  fit: (rm: RewardModel, labelled: Labelled[]) => Promise<RewardFit>;
}

export async function runExperiment(
  experiment: Experiment,
  ctx: ExperimentContext,
  options: ExperimentOptions,
): Promise<ExperimentRun> {
  const started = performance.now();
  const { seed, signal } = options;
  const turn = <T>(work: () => Promise<T>): Promise<T> => {
    signal?.throwIfAborted();
    return options.turn === undefined ? work() : options.turn(work);
  };
  const ov = options.overrides ?? {};
  const labels = ov.labels ?? experiment.labels;
  const iterations = ov.iterations ?? experiment.iterations;
  const base = { ...defaultTune('ppo'), ...ov.policy };
  const labelSampling = { maxNewTokens: base.maxNewTokens, temperature: PROBE_TEMPERATURE };
  options.onPhase?.({ phase: 'labels', labels });
  const first = await turn(() =>
    labelAndFlip(ctx.policy, ctx, labels, experiment.flipFraction, labelSampling, new Rng(seed), 0),
  );
  let flipped = first.flipped;
  options.onLabels?.({ arm: null, labels: first.given, flipped });
  let reward = { accuracy: NaN, goldAccuracy: NaN };
  const armContext: ArmContext = {
    seed,
    reward: ov.reward ?? {},
    fit: async (rm, labelled) => {
      const given = labelled.flatMap((l) => l.given).map((c) => comparisonToPair(c, ctx.codec));
      const truth = labelled.flatMap((l) => l.truth).map((c) => comparisonToPair(c, ctx.codec));
      await rm.train(given, options.onRewardStep);
      await normalizeOnReference(
        rm,
        { ...ctx, reference: ctx.policy },
        ov.normalizationSamples ?? 32,
        labelSampling.maxNewTokens,
        new Rng(seed + 1),
      );
      const held = await rm.evaluate(given);
      reward = { accuracy: held.accuracy, goldAccuracy: (await rm.evaluate(truth)).accuracy };
      return { ...reward, heldOut: held.pairs };
    },
  };
  const arms: ArmRun[] = [];
  for (const arm of experiment.arms) {
    const armStarted = performance.now();
    const own = armSettings(arm, { seed, ...ov.policy });
    const settings = { ...own, learningRate: (own.learningRate ?? 0) * (ov.learningRateScale ?? 1) };
    const freeze = arm.freezeReward === true;
    const labelled = [first];
    let rm: RewardModel | null = null;
    let policy: GPT | null = null;
    let optimizer: ReturnType<typeof createOptimizer> | null = null;
    const run: ArmRun = {
      key: arm.key,
      algorithm: arm.algorithm,
      freezeReward: freeze,
      settings,
      reward: { ...reward, labels },
      iterations: [],
      samples: [],
      seconds: 0,
    };
    const reportReward = (fit: RewardFit, count: number): void => {
      run.reward = { accuracy: fit.accuracy, goldAccuracy: fit.goldAccuracy, labels: count };
      options.onReward?.({ arm: arm.key, ...fit, labels: count });
    };
    try {
      options.onPhase?.({ phase: 'reward', arm: arm.key });
      const trained = await turn(() => trainReward(ctx, labelled, armContext));
      rm = trained.rm;
      reportReward(trained.fit, labels);
      policy = ctx.policy.clone();
      optimizer = createOptimizer({
        policy,
        reference: ctx.policy,
        reward: rm,
        eosId: ctx.codec.eosId,
        padId: ctx.codec.eosId,
        seed,
        settings: policySettings(arm.algorithm, settings),
      });
      options.onPhase?.({ phase: 'tune', arm: arm.key });
      const promptRng = new Rng(seed + 17); // the same prompts for every arm
      const more = relabelCount(arm, { labels, iterations });
      const pairs = () => labelled.flatMap((l) => l.given).map((c) => comparisonToPair(c, ctx.codec));
      for (let i = 1; i <= iterations; i++) {
        if (more > 0 && i === Math.floor(iterations / 2) + 1) {
          options.onPhase?.({ phase: 'relabel', arm: arm.key, labels: more });
          const rng = new Rng(seed + 31);
          const tuned = policy;
          const fresh = await turn(() =>
            labelAndFlip(tuned, ctx, more, experiment.flipFraction, labelSampling, rng, labels),
          );
          labelled.push(fresh);
          flipped += fresh.flipped;
          options.onLabels?.({ arm: arm.key, labels: fresh.given, flipped });
          const model = rm;
          reportReward(await turn(() => armContext.fit(model, labelled)), labels + more);
        }
        const batch = Array.from(
          { length: settings.promptsPerIteration ?? 4 },
          () => ctx.prompts[promptRng.int(ctx.prompts.length)],
        );
        const [tuned, model, step] = [policy, rm, optimizer];
        const extra = await turn(async () => {
          const result = await step.iteration({
            prompts: batch.map((p) => promptIds(ctx.codec, p)),
            pairs: pairs(),
            demonstrations: [],
          });
          const measured =
            result.rollout !== undefined
              ? fromRollout(ctx, result, result.rollout)
              : await probe(ctx, tuned, model, batch, settings, seed + 7919 * i);
          return { ...measured, metrics: { ...result.metrics, ...measured.metrics } };
        });
        run.iterations.push({ iteration: i, metrics: extra.metrics });
        run.samples = extra.texts.slice(0, SAMPLES_KEPT);
        options.onIteration?.({
          arm: arm.key,
          iteration: i,
          iterations,
          metrics: extra.metrics,
          samples: run.samples,
          views: extra.views,
        });
      }
    } finally {
      optimizer?.dispose();
      rm?.dispose();
      policy?.dispose();
    }
    run.seconds = (performance.now() - armStarted) / 1000;
    arms.push(run);
  }
  return {
    id: experiment.id,
    seed,
    labels,
    flipped: first.flipped,
    iterations,
    arms,
    evidence: experiment.evidence.map((e) => checkEvidence(arms, e)),
    seconds: (performance.now() - started) / 1000,
  };
}
