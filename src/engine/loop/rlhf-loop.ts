/**
 * The iterated RLHF loop, as the field runs it and as the playground runs it with a person:
 *   1. sample pairs from the current policy and ask the labeler (active learning optional)
 *   2. train the reward model on every label so far; normalise it on reference samples
 *   3. tune the policy for a few iterations (PPO, GRPO, RLOO, DPO, or SFT on the reward model's
 *      best of n samples)
 *   4. report proxy reward (reward model), gold score (the labeler's hidden truth) and KL
 * then back to 1, so the labeler judges what the tuned policy now writes.
 */
import type { Labeler } from '../labelers/labeler';
import { promptIds, type TextCodec } from '../generate/text';
import type { GPT } from '../model/gpt';
import type { PPOConfig } from '../rl/ppo-config';
import { check, outOfRange } from '../errors';
import {
  comparisonToPair,
  isHeldOut,
  markPairs,
  type Comparison,
  type MarkForm,
  type PreferencePair,
} from '../rl/preferences';
import { RewardModel, type RewardConfig } from '../rl/reward-model';
import { lowerBoundScorer } from '../rl/lower-bound-scorer';
import { Rng } from '../rng';
import { createOptimizer, policySettings, type Algorithm, type PolicyOptimizer } from './algorithms';
import { normalizeOnReference, probePolicy } from './loop-probes';
import { bestOfN, type BestOfN } from './best-of-n';
import { judgePairs, type JudgedPairs } from './judged-pairs';
import { KlBudget, type BudgetStop } from './kl-budget';
import { labelPairs, samplePairs } from './labeling';
import { countMarked, playIterations } from '../../contract/marked-play';

export interface LoopConfig {
  algorithm: Algorithm;
  /** Total labels the labeler gives over the whole run. */
  labels: number;
  /** Rounds of label -> reward model -> policy. */
  rounds: number;
  /** Policy-optimisation iterations per round. */
  policyIterationsPerRound: number;
  /**
   * Rounds that ask for labels and retrain the reward model; later rounds only optimise the
   * policy against the reward model as it stands (frozen). Default: every round. Freezing a
   * reward model trained on few labels is how the loop shows over-optimisation: the policy finds
   * what the proxy over-rewards and the gold score falls while the proxy keeps rising.
   */
  labelRounds?: number;
  /** Candidate pairs per label for active learning; 1 = random pairs. */
  candidatesPerLabel: number;
  /** How a candidate is picked when there are several (labeling.ts): default 'uncertain'. */
  pairSelection?: 'uncertain' | 'contrast';
  /**
   * A KL budget in nats per response: after every policy iteration the KL to the reference is
   * measured on fresh samples (always the same prompts and seed, so successive checks compare);
   * the first iteration that takes it past the budget is undone and tuning stops there (the run
   * ends, with the labels asked so far). Default: none.
   */
  klBudget?: number;
  /** Sampling temperature of the pairs asked for labelling; default the policy's (0.7). */
  labelTemperature?: number;
  /**
   * DPO only: after each reward-model training, this many fresh pairs from the current policy,
   * judged by the reward model (judged-pairs.ts), join the labelled pairs. Default 0.
   */
  judgedPairs?: number;
  /**
   * SFT only: rejection sampling (best-of-n.ts). After each reward-model training, `prompts`
   * prompts get `candidates` samples each from the current policy, and the reward model's best of
   * each are the demonstrations SFT learns from. Default: none.
   */
  bestOfN?: { prompts: number; candidates: number };
  /**
   * Fine-grained feedback: the labeler also marks up to this many words per response that its
   * score turns on (labelers/marks.ts), and the reward model trains on the pairs each mark makes
   * (markPairs). Default 0: verdicts only.
   */
  marksPerResponse?: number;
  /** How a mark becomes a pair (markPairs): 'without' the marked word (default) or 'prefix'. */
  markForm?: MarkForm;
  /**
   * Lengthen each round's Play as the page does at its defaults (contract/marked-play.ts): when
   * `policyIterationsPerRound` is the page's default and the labels so far carry marks on enough of
   * them, the round runs the longer Play. Default false: always `policyIterationsPerRound`.
   */
  markedPlay?: boolean;
  /**
   * Within a labelling round, the reward model also trains after every this many labels, as the
   * page's background training does while a person labels (LEARNING_DEFAULTS.backgroundTrainingEvery);
   * pair selection (`candidatesPerLabel` > 1) then picks with it from the round's later labels on.
   * Every training starts afresh, so the model the round ends with is the one a single training on
   * its labels gives. Default: one training, after the round's labels.
   */
  rewardEvery?: number;
  /**
   * PPO, GRPO and RLOO: score each response by the reward model's ensemble mean less this many
   * standard deviations of its heads (rl/lower-bound-scorer.ts). Default 0: the mean.
   */
  spreadPenalty?: number;
  /** Samples of the reference policy the reward model is normalised on. */
  normalizationSamples: number;
  reward: Partial<RewardConfig>;
  /** The policy optimiser's knobs, named as PPO's; each algorithm takes those it has (policySettings). */
  policy: Partial<PPOConfig>;
  seed: number;
}

