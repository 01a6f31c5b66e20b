// `npm run evaluate-lm -- --json` and the model card's check of what it wrote: the sliding-window
// figure only reaches a card when it was measured on that run's own checkpoint and corpus, and a
// file about something else is refused before anything in public/models is touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
