// The preference log as TRL JSONL: the line format, all-or-nothing parsing with every problem
// reported by line number, and export -> import through the database giving identical labels.
import { describe, expect, it } from 'vitest';
import { ImportError, type ImportProblem } from '../../src/engine/interchange/import-error';
import { importProblemText, messageText } from '../../src/ui/strings/messages';
import {
  parsePreferenceJsonl,
  toPreferenceJsonl,
  type PreferenceLabel,
} from '../../src/engine/interchange/preference-jsonl';
import { addComparison, addRating, listComparisons, listRatings } from '../../src/storage/labels';
import { exportLabelFiles, importLabelFiles } from '../../src/storage/preference-log';
import type { ComparisonRecord } from '../../src/storage/records';
import { comparison, scratchDB } from './storage-fixtures';

const NOW = Date.parse('2025-03-01T10:00:00.000Z');
const opts = { now: NOW, defaultLabeler: 'imported' };

const label = (over: Partial<PreferenceLabel> = {}): PreferenceLabel => ({
  prompt: 'Once',
  a: ' upon',
  b: ' a time',
  choice: 'a',
  labeler: 'human',
  time: Date.parse('2025-01-02T03:04:05.678Z'),
  modelA: 'policy-1',
  modelB: null,
  decisionMs: 850,
  ratings: {},
  ...over,
});

