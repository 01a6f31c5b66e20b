/**
 * The hands-off online loop for a workshop demo: the simulated labeler labels a few pairs from the
 * current policy, the reward model retrains on all labels, the policy tunes a few iterations
 * against it, and round again, until switched off. This is RLHF as it is iterated in practice:
 * each round's pairs come from the policy the last round produced.
 */
import type { LabelState } from './label-state.svelte';
import type { RewardState } from './reward-state.svelte';
import type { TuneState } from './tune-state.svelte';
import { LEARNING_DEFAULTS } from '../contract/learning-defaults';

export type LoopPhase = 'label' | 'reward' | 'tune';

const { pairsPerRound: LOOP_PAIRS_PER_ROUND, iterationsPerRound: LOOP_ITERATIONS_PER_ROUND } = LEARNING_DEFAULTS.loop;
/** How long each of the loop's answers stays on screen: long enough to see, short for a demo. */
export const LOOP_SHOW_MS = 300;

export class LoopState {
  on = $state(false);
  phase = $state<LoopPhase | null>(null);
  rounds = $state(0);
  /** Why the loop stopped by itself (a step failed); its stage shows the details. */
  stoppedAt = $state<LoopPhase | null>(null);

  constructor(private readonly parts: { label: LabelState; reward: RewardState; tune: TuneState }) {}

  /** Switches the loop on (runs until switched off or a step fails) or off. */
  async setOn(on: boolean): Promise<void> {
    if (!on) {
      this.on = false;
      if (this.phase === 'tune') this.parts.tune.stop();
      return;
    }
    if (this.on) return;
    this.on = true;
    this.stoppedAt = null;
    while (this.on) {
      const ok = await this.round();
      if (!ok) {
        this.stoppedAt = this.on ? this.phase : null;
        this.on = false;
      }
    }
    this.phase = null;
  }

  /** One round: label, reward model, tune. False when a step failed. */
  private async round(): Promise<boolean> {
    const { label, reward, tune } = this.parts;
    this.phase = 'label';
    await label.autoLabel(LOOP_PAIRS_PER_ROUND, LOOP_SHOW_MS);
    if (label.problem !== null || !this.on) return this.on && label.problem === null;
    this.phase = 'reward';
    if (!(await reward.train()) || !this.on) return false;
    this.phase = 'tune';
    if (!(await tune.play(LOOP_ITERATIONS_PER_ROUND))) return false;
    this.rounds++;
    return true;
  }
}
