/**
 * Marking words on the pair on screen (fine-grained feedback): beside "A is better", the person
 * may mark the words that made the difference, good or bad. The reward model learns from each
 * mark that the response is better (or worse) with that word than without it.
 *
 * Words are selected with the mouse (press on a word, drag across more, release) or the keyboard
 * (M puts a word cursor on response A; arrows move it, Shift+arrows extend the selection, up and
 * down switch response; Escape leaves). G marks the selection good, B bad, Delete clears marks in
 * it. Every change can be undone (Ctrl+Z) until the label is given; the marks are stored with it.
 */
import { markableWords, type WordMark } from '../contract/labels';
import { isTyping, type KeyPress } from './shortcuts';

type Side = 'a' | 'b';

/** A piece of a response's text: a word (its index among the words) or the text between words. */
export interface Segment {
  text: string;
  /** The word's index, or null between words. */
  word: number | null;
  start: number;
  end: number;
}

/** `text` cut into words and the text between them, in order, covering every character. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  let word = 0;
  for (const m of text.matchAll(markableWords())) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), word: null, start: at, end: m.index });
    out.push({ text: m[0], word: word++, start: m.index, end: m.index + m[0].length });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), word: null, start: at, end: text.length });
  return out;
}

/** Where each word of `text` starts and ends. */
function wordSpans(text: string): { start: number; end: number }[] {
  return segments(text).filter((s) => s.word !== null);
}

/** The marked words of a pair grouped by response and polarity (A good, A bad, B good, B bad), empty groups left out. */
export function markedWords(
  marks: readonly WordMark[],
  texts: { a: string; b: string },
): { side: Side; polarity: 1 | -1; words: string[] }[] {
  return (['a', 'b'] as const).flatMap((side) =>
    ([1, -1] as const).flatMap((polarity) => {
      const words = marks
        .filter((m) => m.side === side && m.polarity === polarity)
        .map((m) => texts[side].slice(m.start, m.end));
      return words.length === 0 ? [] : [{ side, polarity, words }];
    }),
  );
}

export interface WordSelection {
  side: Side;
  /** Where the selection started and where it ends now (word indices; either order). */
  anchor: number;
  focus: number;
}

const MARK_KEYS: Record<string, 1 | -1> = { g: 1, b: -1 };

export class MarkState {
  /** The marks on the pair on screen, in reading order per side. */
  marks = $state.raw<WordMark[]>([]);
  selection = $state.raw<WordSelection | null>(null);
  private history = $state.raw<WordMark[][]>([]);
  /** True once a mark was changed on this pair: Ctrl+Z undoes marks before labels. */
  readonly canUndo = $derived(this.history.length > 0);
  private words: Record<Side, { start: number; end: number }[]> = { a: [], b: [] };
  private dragging = false;

  /** A new pair on screen (or none), with the marks it had when it was labelled (after an undo). */
  reset(texts: { a: string; b: string } | null, marks: readonly WordMark[] = []): void {
    this.words = texts === null ? { a: [], b: [] } : { a: wordSpans(texts.a), b: wordSpans(texts.b) };
    this.marks = [...marks];
    this.history = [];
    this.selection = null;
    this.dragging = false;
  }

  /** The mark over word `word` of `side`: 1, -1, or null. */
  markOf(side: Side, word: number): 1 | -1 | null {
    const span = this.words[side][word];
    if (span === undefined) return null;
    return this.marks.find((m) => m.side === side && m.start < span.end && span.start < m.end)?.polarity ?? null;
  }

  isSelected(side: Side, word: number): boolean {
    const s = this.selection;
    return s !== null && s.side === side && word >= Math.min(s.anchor, s.focus) && word <= Math.max(s.anchor, s.focus);
  }

  /** The word under the keyboard cursor. */
  isCursor(side: Side, word: number): boolean {
    return this.selection?.side === side && this.selection.focus === word;
  }

