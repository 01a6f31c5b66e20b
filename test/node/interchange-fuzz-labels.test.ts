// Malformed preference and rating files and workspace backups: each is rejected with a message that says
// what is wrong and where, and the database (dumped before and after) is unchanged.
import { beforeAll, describe, it } from 'vitest';
import { decodeWorkspace, encodeWorkspace, WORKSPACE_FORMAT } from '../../src/engine/interchange/workspace';
import { exportWorkspace, restoreWorkspace } from '../../src/storage/backup';
import { DB_VERSION, type PlaygroundDB } from '../../src/storage/db';
import { importLabelFiles } from '../../src/storage/preference-log';
import { expectRejectedUnchanged, rawSafetensors, seedWorkspace, suiteDB, tinyCheckpoint } from './storage-fixtures';

type Case = [name: string, input: string, pattern: RegExp];

const GOOD = {
  prompt: 'Once upon a time',
  chosen: ' a cat sat.',
  rejected: ' a dog ran.',
  labeler: 'human',
  time: '2025-01-01T00:00:00.000Z',
};
const goodLine = JSON.stringify(GOOD);

/** Five lines, the third replaced by `bad`. */
const withLine3 = (bad: string): string => [goodLine, goodLine, bad, goodLine, goodLine].join('\n');
const edited = (over: Record<string, unknown>): string => JSON.stringify({ ...GOOD, ...over });
const without = (field: string): string =>
  JSON.stringify(Object.fromEntries(Object.entries(GOOD).filter(([k]) => k !== field)));

function fieldCases(): Case[] {
  const cases: Case[] = [];
  const bad: Record<string, unknown[]> = {
    prompt: [42, null, true, {}, []],
    chosen: [42, null, false, { text: 'x' }, [{ role: 'assistant', content: 'x' }]],
    rejected: [0, null, true, {}, ['x']],
    labeler: [42, '', 'x'.repeat(201), {}],
    time: ['yesterday', '', 42, '2025-13-45'],
    model_chosen: [42, {}, 'm'.repeat(201)],
    model_rejected: [7],
    decision_ms: [-1, 'fast', 1e12],
    tie: ['yes', 1],
    choice: ['skip', 'c', 1, 'A'],
    ratings: [5, [], { chosen: 0 }, { chosen: 6 }, { rejected: 2.5 }, { chosen: '5' }],
    marks: [
      'cat',
      { side: 'chosen', start: 3, end: 6, polarity: 1 },
      [7],
      [{ side: 'a', start: 3, end: 6, polarity: 1 }],
      [{ side: 'chosen', start: 3, end: 12, polarity: 1 }],
      [{ side: 'rejected', start: 11, end: 11, polarity: -1 }],
      [{ side: 'rejected', start: 6, end: 3, polarity: -1 }],
      [{ side: 'chosen', start: '3', end: 6, polarity: 1 }],
      [{ side: 'chosen', start: 3, end: 6, polarity: 0 }],
      [{ side: 'chosen', start: 3, end: 6, polarity: '1' }],
      [{ side: 'chosen', start: 3, end: 6 }],
    ],
  };
  for (const [field, values] of Object.entries(bad)) {
    for (const value of values)
      cases.push([
        `${field} = ${JSON.stringify(value).slice(0, 30)}`,
        withLine3(edited({ [field]: value })),
        new RegExp(`^[^]*line 3: field "${field}`),
      ]);
  }
  for (const field of ['prompt', 'chosen', 'rejected'])
    cases.push([`missing ${field}`, withLine3(without(field)), new RegExp(`line 3: field "${field}" is missing`)]);
  cases.push([
    'tie true, choice a',
    withLine3(edited({ tie: true, choice: 'a' })),
    /line 3: fields "tie" \(true\) and "choice" \("a"\) disagree/,
  ]);
  cases.push([
    'choice tie without tie',
    withLine3(edited({ choice: 'tie' })),
    /line 3: fields "tie" \(nothing\) and "choice" \("tie"\) disagree/,
  ]);
  cases.push([
    'marks overlapping',
    withLine3(
      edited({
        marks: [
          { side: 'chosen', start: 3, end: 6, polarity: 1 },
          { side: 'rejected', start: 3, end: 6, polarity: 1 },
          { side: 'chosen', start: 5, end: 10, polarity: -1 },
        ],
      }),
    ),
    /line 3: fields "marks\[0\]" \(\{"start":3,"end":6\}\) and "marks\[2\]" \(\{"start":5,"end":10\}\) disagree/,
  ]);
  cases.push([
    'tie false, choice tie',
    withLine3(edited({ tie: false, choice: 'tie' })),
    /line 3: fields "tie" \(false\) and "choice" \("tie"\) disagree/,
  ]);
  return cases;
}

