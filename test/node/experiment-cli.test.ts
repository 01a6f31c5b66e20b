// `npm run experiment` refuses an unknown experiment, a bad seed or a bad variation before loading a model or writing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'experiment-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiment.ts', ...args], { encoding: 'utf8' });

describe('npm run experiment', () => {
  it('refuses an unknown --name and a bad --seed, naming the choices, writing nothing', () => {
    const out = join(dir, 'x');
    const r = run(['--name', 'reward-hack', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '--name must be one of reward-hacking, lr-collapse, negative-kl, bad-labels, dpo-vs-ppo',
    );
    const s = run(['--name', 'lr-collapse', '--seed', '1.5', '--out', out]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('--seed must be a non-negative integer, got "1.5".');
    const p = run(['--name', 'negative-kl', '--top-p', '0', '--out', out]);
    expect(p.status).toBe(2);
    expect(p.stderr).toContain('--top-p must be in (0, 1], got "0".');
    const b = run(['--name', 'negative-kl', '--beta', '-1', '--out', out]);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--beta');
    expect(existsSync(out)).toBe(false);
  });
});