function problemsOf(text: string): readonly ImportProblem[] {
  try {
    parsePreferenceJsonl(text, opts);
  } catch (error) {
    if (error instanceof ImportError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('TRL JSONL lines', () => {
  it('writes prompt, chosen, rejected first, then the extra fields', () => {
    const text = toPreferenceJsonl([
      label({ choice: 'b', ratings: { a: 2, b: 5 } }),
      label({ choice: 'tie', decisionMs: null }),
    ]);
    const [flipped, tie, end] = text.split('\n');
    expect(end).toBe('');
    expect(JSON.parse(flipped)).toEqual({
      prompt: 'Once',
      chosen: ' a time',
      rejected: ' upon',
      choice: 'b',
      labeler: 'human',
      time: '2025-01-02T03:04:05.678Z',
      model_rejected: 'policy-1',
      decision_ms: 850,
      ratings: { chosen: 5, rejected: 2 },
    });
    expect(Object.keys(JSON.parse(flipped)).slice(0, 3)).toEqual(['prompt', 'chosen', 'rejected']);
    expect(JSON.parse(tie)).toMatchObject({ chosen: ' upon', rejected: ' a time', tie: true, choice: 'tie' });
  });

  it('parses back exactly what it wrote, including awkward text', () => {
    const labels = [
      label(),
      label({ choice: 'b', ratings: { b: 1 }, modelB: 'm2' }),
      label({
        choice: 'tie',
        prompt: 'emoji 🐱 "quotes" \\ back\nslash',
        a: '\u2028line sep',
        b: 'lone \ud800 surrogate',
      }),
    ];
    expect(parsePreferenceJsonl(toPreferenceJsonl(labels), opts)).toEqual(labels);
  });

  it('writes marked words as chosen/rejected sides and reads them back as A/B, for A, B and a tie', () => {
    // A is " upon", B is " a time": "upon" helped A, "time" hurt B.
    const marks = [
      { side: 'a', start: 1, end: 5, polarity: 1 },
      { side: 'b', start: 3, end: 7, polarity: -1 },
    ] as const;
    const labels = (['a', 'b', 'tie'] as const).map((choice) => label({ choice, marks: marks.map((m) => ({ ...m })) }));
    const text = toPreferenceJsonl(labels);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { chosen: string; rejected: string; marks: unknown });
    const upon = { start: 1, end: 5, polarity: 1 };
    const time = { start: 3, end: 7, polarity: -1 };
    expect(lines.map((l) => l.marks)).toEqual([
      [
        { side: 'chosen', ...upon },
        { side: 'rejected', ...time },
      ],
      [
        { side: 'rejected', ...upon },
        { side: 'chosen', ...time },
      ],
      [
        { side: 'chosen', ...upon },
        { side: 'rejected', ...time },
      ],
    ]);
    // Each mark's offsets read its own side's text in the file.
    for (const l of lines) {
      const marked = (l.marks as { side: 'chosen' | 'rejected'; start: number; end: number }[]).map((m) =>
        l[m.side].slice(m.start, m.end),
      );
      expect(marked).toEqual(['upon', 'time']);
    }
    expect(Object.keys((lines[0].marks as object[])[0])).toEqual(['side', 'start', 'end', 'polarity']);
    expect(parsePreferenceJsonl(text, opts)).toEqual(labels);
    // No marks, or an empty list, writes no field; an empty or null list reads as none.
    expect(JSON.parse(toPreferenceJsonl([label(), label({ marks: [] })]).split('\n')[1])).not.toHaveProperty('marks');
    const plain = { prompt: 'p', chosen: 'x', rejected: 'y' };
    const parsed = parsePreferenceJsonl(
      [{ ...plain, marks: [] }, { ...plain, marks: null }, plain].map((l) => JSON.stringify(l)).join('\n'),
      opts,
    );
    expect(parsed.every((l) => !('marks' in l))).toBe(true);
  });

  it('reports a bad mark with its line and field, checking offsets against the chosen and rejected texts', () => {
    const line = (marks: unknown) => JSON.stringify({ prompt: 'p', chosen: 'good one', rejected: 'bad', marks });
    const problems = problemsOf(
      [
        line([{ side: 'chosen', start: 0, end: 4, polarity: 1 }]),
        line([{ side: 'rejected', start: 0, end: 4, polarity: -1 }]),
        line([{ side: 'a', start: 0, end: 1, polarity: 1 }]),
        line([{ side: 'chosen', start: 0, end: 1, polarity: 0 }]),
        line([
          { side: 'chosen', start: 0, end: 4, polarity: 1 },
          { side: 'chosen', start: 2, end: 8, polarity: 1 },
        ]),
        line('good'),
        line([{ side: 'chosen', start: -1, end: 1.5 }]),
      ].join('\n'),
    );
    expect(problems).toEqual([
      { line: 2, message: { code: 'FIELD_INTEGER', params: { field: 'marks[0].end', min: 1, max: 3, got: '4' } } },
      {
        line: 3,
        message: {
          code: 'FIELD_TYPE',
          params: { field: 'marks[0].side', expected: 'choice', choices: ['chosen', 'rejected'], got: '"a"' },
        },
      },
      {
        line: 4,
        message: { code: 'FIELD_VALUE', params: { field: 'marks[0].polarity', got: '0', expected: '1 or -1' } },
      },
      {
        line: 5,
        message: {
          code: 'FIELDS_DISAGREE',
          params: {
            first: 'marks[0]',
            firstValue: '{"start":0,"end":4}',
            second: 'marks[1]',
            secondValue: '{"start":2,"end":8}',
          },
        },
      },
      {
        line: 6,
        message: {
          code: 'FIELD_TYPE',
          params: {
            field: 'marks',
            expected: 'list',
            choices: [],
            got: '"good"',
          },
        },
      },
      { line: 7, message: { code: 'FIELD_INTEGER', params: { field: 'marks[0].start', min: 0, max: 7, got: '-1' } } },
      { line: 7, message: { code: 'FIELD_INTEGER', params: { field: 'marks[0].end', min: 1, max: 8, got: '1.5' } } },
      {
        line: 7,
        message: { code: 'FIELD_MISSING', params: { field: 'marks[0].polarity', expected: 'integer', choices: [] } },
      },
    ]);
    expect(importProblemText(problems[0])).toBe('line 2: field "marks[0].end" must be an integer from 1 to 3, got 4');
    expect(importProblemText(problems[2])).toBe('line 4: field "marks[0].polarity" is 0, expected 1 or -1');
    expect(importProblemText(problems[3])).toBe(
      'line 5: fields "marks[0]" ({"start":0,"end":4}) and "marks[1]" ({"start":2,"end":8}) disagree',
    );
  });

  it('reads plain TRL lines from elsewhere with defaults; blank lines and CRLF are fine', () => {
    const text =
      '\uFEFF{"prompt":"p","chosen":"good","rejected":"bad","score_chosen":9}\r\n\r\n{"prompt":"q","chosen":"x","rejected":"y","tie":true}\n';
    expect(parsePreferenceJsonl(text, opts)).toEqual([
      {
        prompt: 'p',
        a: 'good',
        b: 'bad',
        choice: 'a',
        labeler: 'imported',
        time: NOW,
        modelA: null,
        modelB: null,
        decisionMs: null,
        ratings: {},
      },
      {
        prompt: 'q',
        a: 'x',
        b: 'y',
        choice: 'tie',
        labeler: 'imported',
        time: NOW,
        modelA: null,
        modelB: null,
        decisionMs: null,
        ratings: {},
      },
    ]);
  });

  it('reports every bad line with its number, and returns nothing', () => {
    const good = JSON.stringify({ prompt: 'p', chosen: 'a', rejected: 'b' });
    const lines = Array.from({ length: 14 }, () => good);
    lines[11] = JSON.stringify({ prompt: 'p', chosen: 42, rejected: 'b' });
    lines[3] = '{"prompt": "p", "chosen": "a"';
    lines[6] = JSON.stringify({
      prompt: 'p',
      chosen: [{ role: 'user', content: 'hi' }],
      rejected: 'b',
      ratings: { chosen: 7 },
    });
    lines[8] = JSON.stringify({ prompt: 'p', chosen: 'a', rejected: 'b', ended_chosen: 'yes' });
    const problems = problemsOf(lines.join('\n'));
    expect(problems[0]).toMatchObject({ line: 4, message: { code: 'LINE_NOT_JSON' } });
    expect(problems.slice(1)).toEqual([
      { line: 7, message: { code: 'FIELD_CONVERSATIONAL', params: { field: 'chosen' } } },
      { line: 7, message: { code: 'FIELD_INTEGER', params: { field: 'ratings.chosen', min: 1, max: 5, got: '7' } } },
      {
        line: 9,
        message: {
          code: 'FIELD_TYPE',
          params: { field: 'ended_chosen', expected: 'boolean', choices: [], got: '"yes"' },
        },
      },
      {
        line: 12,
        message: { code: 'FIELD_TYPE', params: { field: 'chosen', expected: 'string', choices: [], got: '42' } },
      },
    ]);
    expect(importProblemText(problems[2])).toBe('line 7: field "ratings.chosen" must be an integer from 1 to 5, got 7');
  });

  it('the error message says nothing was imported and lists the problems', () => {
    const error = (() => {
      try {
        parsePreferenceJsonl('{"prompt":"p","chosen":"a"}', { ...opts, source: 'prefs.jsonl' });
      } catch (e) {
        return e as ImportError;
      }
    })();
    expect(error?.code).toBe('BAD_ARGUMENT');
    expect(error?.detail).toEqual({
      code: 'IMPORT_PROBLEMS',
      params: {
        file: 'prefs.jsonl',
        problems: [
          {
            line: 1,
            message: { code: 'FIELD_MISSING', params: { field: 'rejected', expected: 'string', choices: [] } },
          },
        ],
      },
    });
    expect(messageText(error!.detail)).toBe(
      'prefs.jsonl: 1 problem, nothing was imported:\n  line 1: field "rejected" is missing (expected a string)',
    );
  });

  it('caps strings, lines and problems', () => {
    const long = 'x'.repeat(100_001);
    expect(problemsOf(JSON.stringify({ prompt: long, chosen: 'a', rejected: 'b' }))).toEqual([
      { line: 1, message: { code: 'FIELD_TOO_LONG', params: { field: 'prompt', length: 100_001, limit: 100_000 } } },
    ]);
    const line = `{"prompt":"${'y'.repeat(400_001)}"}`;
    expect(problemsOf(line)).toEqual([
      { line: 1, message: { code: 'LINE_TOO_LONG', params: { length: line.length, limit: 400_000 } } },
    ]);
    const many = problemsOf(Array.from({ length: 2000 }, () => '[]').join('\n'));
    expect(many).toHaveLength(1001);
    expect(many[0]).toEqual({ line: 1, message: { code: 'NOT_AN_OBJECT', params: { what: 'line', got: '[]' } } });
    expect(many.at(-1)).toEqual({ message: { code: 'TOO_MANY_PROBLEMS', params: { limit: 1000 } } });
    expect(problemsOf('\n\n')).toEqual([{ message: { code: 'NO_LABEL_LINES', params: {} } }]);
  });
});

describe('preference log through the database', () => {
  it('export then import gives identical labels (skips are not preferences; ties and ratings in their own files)', async () => {
    const source = await scratchDB();
    const written: Omit<ComparisonRecord, 'id'>[] = [
      comparison({ createdAt: 1 }),
      comparison({ createdAt: 2, choice: 'b', a: 'ünïcödé ✓', modelA: null, aEnded: true, bEnded: false }),
      comparison({ createdAt: 3, choice: 'tie', labeler: 'sim:animals', decisionMs: null }),
      comparison({ createdAt: 4, choice: 'skip' }),
      comparison({ createdAt: 5, prompt: 'another', decisionMs: 12.5 }),
      // Marked words travel both ways, on B's side of a label where B was chosen and on a tie.
      comparison({
        createdAt: 6,
        choice: 'b',
        marks: [
          { side: 'b', start: 3, end: 6, polarity: 1 },
          { side: 'a', start: 1, end: 6, polarity: -1 },
        ],
      }),
      comparison({ createdAt: 7, choice: 'tie', marks: [{ side: 'b', start: 7, end: 10, polarity: -1 }] }),
    ];
    for (const c of written) await addComparison(source, c);
    await addRating(source, {
      prompt: written[1].prompt,
      response: written[1].b,
      stars: 5,
      labeler: 'human',
      createdAt: 2,
      model: 'policy-2',
      ended: false,
    });
    const files = await exportLabelFiles(source);
    expect(files.map((f) => [f.name, f.text.trim().split('\n').length])).toEqual([
      ['preferences.jsonl', 4],
      ['preferences-ties.jsonl', 2],
      ['ratings.jsonl', 1],
    ]);

    const target = await scratchDB();
    expect(await importLabelFiles(target, files)).toEqual({ comparisons: 6, ratings: 1, notices: [] });
    const strip = ({ id: _id, ...rest }: { id: number }) => rest;
    const byTime = <R extends { createdAt: number }>(rs: R[]) => [...rs].sort((x, y) => x.createdAt - y.createdAt);
    expect(byTime(await listComparisons(target)).map(strip)).toEqual(written.filter((c) => c.choice !== 'skip'));
    expect((await listRatings(target)).map(strip)).toEqual([
      {
        prompt: written[1].prompt,
        response: written[1].b,
        stars: 5,
        labeler: 'human',
        createdAt: 2,
        model: 'policy-2',
        ended: false,
      },
    ]);
    expect(await exportLabelFiles(target)).toEqual(files);
    // Whether each response ended travels as ended_chosen / ended_rejected (B was chosen here),
    // and as "ended" on a rating line; absent where it is not known.
    const lines = files[0].text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect([lines[1].ended_chosen, lines[1].ended_rejected]).toEqual([false, true]);
    expect(lines[0]).not.toHaveProperty('ended_chosen');
    expect(lines[0]).not.toHaveProperty('marks');
    expect(lines[3].marks).toEqual([
      { side: 'chosen', start: 3, end: 6, polarity: 1 },
      { side: 'rejected', start: 1, end: 6, polarity: -1 },
    ]);
    expect(JSON.parse(files[2].text)).toMatchObject({ completion: written[1].b, ended: false });
  });
});