function shapeCases(): Case[] {
  const huge = 'h'.repeat(100_001);
  const cases: Case[] = [
    [
      'huge prompt',
      withLine3(edited({ prompt: huge })),
      /line 3: field "prompt" is 100001 characters long; the limit is 100000/,
    ],
    ['huge chosen', withLine3(edited({ chosen: huge })), /line 3: field "chosen" is 100001 characters long/],
    [
      'huge line',
      withLine3(edited({ note: 'n'.repeat(400_000) })),
      /line 3: the line is \d+ characters long; the limit is 400000/,
    ],
    ['empty file', '', /holds no preference lines/],
    ['only blank lines', '\n \n\t\n', /holds no preference lines/],
    ['too many lines', '\n'.repeat(1_000_001), /the file has 1000002 lines; the limit is 1000000/],
    [
      '2000 bad lines',
      Array.from({ length: 2000 }, () => '42').join('\n'),
      /line 20: must be a JSON object[^]*and 981 more/,
    ],
  ];
  for (const value of ['[]', '"a string"', '42', 'null', 'true'])
    cases.push([
      `line is ${value}`,
      withLine3(value),
      /line 3: must be a JSON object \{"prompt", "chosen", "rejected"\}/,
    ]);
  const broken = [
    '{prompt:"p"}',
    "{'prompt':'p'}",
    '{"prompt":"p",}',
    '{"prompt":"p"',
    '"unterminated',
    `${goodLine}}`,
  ];
  for (const text of broken) cases.push([`bad JSON ${text.slice(0, 20)}`, withLine3(text), /line 3: not valid JSON/]);
  // A download cut short: the last line ends anywhere before its closing brace.
  const full = withLine3(goodLine);
  const lastStart = full.lastIndexOf('\n') + 1;
  for (let k = 1; k <= 15; k++) {
    const cut = lastStart + Math.floor((k * (full.length - lastStart)) / 16);
    cases.push([`truncated at ${cut}`, full.slice(0, cut), /line 5: not valid JSON/]);
  }
  return cases;
}

/** Rating lines (TRL's unpaired format) with one bad field, among good ones. */
function ratingCases(): Case[] {
  const good = { prompt: 'Once', completion: ' a cat sat.', label: true, stars: 5, labeler: 'human' };
  const line3 = (over: Record<string, unknown>) =>
    withLine3(JSON.stringify({ ...good, ...over })).replaceAll(goodLine, JSON.stringify(good));
  const cases: Case[] = [];
  const bad: Record<string, unknown[]> = {
    completion: [42, false, [{ role: 'assistant', content: 'x' }], 'c'.repeat(100_001)],
    prompt: [null, 7],
    label: ['yes', 1, {}],
    stars: [0, 6, 2.5, '5'],
    labeler: [42, ''],
    time: ['yesterday'],
    model: [42, 'm'.repeat(201)],
  };
  for (const [field, values] of Object.entries(bad)) {
    for (const value of values)
      cases.push([
        `rating ${field} = ${JSON.stringify(value).slice(0, 30)}`,
        line3({ [field]: value }),
        new RegExp(`^[^]*line 3: field "${field}`),
      ]);
  }
  const disagree: [Record<string, unknown>, RegExp][] = [
    [{ label: false, stars: 5 }, /line 3: fields "label" \(false\) and "stars" \(5\) disagree/],
    [{ label: true, stars: 3 }, /line 3: fields "label" \(true\) and "stars" \(3\) disagree/],
    [{ label: undefined, stars: 1 }, /line 3: fields "label" \(nothing\) and "stars" \(1\) disagree/],
    [{ label: null, stars: null }, /line 3: a line with "completion" needs "label"/],
  ];
  for (const [over, pattern] of disagree) cases.push([`rating ${JSON.stringify(over)}`, line3(over), pattern]);
  return cases;
}

