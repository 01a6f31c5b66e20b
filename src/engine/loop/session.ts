/**
 * The stateful side of the playground: one policy being tuned, its frozen reference, the reward
 * model and the chosen optimiser, driven one step at a time (sample a pair, train the reward model,
 * run an iteration, reset) by whoever holds it: the worker for the UI, or a script. Labels are
 * not kept here: storage owns them and hands the whole log over with setLabels().
 */
import { LEARNING_DEFAULTS } from '../../contract/learning-defaults';
import { ALGORITHM_FACTS } from '../../contract/algorithms';
import type { Disagreement, HeldOutPairView, IterationView } from '../../contract/views';
import { saveCheckpoint } from '../checkpoint/checkpoint';
import { EngineError } from '../errors';
import { generateText, promptIds, responseIds } from '../generate/text';
import type { Labeler } from '../labelers/labeler';
import { noticeableDifference } from '../labelers/marks';
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer/tokenizer';
import { DEFAULT_PPO, type PPOConfig } from '../rl/ppo-config';
import {
  comparisonToPair,
  isHeldOut,
  ratingsToPairs,
  type Comparison,
  type PreferencePair,
  type Rating,
} from '../rl/preferences';
import { RewardModel, type RewardConfig, type RewardEvaluation } from '../rl/reward-model';
import { loadRewardCheckpoint, saveRewardCheckpoint } from '../rl/reward-checkpoint';
import type { Demonstration } from '../rl/sft';
import { Rng } from '../rng';
import {
  createOptimizer,
  policySettings,
  type Algorithm,
  type PolicyOptimizer,
  type PolicySettings,
} from './algorithms';
import { evaluatePolicies, type Evaluation, type EvaluationOptions } from './evaluate';
import { samplePairs, type PairRequest, type PairSampling } from './labeling';
import { KlBudget } from './rlhf-loop';
import { rolloutViews } from './sample-views';
import { trainRewardOnLabels, type RewardTrainingResult } from './session-reward';

export type { Disagreement, IterationView, SampleView } from '../../contract/views';

export class RlhfSession {
  readonly policy: GPT;
  readonly reference: GPT;
  readonly tokenizer: Tokenizer;
  private reward: RewardModel | null = null;
  /**
   * Rebuilt freely (new settings, a loaded reward model, a reset or replaced policy): it holds no
   * state the run must keep (a learning-rate schedule, which the page does not set, would restart
   * with it; PPO's value model is copied afresh from the reward model and warmed up again). A
   * reward-model training does not rebuild it: it scores through whichever reward model the session
   * holds (the `scorer` below), so PPO's value model and adaptive beta carry on.
   */
  private optimizer: PolicyOptimizer | null = null;
  private settings: PolicySettings = { algorithm: 'ppo', config: {} };
  private readonly rewardConfig: Partial<RewardConfig>;
  private labels = {
    comparisons: [] as Comparison[],
    ratings: [] as Rating[],
    demonstrations: [] as { prompt: string; response: string }[],
  };
  private rng: Rng;
  /** A simulated labeler whose gold score is shown beside the reward (autopilot and lessons). */
  gold: Labeler | null = null;

  /**
   * Takes ownership of `policy` and of `options.reference`, the run's frozen KL anchor (the base
   * model the run started from). Without one, the reference is a frozen copy of the policy as it
   * is now: right only when the policy *is* the base, as at the start of a run. Every optimiser
   * the session builds is handed this reference, so the KL penalty and `objective/kl` measure
   * against it whatever was rebuilt since.
   */
  constructor(
    policy: GPT,
    tokenizer: Tokenizer,
    options: { seed?: number; reward?: Partial<RewardConfig>; reference?: GPT } = {},
  ) {
    this.policy = policy;
    this.reference = options.reference ?? policy.clone();
    this.tokenizer = tokenizer;
    this.rng = new Rng(options.seed ?? 0);
    this.rewardConfig = { ...LEARNING_DEFAULTS.reward, seed: options.seed ?? 0, ...options.reward };
  }

  get hasRewardModel(): boolean {
    return this.reward !== null;
  }

  /** The whole label log, as storage holds it. */
  setLabels(labels: {
    comparisons: Comparison[];
    ratings: Rating[];
    demonstrations: { prompt: string; response: string }[];
  }): void {
    this.labels = labels;
  }

  /** Every label as preference pairs, in the token ids a rollout of the same responses is scored on. */
  private pairs(): PreferencePair[] {
    const decided = this.labels.comparisons.map((c) => comparisonToPair(c, this.tokenizer));
    return [...decided, ...ratingsToPairs(this.labels.ratings, this.tokenizer)];
  }

  /** How many preference pairs the labels form, and how many of them the reward model trains on. */
  pairCounts(): { pairs: number; training: number } {
    const pairs = this.pairs();
    return { pairs: pairs.length, training: pairs.filter((p) => !isHeldOut(p.key)).length };
  }

