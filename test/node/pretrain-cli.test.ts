// `npm run pretrain` as a person runs it: Ctrl+C (SIGINT to the whole process group, as a terminal
// sends it) stops the run after the current step, saves its state, and the same command resumes.
// The command is package.json's own script line, run by a shell as npm runs it. Steps are made long
// enough (a few hundred ms) that a wrapper which gives the script only tens of milliseconds to
// answer a signal is caught: tsx's CLI did (it relays the signal, waits 30 ms twice for the busy
// child to acknowledge, then SIGKILLs it and exits 130), so a real run lost everything since its
// last save; the scripts now run as `node --import tsx`, one process with no relay.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const WORDS = ['the', 'cat', 'dog', 'sat', 'ran', 'on', 'a', 'big', 'red', 'mat', 'and', 'was', 'happy', 'sad', 'park'];

/** Sixty short documents of seeded word salad, separated as TinyStories is. */
function corpus(dir: string): string {
  let x = 7;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) % WORDS.length;
  const docs = Array.from(
    { length: 60 },
    () =>
      Array.from({ length: 40 }, next)
        .map((i) => WORDS[i])
        .join(' ') + '.',
  );
  const file = join(dir, 'corpus.txt');
  writeFileSync(file, docs.join('<|endoftext|>'));
  return file;
}

interface Run {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

const SCRIPT: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.pretrain;

function start(args: string[]): Run {
  // detached: its own process group, so the signal reaches the shell and everything it starts, as Ctrl+C does.
  const env = { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` };
  const child = spawn('sh', ['-c', `exec ${SCRIPT} ${args.join(' ')}`], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exit };
}

async function waitFor(run: Run, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let waited = 0; waited < 90_000; waited += 100) {
    const m = run.out().match(pattern);
    if (m !== null) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(-run.child.pid!, 'SIGKILL');
  throw new Error(`no ${pattern} in the output:\n${run.out()}`);
}

describe('npm run pretrain on the command line', () => {
  it('stops on Ctrl+C after the current step, saves its state, and the same command resumes from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pretrain-cli-'));
    const out = join(dir, 'run');
    const args = [
      '--corpus',
      corpus(dir),
      '--preset',
      'base',
      '--context',
      '128',
      '--batch',
      '8',
      '--vocab',
      '280',
      '--out',
      out,
      '--steps',
      '100000',
      '--save-every',
      '100000',
      '--eval-every',
      '100000',
      '--seed',
      '3',
    ];

    const first = start(args);
    await waitFor(first, /step 10\/100000/);
    process.kill(-first.child.pid!, 'SIGINT');
    expect(await first.exit).toBe(0);
    expect(first.out()).toContain('stopping after this step');
    expect(first.out()).toMatch(/saved at step \d+ in .*train-state\.safetensors; run the same command to resume/);
    expect(existsSync(join(out, 'train-state.safetensors'))).toBe(true); // saved on the signal, not by --save-every
    const reached = Math.max(...[...first.out().matchAll(/step (\d+)\/100000/g)].map((m) => Number(m[1])));

    const second = start(args);
    const resumed = await waitFor(second, /resuming from .* at step (\d+)/);
    expect(Number(resumed[1])).toBeGreaterThanOrEqual(reached);
    await waitFor(second, new RegExp(`step ${Math.ceil((Number(resumed[1]) + 1) / 10) * 10}/100000`));
    process.kill(-second.child.pid!, 'SIGTERM');
    expect(await second.exit).toBe(0);
    expect(second.out()).toContain('stopping after this step');
  }, 180_000);

  it("with --average-from, ships the mean of the later weights and reports it beside the last step's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pretrain-avg-'));
    const out = join(dir, 'run');
    const run = start([
      '--corpus',
      corpus(dir),
      '--preset',
      'tiny',
      '--vocab',
      '280',
      '--out',
      out,
      '--steps',
      '30',
      '--average-from',
      '20',
      '--average-every',
      '5',
      '--eval-every',
      '10',
      '--seed',
      '3',
    ]);
    expect(await run.exit).toBe(0);
    const line = run
      .out()
      .match(
        /weight average of 3 snapshots \(steps 20\.\.30 every 5\): validation (\d+\.\d+), last step alone (\d+\.\d+)/,
      );
    expect(line, run.out()).not.toBeNull();
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.averaging).toEqual({
      from: 20,
      every: 5,
      snapshots: 3,
      lastStepValLoss: expect.closeTo(Number(line?.[2]), 4),
    });
    expect(report.valLoss).toBeCloseTo(Number(line?.[1]), 4);
    expect(report.valLoss).not.toBe(report.averaging.lastStepValLoss);
    expect(run.out()).toMatch(/done: validation \d+\.\d+ nats\/token \(weight average\)/);

    for (const [args, message] of [
      [['--average-every', '5'], /error: --average-every only works together with --average-from: give both\./],
      [['--average-from', '31'], /error: --average-from must be an integer from 1 to 30, got "31"\./],
    ] as const) {
      const bad = start([
        '--corpus',
        corpus(dir),
        '--preset',
        'tiny',
        '--out',
        join(dir, 'bad'),
        '--steps',
        '30',
        ...args,
      ]);
      expect(await bad.exit).not.toBe(0);
      expect(bad.out()).toMatch(message);
    }
  }, 180_000);
});
