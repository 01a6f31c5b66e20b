// `npm run rlhf` end to end on a tiny random model: the held-out text it scores for the alignment
// tax is the file it is given, whole (it once read --heldout as a corpus and scored only its last
// 10%), and a --heldout that does not exist is refused before anything runs or is written; --seeds
// runs a study that resumes after an interruption.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { builtinLabeler } from '../../src/engine/labelers/builtins';
import { noticeableDifference } from '../../src/engine/labelers/marks';
import { randomWeights, tinyConfig, tinyTokenizer } from './storage-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'rlhf-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rlhf.ts', ...args], {
    encoding: 'utf8',
    cwd: process.cwd(),
  });

/** The tiny model with room for a story opening (tens of byte-level tokens) and 48 new tokens. */
function model(): string {
  const config = { ...tinyConfig(), blockSize: 256 };
  const meta = {
    name: 'tiny-256',
    tokenizerFingerprint: tinyTokenizer().fingerprint(),
    createdAt: '2025-01-01T00:00:00.000Z',
    info: {},
  };
  writeFileSync(join(dir, 'model.safetensors'), encodeCheckpoint(randomWeights(config, 3), config, meta));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizer().toJSON()));
  return join(dir, 'model.safetensors');
}

const STORIES = [
  'the cat sat on a mat.',
  'a small cat ran.',
  'the mat was small.',
  'a cat sat.',
  'the cat ran on the mat.',
];
const QUICK = [
  '--labeler',
  'animals',
  '--labels',
  '2',
  '--algo',
  'dpo',
  '--iterations',
  '1',
  '--policy-iterations',
  '1',
  '--seed',
  '1',
  '--eval-samples',
  '1',
];

