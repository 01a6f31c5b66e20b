/**
 * Pre-tokenization: before any merge, text is cut into pieces that merges never cross. GPT-2's
 * split keeps English contractions, runs of letters, runs of digits and runs of other symbols
 * apart, each optionally led by one space, so " the" and " the," share the piece " the". A run of
 * spaces gives all but its last space to a piece of its own, so that last space can lead the word
 * after it.
 */

/** GPT-2's pattern, with Unicode property escapes standing for Python's `\p{L}` and `\p{N}`. */
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/**
 * Cuts `text` into GPT-2 pre-tokens, calling `visit` on each in order. The pieces concatenate
 * back to `text` exactly: the pattern covers every code point, and any stretch it skipped would
 * still be passed on as a piece of its own.
 */
export function forEachPretoken(text: string, visit: (piece: string) => void): void {
  const pattern = new RegExp(GPT2_SPLIT.source, GPT2_SPLIT.flags);
  let end = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match.index > end) visit(text.slice(end, match.index));
    visit(match[0]);
    end = match.index + match[0].length;
  }
  if (end < text.length) visit(text.slice(end));
}

/** The GPT-2 pre-tokens of `text`, in order. */
export function pretokenize(text: string): string[] {
  const pieces: string[] = [];
  forEachPretoken(text, (piece) => pieces.push(piece));
  return pieces;
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * Splits text around literal occurrences of special-token strings, which must reach the model
 * whole (as their own ids) and must never take part in merges. Longer specials are tried first so
 * that one special containing another wins.
 */
export class SpecialSplitter {
  private readonly pattern: RegExp | null;
  private readonly ids: ReadonlyMap<string, number>;

  /** `ids`: special-token string -> its id. */
  constructor(ids: ReadonlyMap<string, number>) {
    this.ids = ids;
    const alternatives = [...ids.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : null;
  }

  /** Calls `onText` for each stretch between specials (never empty) and `onSpecial` for each special. */
  split(text: string, onText: (text: string) => void, onSpecial: (id: number) => void): void {
    const pattern = this.pattern === null ? null : new RegExp(this.pattern.source, this.pattern.flags);
    let end = 0;
    for (let match = pattern?.exec(text); match; match = pattern?.exec(text)) {
      if (match.index > end) onText(text.slice(end, match.index));
      // Always defined: the pattern only matches keys of `ids`.
      const id = this.ids.get(match[0]);
      if (id !== undefined) onSpecial(id);
      end = match.index + match[0].length;
    }
    if (end < text.length) onText(text.slice(end));
  }
}
