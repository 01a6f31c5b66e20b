/**
 * The Label stage: the pair (or single response) on screen, the person's answer to it, undo, the
 * rewrite of a response into a demonstration, and autopilot (label-autopilot.ts). Every answer is
 * written to storage before the next pair appears, so a reload never loses one. The next pair comes
 * from label-sampler.ts, which samples it while the person reads the current one. Every item shown
 * gets a new number: an answer is stored only on the item it was given for, so autopilot's delayed
 * verdict can never land on a pair the person has moved on to.
 */
import type { PairRequest } from '../contract/pairs';
import type { Stars, WordMark } from '../contract/labels';
import type { Answer } from '../contract/protocol';
import { Autopilot } from './label-autopilot';
import { LabelSampler } from './label-sampler';
import { LabelerName } from './labeler-name.svelte';
import { MarkState } from './mark-state.svelte';
import { isCancelled, toProblem, type Problem } from './problem';
import { labelShortcut, type KeyPress } from './shortcuts';
import type { LabelKind } from './workspace';

import type { Choice, LabelDeps, LabelNews, Single } from './label-deps';

export type { LabelClient, LabelDeps, LabelNews, Single } from './label-deps';
export { AUTOPILOT_MARKS, AUTOPILOT_PAUSE_MS } from './label-autopilot';

interface Given {
  kind: LabelKind;
  id: number;
  pair: PairRequest | null;
  single: Single | null;
  /** The pair was asked as a second opinion. */
  reask: boolean;
  /** The words the person marked on the pair, put back with it on undo (autopilot's never are). */
  marks: readonly WordMark[];
}

export class LabelState {
  mode = $state<'pair' | 'stars'>('pair');
  active = $state(false);
  pair = $state.raw<PairRequest | null>(null);
  single = $state.raw<Single | null>(null);
  loading = $state(false);
  saving = $state(false);
  problem = $state.raw<Problem | null>(null);
  autopilot = $state(false);
  /** Autopilot (and the online loop) also marks the words its rule turns on. */
  autopilotMarks = $state(false);
  /** The simulated labeler's last answer, shown marked as not the person's. */
  autoAnswer = $state.raw<Answer | null>(null);
  /** What that answer was about; the mark is shown only while it is on screen. */
  private autoFor = $state.raw<PairRequest | Single | null>(null);
  readonly shownAutoAnswer = $derived(
    this.autoFor !== null && (this.autoFor === this.pair || this.autoFor === this.single) ? this.autoAnswer : null,
  );
  editing = $state.raw<{ side: 'a' | 'b'; text: string } | null>(null);
  helpOpen = $state(false);
  news = $state.raw<LabelNews | null>(null);
  /** The name the person labels under, written on every label they give. */
  readonly labeler: LabelerName;
  /** The words marked on the pair on screen (mark-state.svelte.ts), stored with its label. */
  readonly marking = new MarkState();
  /** Second-opinion mode: pairs already labelled are asked again (second-opinion.ts). */
  secondOpinion = $state(false);
  /** In second-opinion mode, every labelled pair has been asked again of this labeler. */
  nothingToReask = $state(false);
  /** The pair on screen when it is a second opinion. */
  private reasked = $state.raw<PairRequest | null>(null);
  /** The pair on screen is asked again (shown marked as such). */
  readonly showsSecondOpinion = $derived(this.reasked !== null && this.reasked === this.pair);
  private given = $state.raw<Given[]>([]);
  readonly canUndo = $derived(this.given.length > 0);
  private shownAt = 0;
  /** Bumped whenever what is on screen is replaced, so a late sample is dropped. */
  private turn = 0;
  /** The number of the item on screen: bumped whenever a pair or response is shown. */
  private shownId = 0;
  /** Draws the next item and prefetches the one after it. */
  private readonly sampler: LabelSampler;
  /** The simulated labeler answering on its own. */
  private readonly pilot: Autopilot;