export const DEFAULT_LOOP: LoopConfig = {
  algorithm: 'ppo',
  labels: 240,
  rounds: 6,
  policyIterationsPerRound: 4,
  candidatesPerLabel: 1,
  normalizationSamples: 32,
  reward: {},
  policy: {},
  seed: 0,
};

export interface RoundReport {
  round: number;
  labels: number;
  rewardAccuracy: number;
  rewardLoss: number;
  /** Metrics of the round's last policy iteration (TRL names), plus the gold score of its samples. */
  metrics: Record<string, number>;
  seconds: number;
  /** Of those, the seconds spent sampling the round's pairs and labelling them (0 without labels). */
  labelingSeconds: number;
  /** Policy iterations the round asked for. */
  policyIterations: number;
  /** Of those, the iterations whose update was kept: fewer when a KL budget stopped the round. */
  policyIterationsKept: number;
}

export interface LoopContext {
  /** The policy to tune (in place). */
  policy: GPT;
  /**
   * The run's frozen reference (the starting policy, or the model `--reference` names): the reward
   * model's starting point and the KL anchor of the optimiser's penalty and `objective/kl`, of the
   * probes, the budget and the evaluation. Not owned: the caller disposes it.
   */
  reference: GPT;
  codec: TextCodec;
  labeler: Labeler;
  prompts: string[];
}

export { KlBudget, type BudgetStop } from './kl-budget';

export interface LoopResult {
  rounds: RoundReport[];
  comparisons: Comparison[];
  reward: RewardModel;
  /** Where the KL budget stopped tuning (the undone iteration and the KL it reached), if it did. */
  stopped?: BudgetStop;
}

