/**
 * Marked words (fine-grained feedback, contract/labels.ts WordMark) read from a file a user brings
 * in: a backup's comparison records and the lines of a label file check them by the same rules.
 * A list of `{"side", "start", "end", "polarity"}`, where `side` names one of the two texts,
 * `start` and `end` are integers with 0 <= start < end <= that text's length (the characters
 * [start, end), counted in UTF-16 code units as JavaScript strings count them), `polarity` is 1
 * (the words helped) or -1 (they hurt), and no two marks on the same side share a character. Each
 * problem names its field, e.g. "marks[2].end", or the two marks that overlap.
 */
import type { WordMark } from '../../contract/labels';
import { FieldReader, isJsonObject, show } from './fields';

/** A mark whose side is named as the file names it: "a"/"b", or TRL's "chosen"/"rejected". */
export type SideMark<S extends string> = Omit<WordMark, 'side'> & { side: S };

/** Offsets of a side whose text is itself bad are checked for type alone. */
const UNKNOWN_LENGTH = Number.MAX_SAFE_INTEGER;

/** A mark that passed the field checks, and where it sits in the list. */
interface Placed<S extends string> {
  index: number;
  mark: SideMark<S>;
}

/**
 * The marks in list field `name`, each checked against the text of its side in `texts` (whose keys
 * are the side names, in the order a message lists them; undefined for a text that failed its own
 * check). Absent or null reads as no marks. Problems are recorded in `reader`; the marks returned
 * are those that passed, so they stand for the field only when the reader recorded none.
 */
export function readMarks<S extends string>(
  reader: FieldReader,
  name: string,
  texts: Readonly<Record<S, string | undefined>>,
): SideMark<S>[] {
  const raw = reader.raw(name);
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    reader.bad(name, 'list', raw);
    return [];
  }
  const sides = Object.keys(texts) as S[];
  const placed: Placed<S>[] = [];
  raw.forEach((value: unknown, index) => {
    const field = `${name}[${index}]`;
    if (!isJsonObject(value)) {
      reader.bad(field, 'object', value);
      return;
    }
    const mark = readMark(new FieldReader(value, `${reader.path(field)}.`, reader.problems), sides, texts);
    if (mark !== undefined) placed.push({ index, mark });
  });
  checkOverlaps(reader, name, sides, placed);
  return placed.map((p) => p.mark);
}

function readMark<S extends string>(
  m: FieldReader,
  sides: readonly S[],
  texts: Readonly<Record<S, string | undefined>>,
): SideMark<S> | undefined {
  const before = m.problems.length;
  const side = m.oneOf('side', sides);
  const length = side === undefined ? UNKNOWN_LENGTH : (texts[side]?.length ?? UNKNOWN_LENGTH);
  const start = m.integer('start', { min: 0, max: length - 1 });
  const end = m.integer('end', { min: (start ?? 0) + 1, max: length });
  const polarity = readPolarity(m);
  if (m.problems.length !== before) return undefined;
  return { side: side!, start: start!, end: end!, polarity: polarity! };
}

/** 1 or -1: a number that is neither is named with the two it may be. */
function readPolarity(m: FieldReader): 1 | -1 | undefined {
  const value = m.raw('polarity');
  if (value === 1 || value === -1) return value;
  const field = m.path('polarity');
  if (value === undefined) m.problem({ code: 'FIELD_MISSING', params: { field, expected: 'integer', choices: [] } });
  else m.problem({ code: 'FIELD_VALUE', params: { field, got: show(value), expected: '1 or -1' } });
  return undefined;
}

/**
 * Marks on one side that share characters: each mark that starts inside one starting no later is
 * named with it (the one reaching furthest), the earlier in the list first.
 */
function checkOverlaps<S extends string>(
  reader: FieldReader,
  name: string,
  sides: readonly S[],
  placed: readonly Placed<S>[],
): void {
  const found: [Placed<S>, Placed<S>][] = [];
  for (const side of sides) {
    const spans = placed
      .filter((p) => p.mark.side === side)
      .sort((x, y) => x.mark.start - y.mark.start || x.index - y.index);
    // The span reaching furthest so far: a later one that starts before its end overlaps it.
    let reach: Placed<S> | undefined;
    for (const span of spans) {
      if (reach !== undefined && span.mark.start < reach.mark.end)
        found.push(reach.index < span.index ? [reach, span] : [span, reach]);
      if (reach === undefined || span.mark.end > reach.mark.end) reach = span;
    }
  }
  found.sort(([x1, x2], [y1, y2]) => x2.index - y2.index || x1.index - y1.index);
  const value = (p: Placed<S>) => show({ start: p.mark.start, end: p.mark.end });
  for (const [first, second] of found) {
    reader.problem({
      code: 'FIELDS_DISAGREE',
      params: {
        first: reader.path(`${name}[${first.index}]`),
        firstValue: value(first),
        second: reader.path(`${name}[${second.index}]`),
        secondValue: value(second),
      },
    });
  }
}