describe('npm run rlhf', () => {
  it('scores every story of --heldout for the alignment tax, and says which file it used', () => {
    const checkpoint = model();
    const heldout = join(dir, 'mine.txt');
    writeFileSync(heldout, STORIES.join('<|endoftext|>'));
    const out = join(dir, 'run');
    const r = run([...QUICK, '--checkpoint', checkpoint, '--heldout', heldout, '--tie-margin', '0.2', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`held-out loss on ${heldout}: 5 stories`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const tokens = STORIES.reduce((n, s) => n + tinyTokenizer().encode(s).length + 1, 0);
    expect(report.heldOut).toEqual({ file: heldout, stories: 5, tokens });
    expect(report.config.tieMargin).toBe(0.2);
    const labels = readFileSync(join(out, 'comparisons.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Each label records whether its responses ended (the reward model trains on exactly that).
    expect(labels.every((c: { aEnded: unknown; bEnded: unknown }) => typeof c.aEnded === 'boolean')).toBe(true);
    expect(report.evaluation.heldOutLossBase).toBeGreaterThan(0);
    expect(Number.isFinite(report.evaluation.alignmentTax)).toBe(true);
    // The win-rate comes with its bootstrap interval over the held-out prompts, in the file and the line.
    const w = report.evaluation.gold.winRate;
    expect(w.low).toBeLessThanOrEqual(w.rate);
    expect(w.high).toBeGreaterThanOrEqual(w.rate);
    expect(w.pairs).toBe(w.groups); // --eval-samples 1
    // The reward model is judged against the gold score on the same evaluation pairs.
    const agree = report.evaluation.rewardGoldAgreement;
    // Over the pairs the labeler tells apart (--tie-margin 0.2): all 12 pairs are in the report.
    const noticeable = noticeableDifference(builtinLabeler('animals', { tieMargin: 0.2 }));
    expect(report.evaluation.samples).toHaveLength(12);
    const toldApart = report.evaluation.samples.filter(
      (s: { goldBase: number; goldTuned: number }) => Math.abs(s.goldBase - s.goldTuned) >= noticeable,
    ).length;
    expect(agree.pairs).toBe(toldApart);
    expect(r.stdout).toMatch(
      /reward model against the gold score: (orders [\d.]+% of the \d+ fresh pairs|the labeler tells no fresh pair)/,
    );
    // Fresh pairs: one per held-out prompt (--eval-samples 1), those the labeler tells apart.
    const fresh = report.evaluation.rewardOnFreshPairs;
    expect(fresh.pairs).toBeLessThanOrEqual(w.groups);
    expect(fresh.rate === null).toBe(fresh.pairs === 0);
    expect(r.stdout).toMatch(/gold win-rate [\d.]+% \(95% interval [\d.]+-[\d.]+%, bootstrap over \d+ prompts\)/);
  }, 120_000);

  it('--seeds runs each seed into its own folder, resumes without rerunning finished seeds, and summarises', () => {
    const checkpoint = model();
    const out = join(dir, 'study');
    const args = [...QUICK.filter((a, i) => a !== '--seed' && QUICK[i - 1] !== '--seed'), '--checkpoint', checkpoint];
    const first = run([...args, '--seeds', '1-2', '--out', out]);
    expect(first.status, first.stderr).toBe(0);
    const report = (s: number) => join(out, `seed-${s}`, 'report.json');
    expect(existsSync(report(1)) && existsSync(report(2))).toBe(true);
    // An interruption during seed 2: its report was never written.
    rmSync(report(2));
    const before = statSync(report(1)).mtimeMs;
    const again = run([...args, '--seeds', '1-2', '--out', out]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('seeds 1 already have a report: not run again');
    expect(again.stdout).not.toContain('== seed 1 ==');
    expect(again.stdout).toContain('== seed 2 ==');
    expect(statSync(report(1)).mtimeMs).toBe(before);
    const rates = [1, 2].map((s) => JSON.parse(readFileSync(report(s), 'utf8')).evaluation.gold.winRate.rate);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.seeds).toEqual([1, 2]);
    expect(summary.winRate.mean).toBeCloseTo((rates[0] + rates[1]) / 2, 12);
    expect(summary.runs.map((r: { seed: number }) => r.seed)).toEqual([1, 2]);
  }, 240_000);

  it('refuses --seed and --seeds together, and a malformed range, before writing anything', () => {
    const out = join(dir, 'bad-seeds');
    const both = run([...QUICK, '--checkpoint', model(), '--seeds', '1-2', '--out', out]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('Give --seed S or --seeds A-B, not both.');
    const args = QUICK.filter((a, i) => a !== '--seed' && QUICK[i - 1] !== '--seed');
    const backwards = run([...args, '--checkpoint', model(), '--seeds', '5-1', '--out', out]);
    expect(backwards.status).toBe(2);
    expect(backwards.stderr).toContain('--seeds "5-1": the range 5-1 runs backwards');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a --tie-margin outside 0..0.5 before training or writing anything', () => {
    const out = join(dir, 'bad-tie');
    const r = run([...QUICK, '--checkpoint', model(), '--tie-margin', '0.7', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--tie-margin must be a number from 0 to 0.5, got "0.7"');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a --top-p outside (0, 1] and --unmatched-logprobs without truncation, writing nothing', () => {
    const out = join(dir, 'bad-top-p');
    // Each: the flags (besides --checkpoint and --out), then what stderr must say.
    const refusals: [flags: string[], ...says: string[]][] = [
      [['--top-p', '1.5'], '--top-p must be in (0, 1], got "1.5".'],
      [['--unmatched-logprobs'], '--unmatched-logprobs only works together with --top-k, --top-p or --min-new-tokens'],
      [['--algo', 'dpo', '--kl-in-loss'], '--kl-in-loss only works together with --algo ppo'],
      [['--algo', 'rloo', '--value-warmup', '2'], '--value-warmup only works together with --algo ppo'],
      [
        ['--algo', 'sft', '--best-of-n', '4', '--missing-eos-penalty', '0'],
        '--missing-eos-penalty only works together with --algo ppo, grpo or rloo',
      ],
      [['--algo', 'grpo', '--running-score-norm'], '--running-score-norm only works together with --algo ppo'],
      [
        ['--algo', 'dpo', '--spread-penalty', '1'],
        '--spread-penalty only works together with --algo ppo, grpo or rloo',
      ],
      [['--spread-penalty', '-1'], '--spread-penalty'],
      [['--active'], '--active only works together with --reward-every N, or two or more labelling rounds'],
      [['--algo', 'dpo', '--best-of-n', '4'], '--best-of-n only works together with --algo sft'],
      [['--algo', 'sft'], 'unless --best-of-n N has the reward model pick them'],
      [['--algo', 'ppo', '--judged-pairs', '20'], '--judged-pairs only works together with --algo dpo'],
      // Marks: a form needs marks; DPO's policy never sees them unless the reward model judges pairs.
      [['--algo', 'ppo', '--mark-form', 'without'], '--mark-form only works together with --marks'],
      [['--algo', 'ppo', '--marks', '0', '--mark-form', 'prefix'], '--mark-form only works together with --marks'],
      [['--algo', 'ppo', '--marks', '2', '--mark-form', 'middle'], '--mark-form', 'middle'],
      [['--marks', '2'], '--marks only works together with'],
      [['--algo', 'dpo', '--lr-decay', '10'], '--lr-decay only works together with --algo ppo, grpo or rloo'],
      [
        ['--algo', 'ppo', '--lr-warmup', '4', '--lr-decay', '3'],
        '--lr-decay must be an integer of at least 5 (or 0 to turn it off), got 3.',
      ],
      [['--kl-estimator', 'k2'], '--kl-estimator', 'k2'],
      [['--rm-pooling', 'max'], '--rm-pooling', 'max'],
      [
        ['--rm-frozen-trunk', '--rm-trainable-layers', '2'],
        '--rm-frozen-trunk leaves nothing for --rm-trainable-layers to set',
      ],
    ];
    for (const [flags, ...says] of refusals) {
      const r = run([...QUICK, '--checkpoint', model(), ...flags, '--out', out]);
      expect(r.status, flags.join(' ')).toBe(2);
      for (const part of says) expect(r.stderr).toContain(part);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('words argument errors through the message table, with the usage line', () => {
    const typo = run(['--labelz', 'animals']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^error: Unknown option '--labelz'[^]*\n\nusage: npm run rlhf -- --labeler /);
    const missing = run(['--labels', '2']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: --labeler and --out are required\.\n\nusage: npm run rlhf -- /);
    const sft = run([...QUICK, '--algo', 'sft', '--out', join(dir, 'sft')]);
    expect(sft.status).toBe(2);
    expect(sft.stderr).toContain('--algo must be one of ppo, grpo, rloo, dpo (SFT needs demonstrations');
  });

  it('refuses a --heldout that does not exist before training or writing anything', () => {
    const out = join(dir, 'refused');
    const r = run([...QUICK, '--checkpoint', model(), '--heldout', join(dir, 'nope.txt'), '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--heldout .*nope\.txt: no such file/);
    expect(existsSync(out)).toBe(false);
  });
});
