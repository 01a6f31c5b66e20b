/**
 * The KL budget of a tuning run: after every policy iteration the KL to the reference is measured
 * on fresh samples (always the same prompts and seed, so successive checks compare), and the
 * first iteration past the budget is undone. The loop and the page's session both use it.
 */
import { generateTexts, promptIds } from '../generate/text';
import { check, outOfRange } from '../errors';
import { PolicySnapshot } from '../rl/iteration';
import { Rng } from '../rng';
import { klOnSamples } from './evaluate';
import type { LoopContext } from './rlhf-loop';

export interface BudgetStop {
  round: number;
  /** The iteration of that round that passed the budget, 1-based; it was undone. */
  iteration: number;
  /** The KL that iteration reached. */
  kl: number;
  /** The KL of the weights kept (at the last check within budget; 0 before any). */
  keptKl: number;
}

/** Samples each KL-budget check draws: twice the probe's, for a steadier estimate. */
const BUDGET_SAMPLES = 32;

/**
 * The KL budget's bookkeeping: remembers the weights before each iteration and measures the KL to
 * the reference after it, on the same prompts and sampling seed every time.
 */
export class KlBudget {
  private readonly snapshot: PolicySnapshot;
  private readonly prompts: string[];
  private readonly seed: number;
  private lastKl = 0;

  constructor(
    private readonly ctx: Pick<LoopContext, 'policy' | 'reference' | 'codec' | 'prompts'>,
    readonly nats: number,
    private readonly sampling: { maxNewTokens: number; temperature: number },
    seed: number,
  ) {
    check(Number.isFinite(nats) && nats > 0, 'BAD_CONFIG', outOfRange(null, 'klBudget', nats, 'positiveNumber'));
    this.snapshot = new PolicySnapshot([ctx.policy.params]);
    const rng = new Rng(seed + 7777);
    this.prompts = Array.from({ length: BUDGET_SAMPLES }, () => ctx.prompts[rng.int(ctx.prompts.length)]);
    this.seed = rng.nextUint32();
  }

  /** KL to the reference of the current policy on the budget's samples. */
  async measure(): Promise<number> {
    const gens = await generateTexts(this.ctx.policy, this.ctx.codec, this.prompts, {
      ...this.sampling,
      seed: this.seed,
    });
    const ids = this.prompts.map((p) => promptIds(this.ctx.codec, p));
    return klOnSamples(
      this.ctx.policy,
      this.ctx.reference,
      ids,
      gens.map((g) => g.tokens),
      this.sampling.temperature,
      this.ctx.codec.eosId,
    );
  }

  /** Call before an iteration: remembers the weights. */
  remember(): void {
    this.snapshot.remember();
  }

  /** Call after it: null while within budget; else undoes the iteration and says how far it went. */
  async check(round: number, iteration: number): Promise<BudgetStop | null> {
    const kl = await this.measure();
    if (kl <= this.nats) {
      this.lastKl = kl;
      return null;
    }
    this.snapshot.restore();
    return { round, iteration, kl, keptKl: this.lastKl };
  }

  /** The KL at the last check within budget. */
  get kl(): number {
    return this.lastKl;
  }

  dispose(): void {
    this.snapshot.dispose();
  }
}
