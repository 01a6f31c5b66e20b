// The export as files TRL reads: strict preferences only in preferences.jsonl, ties in their own
// file, star ratings in TRL's unpaired (KTO) format; each comes back on import. Imports say which
// labels the same labeler already gave (skipped) and which contradict a stored one (both kept).
import { describe, expect, it } from 'vitest';
import { ImportError, type ImportProblem } from '../../src/engine/interchange/import-error';
import { parseLabelJsonl, toLabelFiles } from '../../src/engine/interchange/label-jsonl';
import type { PreferenceLabel } from '../../src/engine/interchange/preference-jsonl';
import { starsToLabel, toRatingJsonl, type RatingLabel } from '../../src/engine/interchange/rating-jsonl';
import { exportWorkspace, restoreWorkspace } from '../../src/storage/backup';
import { addComparison, addRating, listComparisons, listRatings } from '../../src/storage/labels';
import { exportLabelFiles, importLabelFiles } from '../../src/storage/preference-log';
import type { Stars } from '../../src/contract/labels';
import { cleanLabelerName, loadLabelerName, saveLabelerName } from '../../src/storage/settings';
import { comparison, scratchDB, snapshot } from './storage-fixtures';

const NOW = Date.parse('2025-03-01T10:00:00.000Z');
const opts = { now: NOW, defaultLabeler: 'imported' };
const T = Date.parse('2025-01-02T03:04:05.678Z');

const pref = (over: Partial<PreferenceLabel> = {}): PreferenceLabel => ({
  prompt: 'Once',
  a: ' upon',
  b: ' a time',
  choice: 'a',
  labeler: 'alice',
  time: T,
  modelA: null,
  modelB: null,
  decisionMs: null,
  ratings: {},
  ...over,
});

const rating = (stars: Stars, over: Partial<RatingLabel> = {}): RatingLabel => ({
  prompt: 'Once',
  response: ` ${stars} stars worth`,
  stars,
  labeler: 'alice',
  time: T,
  model: 'policy-3',
  ...over,
});

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