  constructor(private readonly deps: LabelDeps) {
    this.labeler = new LabelerName(deps.workspace);
    this.sampler = new LabelSampler(deps, this);
    this.pilot = new Autopilot(deps, this, {
      shownId: () => this.shownId,
      show: (answer, item) => {
        this.autoAnswer = answer;
        this.autoFor = item;
      },
    });
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Drops the prefetched item (the policy changed, or the mode did). */
  invalidate(): void {
    this.sampler.invalidate();
  }

  /** Shows a new pair (or single response) from the current policy. */
  async next(): Promise<void> {
    const turn = ++this.turn;
    this.loading = true;
    this.problem = null;
    try {
      const item = await this.sampler.next();
      if (turn !== this.turn) return;
      this.nothingToReask = item === null;
      this.pair = item !== null && 'a' in item ? item : null;
      this.single = item !== null && !('a' in item) ? item : null;
      this.marking.reset(this.pair);
      this.reasked = this.sampler.reasking() ? this.pair : null;
      this.shownId++;
      this.shownAt = this.now();
      this.sampler.prefetch();
    } catch (err) {
      if (turn === this.turn && !isCancelled(err)) this.problem = toProblem(err);
    } finally {
      if (turn === this.turn) this.loading = false;
    }
  }

  setMode(mode: 'pair' | 'stars'): Promise<void> {
    this.mode = mode;
    this.editing = null;
    return this.next();
  }

  /** Turns second-opinion mode on (pairs already labelled are asked again) or off. */
  setSecondOpinion(on: boolean): Promise<void> {
    this.secondOpinion = on;
    this.invalidate();
    return this.mode === 'pair' ? this.next() : Promise.resolve();
  }

  /** Sets the name the person labels under; in second-opinion mode the next pair is one they have not re-asked. */
  async setLabelerName(typed: string): Promise<void> {
    if ((await this.labeler.set(typed)) && this.sampler.reasking()) await this.setSecondOpinion(true);
  }

  setActive(active: boolean): Promise<void> {
    this.active = active;
    return this.mode === 'pair' ? this.next() : Promise.resolve();
  }

  /**
   * Stores the answer to the pair on screen, then shows the next pair. A delayed answer names the
   * item it was given for (`judged`, see autoLabelOnce): unless that item is still on screen and
   * not being saved, the answer is dropped with a note.
   */
  async choose(
    choice: Choice,
    labeler = this.labeler.value,
    judged?: number,
    given?: readonly WordMark[],
  ): Promise<void> {
    const pair = this.pair;
    if (judged !== undefined && this.stale(judged, labeler)) return;
    if (pair === null || this.saving) return;
    const reask = pair === this.reasked;
    // A skip states no preference, so the words marked on it say nothing either.
    const marks = choice === 'skip' ? [] : (given ?? this.marking.marks);
    const version = this.deps.modelVersion();
    const at = this.now();
    const record = {
      prompt: pair.prompt,
      a: pair.a,
      b: pair.b,
      choice,
      labeler,
      createdAt: at,
      modelA: version,
      modelB: version,
      decisionMs: at - this.shownAt,
      aEnded: pair.aEnded,
      bEnded: pair.bEnded,
      ...(reask ? { secondOpinion: true } : {}),
      ...(marks.length > 0 ? { marks: [...marks] } : {}),
    };
    const id = await this.save(() => this.deps.workspace.addComparison(record));
    if (id === null) return;
    // Autopilot's own marks (`given`) are stored with its label but never put back for the person.
    const own = given === undefined ? marks : [];
    this.given = [...this.given, { kind: 'comparisons', id, pair, single: null, reask, marks: own }];
    this.marking.reset(null);
    this.news = { kind: 'chose', choice, labeler };
    this.pair = null;
    this.loading = true;
    await this.afterChange(true);
  }

  /** Stores 1-5 stars for the single response on screen, then shows the next one (`judged` as for choose). */
  async rate(stars: Stars, labeler = this.labeler.value, judged?: number): Promise<void> {
    const single = this.single;
    if (judged !== undefined && this.stale(judged, labeler)) return;
    if (single === null || this.saving) return;
    const record = {
      prompt: single.prompt,
      response: single.response,
      stars,
      labeler,
      createdAt: this.now(),
      model: this.deps.modelVersion(),
      ended: single.ended,
    };
    const id = await this.save(() => this.deps.workspace.addRating(record));
    if (id === null) return;
    this.given = [...this.given, { kind: 'ratings', id, pair: null, single, reask: false, marks: [] }];
    this.news = { kind: 'rated', stars, labeler };
    this.single = null;
    this.loading = true;
    await this.afterChange(true);
  }

  /** Ctrl+Z and the Undo button: the last mark on the pair on screen if any, else the last label. */
  async undoLast(): Promise<void> {
    if (!this.marking.undo()) await this.undo();
  }

  /** Removes the last label this page gave and puts its pair back on screen. */
  async undo(): Promise<void> {
    const last = this.given.at(-1);
    if (last === undefined || this.saving) return;
    const done = await this.save(() => this.deps.workspace.deleteLabel(last.kind, last.id).then(() => last.id));
    if (done === null) return;
    this.given = this.given.slice(0, -1);
    this.news = { kind: 'undone', what: last.kind };
    if (last.kind !== 'demonstrations') {
      this.turn++;
      this.loading = false;
      this.pair = last.pair;
      this.single = last.single;
      this.marking.reset(last.pair, last.marks);
      this.reasked = last.reask ? last.pair : null;
      this.shownId++;
      this.shownAt = this.now();
    }
    await this.afterChange(false);
  }

  /** Opens the editor on a response, to rewrite it into a better one. */
  startEdit(side: 'a' | 'b' = 'a'): void {
    const text = this.pair !== null ? this.pair[side] : this.single?.response;
    if (text !== undefined) this.editing = { side, text };
  }

  /** Stores the rewritten response as a demonstration (for SFT); the pair stays on screen. */
  async saveEdit(text: string): Promise<void> {
    const prompt = this.pair?.prompt ?? this.single?.prompt;
    if (prompt === undefined || text.trim() === '') return;
    const id = await this.save(() =>
      this.deps.workspace.addDemonstration({
        prompt,
        response: text,
        labeler: this.labeler.value,
        createdAt: this.now(),
      }),
    );
    if (id === null) return;
    this.given = [...this.given, { kind: 'demonstrations', id, pair: null, single: null, reask: false, marks: [] }];
    this.news = { kind: 'demonstrated' };
    this.editing = null;
    await this.afterChange(false);
  }

  cancelEdit(): void {
    this.editing = null;
  }

  /** True (and says so) when an answer is for an item no longer on screen, or one already being saved. */
  private stale(judged: number, labeler: string): boolean {
    if (judged === this.shownId && !this.saving && (this.pair ?? this.single) !== null) return false;
    this.news = { kind: 'dropped', labeler };
    return true;
  }

  /** Runs one storage write; on failure shows why and returns null (nothing was stored). */
  private async save(write: () => Promise<number>): Promise<number | null> {
    this.saving = true;
    try {
      return await write();
    } catch (err) {
      this.problem = toProblem(err);
      return null;
    } finally {
      this.saving = false;
    }
  }

  private async afterChange(advance: boolean): Promise<void> {
    try {
      await this.deps.changed();
    } catch (err) {
      // The label itself is stored; only the counts or the worker's copy are behind.
      this.problem = toProblem(err);
    }
    if (advance) await this.next();
  }

  /** Handles a key press in the Label stage; true when it was a shortcut. */
  handleKey(press: KeyPress): boolean {
    if (this.editing !== null) return false;
    if (this.mode === 'pair' && this.pair !== null && !this.saving && this.marking.handleKey(press)) return true;
    const action = labelShortcut(press, this.mode);
    if (action === null) return false;
    if (action.kind === 'help') this.helpOpen = !this.helpOpen;
    // Undo takes back the last mark on the pair on screen first, then the last label.
    else if (action.kind === 'undo') void this.undoLast();
    else if (action.kind === 'edit') this.startEdit();
    else if (action.kind === 'stars') void this.rate(action.stars);
    else if (this.mode === 'stars' && action.choice === 'skip') void this.next();
    else void this.choose(action.choice);
    return true;
  }

  /** The simulated labeler answers what is on screen, shown for `showMs` before it is stored. */
  autoLabelOnce(showMs = 0): Promise<void> {
    return this.pilot.answerOnce(showMs);
  }

  /** Labels `count` items with the simulated labeler (the online loop's labelling step). */
  autoLabel(count: number, showMs = 0): Promise<void> {
    return this.pilot.answer(count, showMs);
  }

  /** Turns autopilot on (it labels until turned off or something fails) or off. */
  setAutopilot(on: boolean): Promise<void> {
    return this.pilot.set(on);
  }
}