type BackupCase = [name: string, make: (backup: Uint8Array) => Uint8Array, pattern: RegExp];

/** A backup with its manifest changed by `edit` (a deep copy is edited). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases write fields of any type, malformed on purpose
function manifestEdit(edit: (m: Record<string, any>) => void): (backup: Uint8Array) => Uint8Array {
  return (backup) => {
    const { manifest, blobs } = decodeWorkspace(backup);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases write fields of any type, malformed on purpose
    const copy = structuredClone(manifest) as Record<string, any>;
    edit(copy);
    return encodeWorkspace(copy, blobs);
  };
}

/** A container holding `manifest` text with the given metadata fields. */
const container = (metadata: Record<string, string>) => () => rawSafetensors([], metadata);

function backupCases(): BackupCase[] {
  const manifest = JSON.stringify({ app: 'rlhf-playground', schemaVersion: 2, stores: {} });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases write fields of any type, malformed on purpose
  const recordCases: [string, (m: Record<string, any>) => void, RegExp][] = [
    ['app', (m) => (m.app = 'other'), /"app" is "other"/],
    [
      'a newer schemaVersion',
      (m) => (m.schemaVersion = DB_VERSION + 1),
      new RegExp(`schemaVersion ${DB_VERSION + 1} cannot be restored`),
    ],
    ['schemaVersion 1', (m) => (m.schemaVersion = 1), /schemaVersion 1 cannot be restored/],
    ['schemaVersion "2"', (m) => (m.schemaVersion = '2'), /schemaVersion "2" cannot be restored/],
    ['no schemaVersion', (m) => delete m.schemaVersion, /schemaVersion nothing/],
    ['stores a list', (m) => (m.stores = []), /"stores" must be an object/],
    ['stores a string', (m) => (m.stores = 'x'), /"stores" must be an object/],
    ['comparisons not a list', (m) => (m.stores.comparisons = {}), /field "stores.comparisons" must be a list/],
    ['comparison a string', (m) => (m.stores.comparisons[0] = 'x'), /stores.comparisons\[0\]: must be an object/],
    [
      'comparison id 0',
      (m) => (m.stores.comparisons[0].id = 0),
      /stores.comparisons\[0\]: field "id" must be an integer/,
    ],
    ['comparison id "x"', (m) => (m.stores.comparisons[1].id = 'x'), /stores.comparisons\[1\]: field "id"/],
    ['comparison prompt 42', (m) => (m.stores.comparisons[0].prompt = 42), /field "prompt" must be a string, got 42/],
    [
      'comparison choice',
      (m) => (m.stores.comparisons[0].choice = 'maybe'),
      /field "choice" must be one of "a", "b", "tie", "skip"/,
    ],
    [
      'comparison labeler null',
      (m) => (m.stores.comparisons[0].labeler = null),
      /field "labeler" must be a string, got null/,
    ],
    [
      'comparison createdAt -1',
      (m) => (m.stores.comparisons[0].createdAt = -1),
      /field "createdAt" must be a number of at least 0, got -1/,
    ],
    ['comparison modelA 5', (m) => (m.stores.comparisons[0].modelA = 5), /field "modelA" must be a string/],
    [
      'comparison decisionMs -3',
      (m) => (m.stores.comparisons[0].decisionMs = -3),
      /field "decisionMs" must be a number of at least 0, got -3/,
    ],
    ['comparison without a', (m) => delete m.stores.comparisons[0].a, /field "a" is missing/],
    [
      'comparison marks not a list',
      (m) => (m.stores.comparisons[0].marks = { side: 'a', start: 1, end: 6, polarity: 1 }),
      /stores.comparisons\[0\]: field "marks" must be a list/,
    ],
    [
      'comparison mark past the end of its text',
      (m) => (m.stores.comparisons[0].marks = [{ side: 'b', start: 3, end: 99, polarity: -1 }]),
      /stores.comparisons\[0\]: field "marks\[0\].end" must be an integer from 4 to 16, got 99/,
    ],
    [
      'comparison marks overlapping',
      (m) =>
        (m.stores.comparisons[0].marks = [
          { side: 'a', start: 1, end: 6, polarity: 1 },
          { side: 'a', start: 5, end: 9, polarity: -1 },
        ]),
      /stores.comparisons\[0\]: fields "marks\[0\]" .* and "marks\[1\]" .* disagree/,
    ],
    [
      'comparison mark polarity 0',
      (m) => (m.stores.comparisons[1].marks = [{ side: 'a', start: 1, end: 6, polarity: 0 }]),
      /stores.comparisons\[1\]: field "marks\[0\].polarity" is 0, expected 1 or -1/,
    ],
    [
      'comparison mark side "c"',
      (m) => (m.stores.comparisons[0].marks = [{ side: 'c', start: 1, end: 6, polarity: 1 }]),
      /stores.comparisons\[0\]: field "marks\[0\].side" must be one of "a", "b", got "c"/,
    ],
    [
      'duplicate comparison ids',
      (m) => (m.stores.comparisons[1].id = m.stores.comparisons[0].id),
      /stores.comparisons: key 1 appears twice/,
    ],
    [
      'duplicate prompt text',
      (m) => (m.stores.prompts[1].text = m.stores.prompts[0].text),
      /stores.prompts \(text\): key .* appears twice/,
    ],
    [
      'rating stars 6',
      (m) => (m.stores.ratings[0].stars = 6),
      /stores.ratings\[0\]: field "stars" must be an integer from 1 to 5/,
    ],
    [
      'vote choice "maybe"',
      (m) => (m.stores.votes[0].choice = 'maybe'),
      /stores.votes\[0\]: field "choice" must be one of "first", "second", "tie"/,
    ],
    ['vote firstFrom 1', (m) => (m.stores.votes[0].firstFrom = 1), /stores.votes\[0\]: field "firstFrom"/],
    [
      'demonstration without response',
      (m) => delete m.stores.demonstrations[0].response,
      /stores.demonstrations\[0\]: field "response" is missing/,
    ],
    [
      'generation settings "x"',
      (m) => (m.stores.generations[0].settings = 'x'),
      /field "settings" must be an object or null/,
    ],
    [
      'prompt split "test"',
      (m) => (m.stores.prompts[0].split = 'test'),
      /field "split" must be one of "train", "evaluation"/,
    ],
    ['run points not a list', (m) => (m.stores.runs[0].points = 3), /stores.runs\[0\]: field "points" must be a list/],
    [
      'run point value "x"',
      (m) => (m.stores.runs[0].points[0].values.reward = 'x'),
      /field "points\[0\].values.reward" must be a number or null/,
    ],
    [
      'checkpoint metrics',
      (m) => (m.stores.checkpoints[1].metrics = [1]),
      /field "metrics" must be an object of numbers/,
    ],
    ['checkpoint named "yes"', (m) => (m.stores.checkpoints[0].named = 'yes'), /field "named" must be true or false/],
    [
      'checkpoint kind',
      (m) => (m.stores.checkpoints[0].kind = 'critic'),
      /field "kind" must be one of "policy", "reward", "value"/,
    ],
    [
      'setting key',
      (m) => (m.stores.settings[0].key = 'theme'),
      /stores.settings\[0\]: field "key" must be one of "generation", "prompt"/,
    ],
    [
      'pointer to a missing checkpoint',
      (m) => (m.stores.checkpointPointers[0].checkpointId = 99),
      /points to checkpoint 99, which is not a/,
    ],
    [
      'pointer kind mismatch',
      (m) => (m.stores.checkpointPointers[0].kind = 'value'),
      /the current value model points to checkpoint \d+, which is not a value model checkpoint/,
    ],
    [
      'blob not in the file',
      (m) => (m.stores.checkpoints[0].blob = 'checkpoint-77'),
      /names attachment "checkpoint-77", which the file does not contain/,
    ],
  ];
  return [
    ['empty file', () => new Uint8Array(0), /truncated: expected at least 8 bytes/],
    [
      'random bytes',
      () => Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff),
      /header length .* is absurd|truncated/,
    ],
    ['a JSONL file', () => new TextEncoder().encode(`${goodLine}\n`), /absurd|truncated/],
    ['a model checkpoint', () => tinyCheckpoint(4), /not an RLHF Playground workspace backup/],
    [
      'format version 2',
      container({ format: WORKSPACE_FORMAT, format_version: '2', manifest }),
      /backup format version "2" is not supported/,
    ],
    [
      'no manifest',
      container({ format: WORKSPACE_FORMAT, format_version: '1' }),
      /"manifest" metadata field is missing/,
    ],
    [
      'manifest not JSON',
      container({ format: WORKSPACE_FORMAT, format_version: '1', manifest: '{"app":' }),
      /manifest is not valid JSON/,
    ],
    [
      'manifest a list',
      container({ format: WORKSPACE_FORMAT, format_version: '1', manifest: '[]' }),
      /manifest must be a JSON object/,
    ],
    ...recordCases.map(([name, edit, pattern]): BackupCase => [name, manifestEdit(edit), pattern]),
    [
      'corrupt checkpoint bytes',
      (b) => {
        const { manifest, blobs } = decodeWorkspace(b);
        blobs.set('checkpoint-1', new Uint8Array([1, 2, 3]));
        return encodeWorkspace(manifest, blobs);
      },
      /checkpoint 1: truncated/,
    ],
    [
      'a tensor that is not an attachment',
      (b) => {
        const { manifest } = decodeWorkspace(b);
        return rawSafetensors([['weights', { dtype: 'U8', shape: [1], data: new Uint8Array(1) }]], {
          format: WORKSPACE_FORMAT,
          format_version: '1',
          manifest: JSON.stringify(manifest),
        });
      },
      /unexpected tensor "weights"/,
    ],
    [
      'an attachment of F32',
      (b) => {
        const { manifest } = decodeWorkspace(b);
        return rawSafetensors([['blob.checkpoint-1', { dtype: 'F32', shape: [1], data: new Uint8Array(4) }]], {
          format: WORKSPACE_FORMAT,
          format_version: '1',
          manifest: JSON.stringify(manifest),
        });
      },
      /must be a U8 tensor of rank 1, got F32/,
    ],
  ];
}