function problemsOf(text: string): readonly ImportProblem[] {
  try {
    parseLabelJsonl(text, opts);
  } catch (error) {
    if (error instanceof ImportError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('TRL files', () => {
  it('preferences.jsonl holds only strict preferences; ties go to preferences-ties.jsonl', () => {
    const files = toLabelFiles([pref(), pref({ choice: 'tie' }), pref({ choice: 'b', prompt: 'Two' })], []);
    expect(files.map((f) => f.name)).toEqual(['preferences.jsonl', 'preferences-ties.jsonl']);
    const strict = lines(files[0].text);
    expect(strict.map((l) => [l.prompt, l.chosen, l.rejected])).toEqual([
      ['Once', ' upon', ' a time'],
      ['Two', ' a time', ' upon'],
    ]);
    expect(strict.some((l) => 'tie' in l)).toBe(false);
    expect(lines(files[1].text)).toEqual([
      {
        prompt: 'Once',
        chosen: ' upon',
        rejected: ' a time',
        tie: true,
        choice: 'tie',
        labeler: 'alice',
        time: new Date(T).toISOString(),
      },
    ]);
  });

  it('ratings are written in the unpaired format: label true for 4-5, false for 1-2, none for 3', () => {
    const written = ([1, 2, 3, 4, 5] as const).map((s) => rating(s));
    const out = lines(toRatingJsonl(written));
    expect(out.map((l) => [l.stars, l.label])).toEqual([
      [1, false],
      [2, false],
      [3, undefined],
      [4, true],
      [5, true],
    ]);
    expect('label' in out[2]).toBe(false);
    expect(Object.keys(out[4]).slice(0, 3)).toEqual(['prompt', 'completion', 'label']);
    expect(out[4]).toEqual({
      prompt: 'Once',
      completion: ' 5 stars worth',
      label: true,
      stars: 5,
      labeler: 'alice',
      time: new Date(T).toISOString(),
      model: 'policy-3',
    });
    expect([1, 2, 3, 4, 5].map((s) => starsToLabel(s as Stars))).toEqual([false, false, null, true, true]);
  });

  it('every file parses back to what was written, with line numbers', () => {
    const marks = [
      { side: 'b', start: 3, end: 7, polarity: 1 },
      { side: 'a', start: 1, end: 5, polarity: -1 },
    ] as const;
    const preferences = [
      pref(),
      pref({ choice: 'tie', secondOpinion: true, marks: [marks[1]] }),
      pref({ choice: 'b', decisionMs: 3, marks: [...marks] }),
    ];
    const ratings = ([3, 1, 5] as const).map((s) => rating(s));
    const files = toLabelFiles(preferences, ratings);
    const back = files.map((f) => parseLabelJsonl(f.text, opts));
    expect(back[0].preferences.map((p) => p.value)).toEqual([preferences[0], preferences[2]]);
    expect(back[1].preferences).toEqual([{ line: 1, value: preferences[1] }]);
    expect(back[2].ratings.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(back[2].ratings.map((r) => r.value)).toEqual(ratings);
  });

  it('reads plain KTO lines from elsewhere: label true is 5 stars, false 1 star; null with 3 stars is fine', () => {
    const text = [
      JSON.stringify({ prompt: 'p', completion: ' good', label: true }),
      JSON.stringify({ prompt: 'p', completion: ' bad', label: false }),
      JSON.stringify({ prompt: 'p', completion: ' meh', label: null, stars: 3 }),
      JSON.stringify({ prompt: 'p', chosen: ' x', rejected: ' y' }),
    ].join('\n');
    const { preferences, ratings } = parseLabelJsonl(text, opts);
    expect(ratings.map((r) => [r.line, r.value.stars, r.value.labeler, r.value.time, r.value.model])).toEqual([
      [1, 5, 'imported', NOW, null],
      [2, 1, 'imported', NOW, null],
      [3, 3, 'imported', NOW, null],
    ]);
    expect(preferences.map((p) => p.line)).toEqual([4]);
  });

  it('rejects rating lines whose label and stars disagree or that carry neither', () => {
    const bad = [
      { prompt: 'p', completion: 'c', label: true, stars: 2 },
      { prompt: 'p', completion: 'c', label: false, stars: 3 },
      { prompt: 'p', completion: 'c', stars: 4 },
      { prompt: 'p', completion: 'c' },
      { prompt: 'p', completion: 'c', label: 'yes' },
      { prompt: 'p', completion: 'c', label: true, stars: 6 },
      { prompt: 'p', completion: 42, label: true },
    ];
    const disagree = (label: string, stars: string) => ({
      code: 'FIELDS_DISAGREE',
      params: { first: 'label', firstValue: label, second: 'stars', secondValue: stars },
    });
    expect(problemsOf(bad.map((l) => JSON.stringify(l)).join('\n'))).toEqual([
      { line: 1, message: disagree('true', '2') },
      { line: 2, message: disagree('false', '3') },
      { line: 3, message: disagree('nothing', '4') },
      { line: 4, message: { code: 'RATING_NEEDS_LABEL', params: {} } },
      {
        line: 5,
        message: { code: 'FIELD_TYPE', params: { field: 'label', expected: 'boolean', choices: [], got: '"yes"' } },
      },
      { line: 6, message: { code: 'FIELD_INTEGER', params: { field: 'stars', min: 1, max: 5, got: '6' } } },
      {
        line: 7,
        message: { code: 'FIELD_TYPE', params: { field: 'completion', expected: 'string', choices: [], got: '42' } },
      },
    ]);
  });
});

describe('TRL files through the database', () => {
  it('ties, second opinions, marked words and all five star values come back from an export', async () => {
    const source = await scratchDB();
    await addComparison(source, comparison({ createdAt: 1 }));
    await addComparison(source, comparison({ createdAt: 2, choice: 'tie', labeler: 'bob' }));
    await addComparison(
      source,
      comparison({
        createdAt: 3,
        choice: 'b',
        secondOpinion: true,
        marks: [{ side: 'b', start: 3, end: 6, polarity: 1 }],
      }),
    );
    for (const stars of [1, 2, 3, 4, 5] as const)
      await addRating(source, {
        prompt: 'p',
        response: `r${stars}`,
        stars,
        labeler: 'carol',
        createdAt: stars,
        model: null,
      });
    const files = await exportLabelFiles(source);
    const target = await scratchDB();
    expect(await importLabelFiles(target, files)).toMatchObject({ comparisons: 3, ratings: 5 });
    const strip = <R extends { id: number }>({ id: _id, ...rest }: R) => rest;
    const sorted = <R extends { createdAt: number }>(rs: R[]) => [...rs].sort((x, y) => x.createdAt - y.createdAt);
    expect(sorted(await listComparisons(target)).map(strip)).toEqual(sorted(await listComparisons(source)).map(strip));
    expect(sorted(await listRatings(target)).map(strip)).toEqual(sorted(await listRatings(source)).map(strip));
    expect((await listComparisons(target)).filter((c) => c.secondOpinion === true)).toHaveLength(1);
  });

  it('importing an export again skips every label and says which, by file and line', async () => {
    const db = await scratchDB();
    await addComparison(db, comparison({ createdAt: 1 }));
    await addComparison(db, comparison({ createdAt: 2, choice: 'tie', prompt: 'other' }));
    await addRating(db, { prompt: 'p', response: 'r', stars: 2, labeler: 'human', createdAt: 3, model: null });
    const files = await exportLabelFiles(db);
    const before = await snapshot(db);
    const report = await importLabelFiles(db, files);
    expect(report.comparisons).toBe(0);
    expect(report.ratings).toBe(0);
    expect(report.notices).toEqual([
      { code: 'DUPLICATE_LABEL', kind: 'comparison', file: 'preferences.jsonl', line: 1, labeler: 'human' },
      { code: 'DUPLICATE_LABEL', kind: 'comparison', file: 'preferences-ties.jsonl', line: 1, labeler: 'human' },
      { code: 'DUPLICATE_LABEL', kind: 'rating', file: 'ratings.jsonl', line: 1, labeler: 'human' },
    ]);
    expect(await snapshot(db)).toEqual(before);
  });

  it('an identical label carrying marks the stored one lacks gives them to it, on the right sides; marks already stored stay', async () => {
    const c = comparison();
    // Exported with marks from one workspace...
    const marked = await scratchDB();
    const marks = [
      { side: 'a' as const, start: 13, end: 16, polarity: 1 as const },
      { side: 'b' as const, start: 3, end: 6, polarity: -1 as const },
    ];
    await addComparison(marked, { ...c, marks });
    const files = await exportLabelFiles(marked);
    // ...into one that holds the same label without them, once as shown and once with the sides swapped.
    for (const stored of [c, { ...c, a: c.b, b: c.a, choice: 'b' as const }]) {
      const db = await scratchDB();
      await addComparison(db, stored);
      const report = await importLabelFiles(db, files);
      expect(report.comparisons).toBe(0);
      expect(report.notices).toEqual([
        {
          code: 'DUPLICATE_LABEL',
          kind: 'comparison',
          file: 'preferences.jsonl',
          line: 1,
          labeler: 'human',
          marksAdded: 2,
        },
      ]);
      const [after] = await listComparisons(db);
      expect(after.marks?.map((m) => `${m.polarity}${after[m.side].slice(m.start, m.end)}`).sort()).toEqual([
        '-1dog',
        '1cat',
      ]);
      // Imported again: the stored marks stay as they are and nothing else changes.
      const before = await snapshot(db);
      expect((await importLabelFiles(db, files)).notices[0]).not.toHaveProperty('marksAdded');
      expect(await snapshot(db)).toEqual(before);
    }
  });

  it('a different answer from the same labeler is reported and kept; another labeler or swapped sides are matched right', async () => {
    const db = await scratchDB();
    // Stored: human says A (" there was a cat.") beats B (" a dog ran away.").
    await addComparison(db, comparison());
    await addRating(db, { prompt: 'p', response: 'r', stars: 4, labeler: 'human', createdAt: 1, model: null });
    const c = comparison();
    const text = [
      // Same labeler, same pair, the other response chosen: a conflict.
      { prompt: c.prompt, chosen: c.b, rejected: c.a, labeler: 'human' },
      // Same answer with the sides swapped in the file: identical.
      { prompt: c.prompt, chosen: c.a, rejected: c.b, choice: 'b', labeler: 'human' },
      // Another labeler disagreeing: nothing to say.
      { prompt: c.prompt, chosen: c.b, rejected: c.a, labeler: 'alice' },
      { prompt: 'p', completion: 'r', label: false, stars: 1, labeler: 'human' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const report = await importLabelFiles(db, [{ name: 'mine.jsonl', text }]);
    expect(report).toEqual({
      comparisons: 2,
      ratings: 1,
      notices: [
        { code: 'CONFLICTING_COMPARISON', file: 'mine.jsonl', line: 1, labeler: 'human' },
        { code: 'DUPLICATE_LABEL', kind: 'comparison', file: 'mine.jsonl', line: 2, labeler: 'human' },
        { code: 'CONFLICTING_RATING', file: 'mine.jsonl', line: 4, labeler: 'human', stored: 4, imported: 1 },
      ],
    });
    expect((await listComparisons(db)).map((x) => [x.labeler, x.choice])).toEqual([
      ['alice', 'a'],
      ['human', 'a'],
      ['human', 'a'],
    ]);
    expect((await listRatings(db)).map((r) => r.stars).sort()).toEqual([1, 4]);
  });

  it('several files import together or not at all', async () => {
    const db = await scratchDB();
    const good = JSON.stringify({ prompt: 'p', chosen: 'a', rejected: 'b' });
    const before = await snapshot(db);
    await expect(
      importLabelFiles(db, [
        { name: 'good.jsonl', text: good },
        { name: 'bad.jsonl', text: `${good}\n{"prompt": "p", "completion": "c"}` },
      ]),
    ).rejects.toMatchObject({
      detail: {
        code: 'IMPORT_PROBLEMS',
        params: { file: 'bad.jsonl', problems: [{ line: 2, message: { code: 'RATING_NEEDS_LABEL' } }] },
      },
    });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('labeler name setting', () => {
  it('is "human" until set, trimmed, and refused when empty or too long', async () => {
    const db = await scratchDB();
    expect(await loadLabelerName(db)).toBe('human');
    await saveLabelerName(db, 'alice');
    expect(await loadLabelerName(db)).toBe('alice');
    expect(cleanLabelerName('  bob ')).toBe('bob');
    expect(cleanLabelerName('   ')).toBeNull();
    expect(cleanLabelerName('x'.repeat(201))).toBeNull();
    await db.put('settings', 42, 'labeler');
    expect(await loadLabelerName(db)).toBe('human');
  });

  it('travels in a backup, with the second-opinion mark on comparisons', async () => {
    const source = await scratchDB();
    await saveLabelerName(source, 'alice');
    await addComparison(source, comparison({ labeler: 'alice', createdAt: 1, secondOpinion: true }));
    await addComparison(source, comparison({ labeler: 'alice', createdAt: 2 }));
    const target = await scratchDB();
    await restoreWorkspace(target, await exportWorkspace(source));
    expect(await loadLabelerName(target)).toBe('alice');
    expect((await listComparisons(target, { order: 'oldest' })).map((c) => c.secondOpinion)).toEqual([true, undefined]);
  });
});