  private demonstrations(): Demonstration[] {
    return this.labels.demonstrations.map((d) => ({
      prompt: promptIds(this.tokenizer, d.prompt),
      response: [...this.tokenizer.encode(d.response), this.tokenizer.eosId],
    }));
  }

  /** A pair of responses from the current policy to label; `active` picks the most uncertain of 4. */
  async samplePair(
    prompts: string[],
    active: boolean,
    sampling: Omit<PairSampling, 'candidates'>,
  ): Promise<PairRequest> {
    const reward = active ? this.reward : null;
    const [pair] = await samplePairs(
      this.policy,
      this.tokenizer,
      prompts,
      1,
      reward,
      { ...sampling, candidates: 4 },
      this.rng,
    );
    return pair;
  }

  /** One response to rate with stars, and whether it ended with end-of-text. */
  async sampleOne(
    prompt: string,
    sampling: { maxNewTokens: number; temperature: number },
  ): Promise<{ text: string; ended: boolean }> {
    const g = await generateText(this.policy, this.tokenizer, prompt, { ...sampling, seed: this.rng.nextUint32() });
    return { text: g.text, ended: g.finishReason === 'eos' };
  }

  /**
   * Trains a fresh reward model (from the reference) on every label, normalises it on reference
   * samples of `prompts`, evaluates it on the held-out pairs, and only then makes it the session's.
   * Each training starts afresh, so the model is a function of the labels and the seed alone: the
   * page's background trainings while the person labels end in the model one training on the same
   * labels gives, as `npm run rlhf` measures it. When the labels form no pair to train on (throws
   * NOT_ENOUGH_LABELS), or the training fails or is cancelled, the session keeps the reward model it
   * had (none before the first training), so an untrained model is never tuned against.
   */
  async trainRewardModel(
    prompts: string[],
    onStep?: (done: number, total: number, loss: number) => void,
  ): Promise<{
    losses: number[];
    evaluation: RewardEvaluation;
    heldOut: HeldOutPairView[];
    disagreements: Disagreement[];
  }> {
    const pairs = this.pairs();
    if (!pairs.some((p) => !isHeldOut(p.key)))
      throw new EngineError('NOT_ENOUGH_LABELS', {
        code: 'NO_PAIRS_TO_TRAIN',
        params: { algorithm: null, reason: pairs.length > 0 ? 'allHeldOut' : 'none', count: pairs.length },
      });
    const fresh = new RewardModel(this.reference, this.tokenizer.eosId, this.rewardConfig, this.tokenizer);
    let trained: RewardTrainingResult;
    try {
      trained = await trainRewardOnLabels(
        fresh,
        {
          pairs,
          comparisons: this.labels.comparisons,
          prompts,
          reference: this.reference,
          tokenizer: this.tokenizer,
        },
        onStep,
      );
    } catch (err) {
      fresh.dispose();
      throw err;
    }
    this.reward?.dispose();
    this.reward = fresh;
    return { ...trained, disagreements: await this.disagreements() };
  }

  private requireReward(): RewardModel {
    if (this.reward === null) throw new EngineError('NOT_ENOUGH_LABELS', { code: 'NO_REWARD_MODEL', params: {} });
    return this.reward;
  }

  /** The labelled comparisons (not ties) whose winner the reward model scores lower. */
  private async disagreements(): Promise<Disagreement[]> {
    const decided = this.labels.comparisons.map((c, index) => ({ c, index })).filter(({ c }) => c.choice !== 'tie');
    if (this.reward === null || decided.length === 0) return [];
    const { pA } = await this.reward.comparePairs(
      decided.map(({ c }) => promptIds(this.tokenizer, c.prompt)),
      decided.map(({ c }) => responseIds(this.tokenizer, c.a, c.aEnded === true)),
      decided.map(({ c }) => responseIds(this.tokenizer, c.b, c.bEnded === true)),
    );
    return decided
      .map(({ c, index }, i) => ({ index, pLabelled: c.choice === 'a' ? pA[i] : 1 - pA[i] }))
      .filter((d) => d.pLabelled < 0.5)
      .sort((x, y) => x.pLabelled - y.pLabelled);
  }

  /**
   * Reward-model score (normalised) and ensemble disagreement of any text; `ended` when the
   * response ended with end-of-text (a sampled one that did is scored, as in a rollout, there).
   */
  async scoreText(prompt: string, response: string, ended = false): Promise<{ score: number; disagreement: number }> {
    const s = await this.requireReward().score(
      [promptIds(this.tokenizer, prompt)],
      [responseIds(this.tokenizer, response, ended)],
    );
    return { score: s.mean[0], disagreement: s.disagreement[0] };
  }