  /** Mouse: a press on a word starts a selection there. */
  press(side: Side, word: number): void {
    if (this.words[side][word] === undefined) return;
    this.selection = { side, anchor: word, focus: word };
    this.dragging = true;
  }

  /**
   * Mouse: moving over a word while pressed extends the selection to it (on the same response).
   * `pressed`: whether a button is still down (a release outside the window ends the drag too).
   */
  enter(side: Side, word: number, pressed = true): void {
    if (!pressed) this.dragging = false;
    if (!this.dragging || this.selection?.side !== side) return;
    this.selection = { ...this.selection, focus: word };
  }

  release(): void {
    this.dragging = false;
  }

  /** The characters the selection covers, and the marks on screen that lie outside them. */
  private selected(): { side: Side; start: number; end: number; outside: WordMark[] } | null {
    const s = this.selection;
    if (s === null) return null;
    const spans = this.words[s.side];
    const start = spans[Math.min(s.anchor, s.focus)].start;
    const end = spans[Math.max(s.anchor, s.focus)].end;
    const outside = this.marks.filter((m) => m.side !== s.side || m.end <= start || end <= m.start);
    return { side: s.side, start, end, outside };
  }

  /** Marks the selected words good (1) or bad (-1), replacing any mark they overlap. */
  mark(polarity: 1 | -1): void {
    const sel = this.selected();
    if (sel !== null) this.change([...sel.outside, { side: sel.side, start: sel.start, end: sel.end, polarity }]);
  }

  /** Removes every mark the selection overlaps. */
  clear(): void {
    const sel = this.selected();
    if (sel !== null && sel.outside.length !== this.marks.length) this.change(sel.outside);
  }

  private change(marks: WordMark[]): void {
    this.history = [...this.history, this.marks];
    this.marks = marks.sort((x, y) => (x.side === y.side ? x.start - y.start : x.side < y.side ? -1 : 1));
  }

  /** Puts back the marks as they were before the last change; false when there is none. */
  undo(): boolean {
    const last = this.history.at(-1);
    if (last === undefined) return false;
    this.history = this.history.slice(0, -1);
    this.marks = last;
    return true;
  }

  /** Moves the keyboard cursor by `step` words (extending the selection with Shift). */
  private move(step: number, extend: boolean): void {
    const s = this.selection;
    if (s === null) return;
    const last = this.words[s.side].length - 1;
    const focus = Math.max(0, Math.min(last, s.focus + step));
    this.selection = { side: s.side, anchor: extend ? s.anchor : focus, focus };
  }

  private switchSide(): void {
    const s = this.selection;
    const side: Side = s?.side === 'a' ? 'b' : 'a';
    const last = this.words[side].length - 1;
    if (last < 0) return;
    const word = Math.min(last, s?.focus ?? 0);
    this.selection = { side, anchor: word, focus: word };
  }

  /** Handles a marking key; true when it was one. */
  handleKey(press: KeyPress): boolean {
    if (isTyping(press.target) || press.altKey || press.ctrlKey || press.metaKey) return false;
    const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
    if (key === 'm') {
      if (this.selection === null) {
        const side: Side = this.words.a.length > 0 ? 'a' : 'b';
        if (this.words[side].length === 0) return true;
        this.selection = { side, anchor: 0, focus: 0 };
      }
      return true;
    }
    if (this.selection === null) return false;
    // Arrow keys on a focused slider, radio button or list keep their own meaning.
    const tag = (press.target as { tagName?: unknown } | null)?.tagName;
    if (key.startsWith('Arrow') && (tag === 'INPUT' || tag === 'SELECT')) return false;
    if (key in MARK_KEYS) this.mark(MARK_KEYS[key]);
    else if (key === 'ArrowRight' || key === 'ArrowLeft')
      this.move(key === 'ArrowRight' ? 1 : -1, press.shiftKey === true);
    else if (key === 'ArrowUp' || key === 'ArrowDown') this.switchSide();
    else if (key === 'Delete' || key === 'Backspace') this.clear();
    else if (key === 'Escape') this.selection = null;
    else return false;
    return true;
  }
}
