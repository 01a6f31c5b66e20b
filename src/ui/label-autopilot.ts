/**
 * Autopilot for the Label stage: the simulated labeler answers the pair (or single response) on
 * screen on its own. Its answer is shown, marked as not the person's, for a moment before it is
 * stored and the next item comes; the answer names the item it was given for, so it is dropped if
 * the person has moved on meanwhile. Switched on, autopilot labels until switched off or something
 * fails; the online loop has it label a set number of items each round.
 */
import type { PairRequest } from '../contract/pairs';
import type { Stars, WordMark } from '../contract/labels';
import type { Answer } from '../contract/protocol';
import { STUDY_MARKS_PER_RESPONSE } from '../contract/learning-defaults';
import { toProblem, type Problem } from './problem';

import type { Choice, LabelDeps, Single } from './label-deps';

export const AUTOPILOT_PAUSE_MS = 600;
/** Words autopilot marks per response when it marks: the learning study's pick (`--marks 3`). */
export const AUTOPILOT_MARKS = STUDY_MARKS_PER_RESPONSE;

/** What autopilot reads and sets on the Label stage, and the answers it gives there. */
export interface AutopilotView {
  autopilot: boolean;
  readonly autopilotMarks: boolean;
  problem: Problem | null;
  readonly pair: PairRequest | null;
  readonly single: Single | null;
  next(): Promise<void>;
  choose(choice: Choice, labeler: string, judged: number, given: readonly WordMark[]): Promise<void>;
  rate(stars: Stars, labeler: string, judged: number): Promise<void>;
}

/** What autopilot needs of the Label stage that the stage keeps to itself. */
export interface AutopilotHooks {
  /** The number of the item on screen, which an answer names so it is stored only on that item. */
  shownId(): number;
  /** Shows the simulated labeler's answer, marked as its own, while `item` is on screen. */
  show(answer: Answer, item: PairRequest | Single): void;
}

export class Autopilot {
  constructor(
    private readonly deps: LabelDeps,
    private readonly view: AutopilotView,
    private readonly hooks: AutopilotHooks,
  ) {}

  /**
   * The simulated labeler answers what is on screen: its answer is shown, marked as its own, for
   * `showMs` before it is stored and the next item comes.
   */
  async answerOnce(showMs: number): Promise<void> {
    const view = this.view;
    if (view.pair === null && view.single === null) await view.next();
    const item = view.pair ?? view.single;
    if (item === null) {
      // Nothing to ask (every labelled pair was asked again): autopilot stops instead of spinning.
      view.autopilot = false;
      return;
    }
    const judged = this.hooks.shownId();
    try {
      const answer = await this.deps.client.judge(
        'a' in item
          ? {
              kind: 'compare',
              prompt: item.prompt,
              a: item.a,
              b: item.b,
              marks: view.autopilotMarks ? AUTOPILOT_MARKS : 0,
            }
          : { kind: 'rate', prompt: item.prompt, response: item.response },
      );
      this.hooks.show(answer, item);
      if (showMs > 0) await this.wait(showMs);
      if (answer.kind === 'compare') await view.choose(answer.choice, answer.labeler, judged, answer.marks ?? []);
      else await view.rate(answer.stars, answer.labeler, judged);
    } catch (err) {
      view.problem = toProblem(err);
      view.autopilot = false;
    }
  }

  private wait(ms: number): Promise<void> {
    return (this.deps.pause ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(ms);
  }

  /** Labels `count` items, each shown for `showMs`, stopping early when something fails. */
  async answer(count: number, showMs: number): Promise<void> {
    for (let i = 0; i < count && this.view.problem === null; i++) await this.answerOnce(showMs);
  }

  /** Turns autopilot on (it labels until turned off or something fails) or off. */
  async set(on: boolean): Promise<void> {
    if (on === this.view.autopilot) return;
    this.view.autopilot = on;
    while (this.view.autopilot) {
      await this.answerOnce(AUTOPILOT_PAUSE_MS);
      if (this.view.problem !== null) this.view.autopilot = false;
    }
  }
}
