/**
 * npm run experiment -- --name ID [--seed N] [--model default|tiny|PATH] [--out DIR]
 *   [--beta B] [--kl-in-loss] [--top-p P]
 *
 * Runs one experiment that breaks RLHF on purpose (src/contract/experiments.ts) in Node: the
 * experiment's simulated labeler labels its pairs (some flipped, if it says so), a reward model
 * trains, each arm tunes its iterations. `--model tiny` is the smaller shipped model
 * (tinystories-1m), `default` the shipped default, or give a checkpoint path. Writes DIR/run.json
 * (per-iteration metrics of every arm, whether each piece of evidence held) and DIR/summary.txt;
 * default DIR: runs/experiments/ID-seedN.
 *
 * Variations for every arm, to try a setup of your own: --beta B sets the KL coefficient,
 * --kl-in-loss puts β·KL (k1) in PPO's loss instead of its reward, and --top-p P samples each
 * arm's rollout with top-p P in place of the arm's own truncation (whether its log-probs match
 * stays the arm's).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPERIMENT_IDS, EXPERIMENTS, isExperimentId } from '../src/contract/experiments';
import type { PPOConfig } from '../src/engine/rl/ppo-config';
import type { KLEstimator } from '../src/engine/rl/formulas/kl';
import { runExperiment, type ExperimentRun } from '../src/engine/loop/experiment';
import { series } from '../src/contract/experiment-evidence';
import { fail, numberFlag, parseFlags, runMain, useWasm } from './lib/cli';
import { writeAtomic } from './lib/files';
import { labelerFromSpec } from './lib/labeler-module';
import { loadModel, MODELS_DIR } from './lib/models';
import { storyOpenings } from './lib/samples';

const USAGE = `npm run experiment -- --name ${EXPERIMENT_IDS.join('|')} [--seed N] [--model default|tiny|PATH] [--out DIR] [--beta B] [--kl-in-loss] [--kl-estimator k1|k3] [--lr-scale X] [--iterations N] [--top-p P]`;

function options() {
  const f = parseFlags(
    {
      name: { type: 'string' },
      seed: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      beta: { type: 'string' },
      'kl-in-loss': { type: 'boolean', default: false },
      'kl-estimator': { type: 'string' },
      'lr-scale': { type: 'string' },
      iterations: { type: 'string' },
      'top-p': { type: 'string' },
    },
    USAGE,
  );
  if (!isExperimentId(f.name))
    fail({
      code: 'CLI_CHOICE',
      params: { flag: '--name', choices: [...EXPERIMENT_IDS], got: String(f.name), note: null, usage: USAGE },
    });
  const seed = numberFlag(f.seed, 'seed', 0, 'nonNegativeInteger');
  const model = f.model ?? 'default';
  const checkpoint =
    model === 'default' ? undefined : model === 'tiny' ? join(MODELS_DIR, 'tinystories-1m/model.safetensors') : model;
  const policy: Partial<PPOConfig> = {
    ...(f.beta !== undefined ? { beta: numberFlag(f.beta, 'beta', 0, 'nonNegativeNumber') } : {}),
    ...(f['kl-in-loss'] ? { klInLoss: true } : {}),
    ...(f['kl-estimator'] !== undefined ? { klEstimator: estimatorFlag(f['kl-estimator']) } : {}),
    ...(f['top-p'] !== undefined ? { topK: 0, topP: numberFlag(f['top-p'], 'top-p', 1, 'unitUpToOne') } : {}),
  };
  const overrides = {
    policy,
    ...(f['lr-scale'] !== undefined
      ? { learningRateScale: numberFlag(f['lr-scale'], 'lr-scale', 1, 'positiveNumber') }
      : {}),
    ...(f.iterations !== undefined ? { iterations: numberFlag(f.iterations, 'iterations', 1, 'positiveInteger') } : {}),
  };
  return {
    id: f.name,
    seed,
    checkpoint,
    overrides,
    out: f.out ?? join('runs', 'experiments', `${f.name}-seed${seed}`),
  };
}

function estimatorFlag(value: string): KLEstimator {
  if (value === 'k1' || value === 'k3') return value;
  return fail({
    code: 'CLI_CHOICE',
    params: { flag: '--kl-estimator', choices: ['k1', 'k3'], got: value, note: null, usage: USAGE },
  });
}

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** The evidence, then per arm the first and last iterations of the metrics that tell the story. */
export function summary(run: ExperimentRun, command: string): string {
  const lines = [
    `${run.id}, seed ${run.seed}: ${run.labels} labels (${run.flipped} flipped), ${run.iterations} iterations per arm, ${run.seconds.toFixed(0)} s`,
    `  ${command}`,
    '',
  ];
  for (const c of run.evidence) {
    const e = c.evidence;
    const figures =
      e.expect === 'below-zero'
        ? `mean over the second half ${fmt(c.late)}`
        : `first third ${fmt(c.early)} -> last third ${fmt(c.late)}`;
    lines.push(`${c.holds ? 'HOLDS ' : 'FAILS '} ${e.arm}: ${e.metric} ${e.expect} (${figures})`);
  }
  const shown = ['objective/scores', 'gold/score', 'objective/kl', 'eval/distinct_2'];
  for (const arm of run.arms) {
    lines.push(
      '',
      `arm ${arm.key} (${arm.algorithm}${arm.freezeReward ? ', reward model frozen' : ''}): reward-model held-out accuracy ${fmt(arm.reward.accuracy, 2)} vs the labels, ${fmt(arm.reward.goldAccuracy, 2)} vs the labeler's own verdicts, ${arm.seconds.toFixed(0)} s`,
    );
    for (const m of shown) {
      const xs = series(arm, m);
      lines.push(`  ${m.padEnd(18)} ${xs.map((x) => fmt(x, 2)).join(' ')}`);
    }
    lines.push(
      `  last samples: ${arm.samples
        .slice(0, 2)
        .map((s) => JSON.stringify(s.slice(0, 120)))
        .join(' | ')}`,
    );
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const o = options();
  await useWasm();
  const experiment = EXPERIMENTS[o.id];
  const labeler = await labelerFromSpec(experiment.labeler, {});
  const { model, tokenizer, metadata } = loadModel(o.checkpoint);
  mkdirSync(o.out, { recursive: true });
  const log = join(o.out, 'iterations.jsonl');
  writeFileSync(log, '');
  process.stdout.write(`${o.id} on ${metadata.name}, seed ${o.seed}\n`);
  const run = await runExperiment(
    experiment,
    { policy: model, codec: tokenizer, labeler, prompts: storyOpenings().train },
    {
      seed: o.seed,
      overrides: o.overrides,
      onPhase: (p) =>
        process.stdout.write(
          `${p.phase}${'arm' in p ? ` ${p.arm}` : ''}${'labels' in p ? ` (${p.labels} labels)` : ''}\n`,
        ),
      onIteration: (it) => {
        writeFileSync(log, `${JSON.stringify(it)}\n`, { flag: 'a' });
        const m = it.metrics;
        process.stdout.write(
          `${it.arm} ${it.iteration}/${it.iterations}  scores ${fmt(m['objective/scores'])}  gold ${fmt(m['gold/score'])}  kl ${fmt(m['objective/kl'])}  distinct-2 ${fmt(m['eval/distinct_2'])}\n`,
        );
      },
    },
  );
  const command = `npm run experiment -- ${process.argv.slice(2).join(' ')}`;
  writeAtomic(join(o.out, 'run.json'), JSON.stringify({ command, model: metadata.name, experiment, ...run }, null, 2));
  const text = summary(run, command);
  writeAtomic(join(o.out, 'summary.txt'), text);
  process.stdout.write(`\n${text}`);
  model.dispose();
}

runMain(main);