export async function runRlhfLoop(
  ctx: LoopContext,
  config: Partial<LoopConfig> = {},
  onRound?: (r: RoundReport) => void,
): Promise<LoopResult> {
  const c = { ...DEFAULT_LOOP, ...config };
  const rng = new Rng(c.seed);
  const sampling = {
    maxNewTokens: c.policy.maxNewTokens ?? 48,
    temperature: c.policy.temperature ?? 0.7,
    candidates: c.candidatesPerLabel,
    select: c.pairSelection,
  };
  const labelRounds = Math.min(c.rounds, c.labelRounds ?? c.rounds);
  check(
    Number.isInteger(labelRounds) && labelRounds >= 1,
    'BAD_CONFIG',
    outOfRange(null, 'labelRounds', c.labelRounds, 'positiveInteger'),
  );
  const judged = c.algorithm === 'dpo' ? (c.judgedPairs ?? 0) : 0;
  check(
    Number.isInteger(judged) && judged >= 0,
    'BAD_CONFIG',
    outOfRange(null, 'judgedPairs', c.judgedPairs, 'nonNegativeInteger'),
  );
  const marks = c.marksPerResponse ?? 0;
  check(
    Number.isInteger(marks) && marks >= 0,
    'BAD_CONFIG',
    outOfRange(null, 'marksPerResponse', c.marksPerResponse, 'nonNegativeInteger'),
  );
  const every = c.rewardEvery ?? Infinity;
  check(
    every === Infinity || (Number.isInteger(every) && every >= 1),
    'BAD_CONFIG',
    outOfRange(null, 'rewardEvery', c.rewardEvery, 'positiveInteger'),
  );
  // Scores with whichever reward model the loop holds now (each training makes a new one).
  const scorer = lowerBoundScorer(() => rm, c.spreadPenalty ?? 0);
  const bon = c.algorithm === 'sft' ? (c.bestOfN ?? null) : null;
  for (const key of ['prompts', 'candidates'] as const)
    check(
      bon === null || (Number.isInteger(bon[key]) && bon[key] >= 1),
      'BAD_CONFIG',
      outOfRange(null, `bestOfN.${key}`, bon?.[key], 'positiveInteger'),
    );
  // Their own generator, so the labels asked are the same with and without a judge.
  const judgeRng = new Rng(c.seed + 2);
  let judgedPairs: JudgedPairs = { pairs: [], confidence: 0 };
  let best: BestOfN = { demonstrations: [], keptScore: NaN, candidateScore: NaN };
  // Before the reward model, so a bad setting is refused with nothing to dispose; a reward model
  // refused for its own settings gives the budget back.
  const budget = c.klBudget === undefined ? null : new KlBudget(ctx, c.klBudget, sampling, c.seed);
  const newReward = () => new RewardModel(ctx.reference, ctx.codec.eosId, { seed: c.seed, ...c.reward }, ctx.codec);
  let rm: RewardModel;
  try {
    rm = newReward();
  } catch (err) {
    budget?.dispose();
    throw err;
  }
  const comparisons: Comparison[] = [];
  const rounds: RoundReport[] = [];
  let optimizer: PolicyOptimizer | null = null;
  let pairs: PreferencePair[] = [];
  let evaluation = { accuracy: NaN, loss: NaN };
  let stopped: BudgetStop | undefined;
  // A reward model on every label so far (and on what their marked words teach), normalised. As
  // the page's session does, every training starts afresh from the reference and then replaces the
  // model (the first uses the one made above), so the model is a function of the labels and the seed.
  let trainedOn = -1;
  const trainReward = async (): Promise<void> => {
    pairs = comparisons.map((x) => comparisonToPair(x, ctx.codec));
    const fresh = trainedOn < 0 ? rm : newReward();
    if (fresh !== rm) rm.dispose();
    rm = fresh;
    await rm.train([...pairs, ...comparisons.flatMap((x) => markPairs(x, ctx.codec, c.markForm))]);
    await normalizeOnReference(rm, ctx, c.normalizationSamples, sampling.maxNewTokens, new Rng(c.seed + 1));
    trainedOn = comparisons.length;
  };
  // A training between labels waits, as the page's does, until a label is left out of the held-out split.
  const trainable = (): boolean => comparisons.some((x) => !isHeldOut(comparisonToPair(x, ctx.codec).key));
  try {
    for (let round = 1; round <= c.rounds; round++) {
      const started = performance.now();
      let labelingSeconds = 0;
      if (round <= labelRounds) {
        // 1. pairs from the current policy, judged by the labeler; with `rewardEvery`, the reward
        // model trains between the round's labels as well (their time counts as labelling time)
        const goal = Math.round((c.labels * round) / labelRounds);
        while (comparisons.length < goal) {
          const due = comparisons.length > trainedOn && comparisons.length % every === 0;
          if (due && trainable()) await trainReward();
          const asked = await samplePairs(
            ctx.policy,
            ctx.codec,
            ctx.prompts,
            Math.min(goal, (Math.floor(comparisons.length / every) + 1) * every) - comparisons.length,
            trainedOn < 0 ? null : rm,
            { ...sampling, temperature: c.labelTemperature ?? sampling.temperature },
            rng,
          );
          // The loop's log only grows, so a label's place in it is its stable id.
          comparisons.push(...labelPairs(asked, ctx.labeler, rng, comparisons.length, marks));
        }
        labelingSeconds = (performance.now() - started) / 1000;
        // 2. reward model on every label so far
        await trainReward();
        evaluation = await rm.evaluate(pairs);
        if (judged > 0)
          judgedPairs = await judgePairs(
            ctx.policy,
            ctx.codec,
            ctx.prompts,
            judged,
            rm,
            { ...sampling, temperature: c.labelTemperature ?? sampling.temperature },
            judgeRng,
          );
        if (bon !== null)
          best = await bestOfN(ctx.policy, ctx.codec, ctx.prompts, bon.prompts, bon.candidates, rm, sampling, judgeRng);
      }
      // 3. policy optimisation
      optimizer ??= createOptimizer({
        policy: ctx.policy,
        reference: ctx.reference,
        reward: rm,
        scorer,
        eosId: ctx.codec.eosId,
        padId: ctx.codec.eosId,
        seed: c.seed,
        settings: policySettings(c.algorithm, c.policy),
      });
      let metrics: Record<string, number> = {};
      const iterations = c.markedPlay
        ? playIterations(c.algorithm, c.policyIterationsPerRound, {
            labels: comparisons.length,
            marked: countMarked(comparisons),
          })
        : c.policyIterationsPerRound;
      for (let i = 0; i < iterations && stopped === undefined; i++) {
        const batch = Array.from(
          { length: c.policy.promptsPerIteration ?? 4 },
          () => ctx.prompts[rng.int(ctx.prompts.length)],
        );
        budget?.remember();
        const result = await optimizer.iteration({
          prompts: batch.map((p) => promptIds(ctx.codec, p)),
          pairs: judged > 0 ? [...pairs, ...judgedPairs.pairs] : pairs,
          demonstrations: best.demonstrations,
        });
        // The value warm-up's loss comes with the first iteration only: the round keeps it.
        const warmup = metrics['val/warmup_loss'];
        metrics = warmup === undefined ? result.metrics : { 'val/warmup_loss': warmup, ...result.metrics };
        stopped = (await budget?.check(round, i + 1)) ?? undefined;
      }
      Object.assign(metrics, await probePolicy(ctx, rm, sampling, new Rng(c.seed + 1000 * round)));
      if (judged > 0)
        Object.assign(metrics, { 'judge/pairs': judgedPairs.pairs.length, 'judge/confidence': judgedPairs.confidence });
      if (bon !== null)
        Object.assign(metrics, { 'bon/kept_score': best.keptScore, 'bon/candidate_score': best.candidateScore });
      if (budget) Object.assign(metrics, { 'budget/kl': budget.kl, 'budget/stopped': stopped === undefined ? 0 : 1 });
      // 4. report
      const report = {
        round,
        labels: comparisons.length,
        rewardAccuracy: evaluation.accuracy,
        rewardLoss: evaluation.loss,
        metrics,
        seconds: (performance.now() - started) / 1000,
        labelingSeconds,
        policyIterations: iterations,
        policyIterationsKept: stopped?.round === round ? stopped.iteration - 1 : iterations,
      };
      rounds.push(report);
      onRound?.(report);
      if (stopped !== undefined) break;
    }
  } catch (err) {
    rm.dispose();
    throw err;
  } finally {
    optimizer?.dispose();
    budget?.dispose();
  }
  return { rounds, comparisons, reward: rm, ...(stopped !== undefined ? { stopped } : {}) };
}
