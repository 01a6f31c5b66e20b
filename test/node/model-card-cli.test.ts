// `npm run evaluate-lm -- --json` and the model card's check of what it wrote: the sliding-window
// figure only reaches a card when it was measured on that run's own checkpoint and corpus, and a
// file about something else is refused before anything in public/models is touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CARD_SECTIONS, cardText, handWrittenNotes, type CardInput } from '../../scripts/lib/model-card-text';
import { MODELS_DIR } from '../../scripts/lib/models';
import { tinyCheckpoint, tinyConfig, tinyTokenizer } from './storage-fixtures';

const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    encoding: 'utf8',
    cwd: process.cwd(),
  });

describe('npm run evaluate-lm --json, read by npm run model-card', () => {
  const dir = mkdtempSync(join(tmpdir(), 'model-card-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const corpus = join(dir, 'corpus.txt');
  writeFileSync(
    corpus,
    Array.from(
      { length: 40 },
      (_, i) => `the cat sat on a small mat ${i % 3 === 0 ? 'and ran' : 'again'}. a small cat ran.`,
    ).join('<|endoftext|>'),
  );
  writeFileSync(join(dir, 'model.safetensors'), tinyCheckpoint(5));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizer().toJSON()));
  const evaluate = (stride: number) => {
    const out = join(dir, `evaluation-${stride}.json`);
    const r = run('evaluate-lm', [
      '--corpus',
      corpus,
      '--checkpoint',
      join(dir, 'model.safetensors'),
      '--stride',
      String(stride),
      '--json',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
  };

  it('writes the figures it prints; sliding windows a whole context apart are the disjoint windows', () => {
    const T = tinyConfig().blockSize;
    const apart = evaluate(T);
    expect(apart.stride).toBe(T);
    expect(apart.validationTokens).toBeGreaterThan(2 * T);
    expect(apart.sliding).toBeCloseTo(apart.windowed, 4);
    const overlapping = evaluate(T / 2);
    expect(overlapping.windowed).toBe(apart.windowed);
    for (const key of ['sliding', 'baseline', 'windowedPerByte', 'baselinePerByte'])
      expect(Number.isFinite(overlapping[key]), key).toBe(true);
  });

  it('a card refuses an evaluation of another checkpoint, and writes nothing', () => {
    const figures = evaluate(tinyConfig().blockSize / 2);
    const runDir = join(dir, 'run');
    rmSync(runDir, { recursive: true, force: true });
    mkdirSync(runDir);
    for (const name of ['model.safetensors', 'tokenizer.json'])
      writeFileSync(join(runDir, name), readFileSync(join(dir, name)));
    // A run whose own validation loss is not the one evaluation.json measured.
    writeFileSync(
      join(runDir, 'report.json'),
      JSON.stringify({ valLoss: figures.windowed + 0.5, validationTokens: figures.validationTokens }),
    );
    writeFileSync(join(runDir, 'baseline.json'), '{}');
    writeFileSync(join(runDir, 'samples.json'), '{}');
    writeFileSync(join(runDir, 'evaluation.json'), JSON.stringify(figures));
    const manifest = readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8');
    const r = run('model-card', [
      '--run',
      runDir,
      '--corpus',
      corpus,
      '--id',
      'zz-refused',
      '--title',
      'Refused',
      '--alternative',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/evaluation\.json is not about this run's checkpoint and corpus/);
    expect(r.stderr).toMatch(
      /npm run evaluate-lm -- --corpus FILE --checkpoint .*model\.safetensors --json .*evaluation\.json/,
    );
    expect(existsSync(join(MODELS_DIR, 'zz-refused'))).toBe(false);
    expect(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8')).toBe(manifest);

    writeFileSync(join(runDir, 'evaluation.json'), JSON.stringify({ ...figures, sliding: 'low' }));
    const malformed = run('model-card', [
      '--run',
      runDir,
      '--corpus',
      corpus,
      '--id',
      'zz-refused',
      '--title',
      'Refused',
      '--alternative',
    ]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(/evaluation\.json: "sliding" should be a number/);
    expect(existsSync(join(MODELS_DIR, 'zz-refused'))).toBe(false);
  });
});

// The card's structure: the usual sections of a model card, in order, and a hand-written `## Notes`
// section that survives the card being written again.
const headings = (text: string) => [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim());

describe('the model card text', () => {
  const best = {
    name: 'trigram, interpolated',
    order: 3,
    smoothing: 'interpolated',
    params: {},
    valNatsPerToken: 4,
  } as const;
  const input = (evaluated: boolean): CardInput => ({
    id: 'tiny',
    title: 'Tiny',
    isDefault: false,
    report: {
      steps: 10,
      tokensSeen: 2560,
      valLoss: 3.2,
      trainingSeconds: 90,
      machine: 'a test machine',
      command: 'npm run pretrain -- --corpus stories.txt --preset base --out runs/tiny --steps 10',
      parameters: 12345,
      config: { nLayer: 1, nHead: 1, nEmbd: 8, blockSize: 16, vocabSize: 300 },
      trainTokens: 1000,
      validationTokens: 100,
      improvementOverBaseline: 0.2,
      distinct2: 0.5,
      pretrain: { batchSize: 16, learningRate: 0.002, dropout: 0.1 },
      averaging: { from: 8, every: 1, snapshots: 3, lastStepValLoss: 3.25 },
    },
    baseline: { best, all: [best], trainTokens: 1000, valTokens: 100 },
    evaluation: evaluated
      ? {
          model: 'runs/tiny/model.safetensors',
          validationTokens: 100,
          validationBytes: 400,
          baseline: 4,
          baselineName: best.name,
          windowed: 3.2,
          sliding: 3.1,
          stride: 8,
          windowedPerByte: 0.8,
          baselinePerByte: 1,
        }
      : null,
    samples: {
      temperature: 0.8,
      seed: 1,
      distinct2: 0.5,
      samples: [{ prompt: 'Once upon a time', text: ' a cat sat.', finishReason: 'eos' }],
    },
    sizes: { weights: '0.05', tokenizer: '0.01' },
    docs: { train: 36, validation: 4 },
  });

  it('has the usual sections in order, with the figures and the commands that reproduce them', () => {
    for (const evaluated of [false, true]) {
      const text = cardText(input(evaluated));
      expect(headings(text)).toEqual([...CARD_SECTIONS]);
      expect(text).toMatch(/TinyStories/);
      expect(text).toMatch(/CDLA-Sharing-1\.0/);
      expect(text).toMatch(/\*\*3\.2000\*\*/);
      expect(text).toMatch(/20\.0% lower than the best n-gram baseline/);
      expect(text).toContain(
        'npm run model-card -- --run runs/tiny --corpus stories.txt --id tiny --title "Tiny" --alternative',
      );
      expect(text.includes('npm run evaluate-lm -- --corpus stories.txt')).toBe(evaluated);
      expect(text.includes('22.5% below the baseline')).toBe(evaluated);
    }
  });

  it("keeps the existing card's hand-written notes, unchanged and last", () => {
    const notes = '## Notes\n- Written by a person.\n\n  | a | b |\n  |---|---|\n';
    const before = cardText(input(true), notes);
    expect(handWrittenNotes(before)).toBe(notes);
    const again = cardText(input(true), handWrittenNotes(before));
    expect(again).toBe(before);
    expect(headings(again)).toEqual([...CARD_SECTIONS, 'Notes']);
    expect(handWrittenNotes(cardText(input(true)))).toBe('');
    expect(handWrittenNotes(null)).toBe('');
  });

  const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8')) as {
    models: { id: string; card: string }[];
  };
  it.each(manifest.models)('the shipped card of $id has the generated structure', (entry) => {
    const text = readFileSync(join(MODELS_DIR, entry.card), 'utf8');
    expect(text).toMatch(new RegExp(`^# .+ \\(\`${entry.id}\`\\)\\n`));
    expect(headings(text)).toEqual([...CARD_SECTIONS, 'Notes']);
    // A card describes the model, not how the work on it was organised.
    expect(text).not.toMatch(/[Ii]ssue [0-9]|session/);
  });
});