describe('malformed preference logs are rejected and change nothing', () => {
  let db: PlaygroundDB;
  beforeAll(async () => {
    db = await suiteDB('fuzz-labels');
    await seedWorkspace(db);
  });
  const cases = [...fieldCases(), ...shapeCases(), ...ratingCases()];
  it('has enough cases', () => {
    if (cases.length < 80) throw new Error(`only ${cases.length} JSONL cases`);
  });
  it.each(cases)('%s', async (_name, text, pattern) => {
    await expectRejectedUnchanged(db, () => importLabelFiles(db, [{ name: 'prefs.jsonl', text }]), pattern);
  });
  it.each(cases.slice(0, 20))('%s, after a good file in the same import', async (_name, text, pattern) => {
    const files = [
      { name: 'good.jsonl', text: goodLine },
      { name: 'prefs.jsonl', text },
    ];
    await expectRejectedUnchanged(db, () => importLabelFiles(db, files), pattern);
  });
});

describe('malformed workspace backups are rejected and change nothing', () => {
  let db: PlaygroundDB;
  let backup: Uint8Array;
  beforeAll(async () => {
    const other = await suiteDB('fuzz-backup-source');
    await seedWorkspace(other, 5);
    backup = await exportWorkspace(other);
    db = await suiteDB('fuzz-backup-target');
    await seedWorkspace(db, 1);
  });
  it.each(backupCases())('%s', async (_name, make, pattern) => {
    await expectRejectedUnchanged(db, () => restoreWorkspace(db, make(backup)), pattern);
  });
});