  /** The reward model as checkpoint bytes (see reward-checkpoint.ts); null before it was trained. */
  async saveRewardModel(name: string, info: Record<string, unknown>): Promise<Uint8Array | null> {
    if (this.reward === null) return null;
    return saveRewardCheckpoint(this.reward, { name, tokenizerFingerprint: this.tokenizer.fingerprint(), info });
  }

  /**
   * Makes a saved reward model this session's, so scoring and tuning need no retraining. Throws
   * EngineError for a bad file or another tokenizer, and then keeps the reward model it had.
   */
  loadRewardModel(bytes: Uint8Array, source: string): void {
    const { reward } = loadRewardCheckpoint(bytes, {
      padId: this.tokenizer.eosId,
      tokenizer: this.tokenizer,
      codec: this.tokenizer,
      source,
    });
    this.reward?.dispose();
    this.reward = reward;
    // The optimiser holds the reward model it was built with (and PPO's value model may start from it).
    this.dropOptimizer();
  }

  /**
   * Chooses the algorithm and its settings, from the knobs the page sets (named as PPO's; each
   * algorithm takes those it has). The next iteration builds a fresh optimiser on the same reference.
   */
  configure(algorithm: Algorithm, knobs: Partial<PPOConfig>): void {
    this.dropOptimizer();
    this.settings = policySettings(algorithm, knobs);
  }

  private dropOptimizer(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
  }

  /**
   * A KL budget of `nats` per response for the iterations that follow: `remember()` before one,
   * `check()` after it undoes it when the policy's KL to the reference passed the budget (see
   * KlBudget). Measured on responses as long as tuning's, from `prompts`. The caller disposes it.
   */
  klBudget(nats: number, prompts: string[]): KlBudget {
    const c = this.settings.config;
    const sampling = {
      maxNewTokens: ('maxNewTokens' in c ? c.maxNewTokens : undefined) ?? DEFAULT_PPO.maxNewTokens,
      temperature: ('temperature' in c ? c.temperature : undefined) ?? DEFAULT_PPO.temperature,
    };
    const ctx = { policy: this.policy, reference: this.reference, codec: this.tokenizer, prompts };
    return new KlBudget(ctx, nats, sampling, this.rng.nextUint32());
  }

  /** One policy iteration on prompts drawn from `prompts`. */
  async iterate(prompts: string[]): Promise<IterationView> {
    const s = this.settings;
    if (ALGORITHM_FACTS[s.algorithm].needsRewardModel && this.reward === null)
      throw new EngineError('NOT_ENOUGH_LABELS', {
        code: 'ALGORITHM_NEEDS_REWARD_MODEL',
        params: { algorithm: s.algorithm },
      });
    this.optimizer ??= createOptimizer({
      policy: this.policy,
      reference: this.reference,
      reward: this.reward,
      // Each training makes a new reward model (trainRewardModel): the optimiser scores with the current one.
      scorer: { score: (prompts, responses) => this.requireReward().score(prompts, responses) },
      eosId: this.tokenizer.eosId,
      padId: this.tokenizer.eosId,
      seed: this.rng.nextUint32(),
      settings: s,
    });
    // Online methods sample prompts per their settings; the offline ones draw the default count, unused.
    const n =
      ('promptsPerIteration' in s.config ? s.config.promptsPerIteration : undefined) ?? DEFAULT_PPO.promptsPerIteration;
    const batch = Array.from({ length: n }, () => prompts[this.rng.int(prompts.length)]);
    const result = await this.optimizer.iteration({
      prompts: batch.map((p) => promptIds(this.tokenizer, p)),
      pairs: this.pairs(),
      demonstrations: this.demonstrations(),
    });
    const gold = this.gold;
    return {
      metrics: result.metrics,
      samples: rolloutViews(result, this.tokenizer, gold === null ? null : (p, t) => gold.score(p, t)),
    };
  }

  /** Puts the policy back to the reference weights and forgets optimiser state. */
  resetToReference(): void {
    this.policy.params.copyFrom(this.reference.params);
    this.dropOptimizer();
  }

  /** Base against tuned on held-out prompts, judged by the gold labeler. */
  async evaluate(o: Omit<EvaluationOptions, 'gold'>): Promise<Evaluation> {
    if (this.gold === null) throw new EngineError('BAD_ARGUMENT', { code: 'NO_LABELER', params: {} });
    const gold = this.gold;
    return evaluatePolicies(this.reference, this.policy, this.tokenizer, {
      ...o,
      gold: (p, r) => gold.score(p, r),
      goldNoticeable: noticeableDifference(gold),
    });
  }

  /** The current policy as checkpoint bytes. */
  async savePolicy(name: string, info: Record<string, unknown>): Promise<Uint8Array> {
    return saveCheckpoint(this.policy, { name, tokenizerFingerprint: this.tokenizer.fingerprint(), info });
  }

  dispose(): void {
    this.optimizer?.dispose();
    this.reward?.dispose();
    this.reference.dispose();
    this.policy.dispose();
  }
}
