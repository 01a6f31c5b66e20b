/**
 * npm run rlhf -- --labeler NAME|RULE|PATH --out DIR [--labels N] [--algo ppo|grpo|rloo|dpo]
 *   [--seed S | --seeds A-B] ... (scripts/lib/rlhf-options.ts lists every flag)
 *
 * Its defaults are the page's (contract/learning-defaults.ts): --labels pairs sampled from the
 * current policy in one round, one reward model, then one Play of the Tune stage's iterations.
 *
 * --seeds 1-5 runs the seeds one after another, each into DIR/seed-S, skipping a seed whose
 * report exists (so an interrupted study resumes), and writes DIR/summary.json: means, spread
 * and 95% intervals of the gold win-rate, KL, alignment tax and time over the seeds.
 *
 * --heldout names held-out text for the alignment tax, scored whole, as pretraining's heldout.txt
 * (default: heldout.txt beside the checkpoint; none there, no tax).
 *
 * --kl-budget NATS stops tuning when the KL to the reference, measured after every policy
 * iteration, passes NATS; the iteration that passed it is undone.
 *
 * --top-k K / --top-p P sample the tuning rollout from the truncated distribution; its log-probs
 * (the PPO ratio and the KL) are renormalised over the kept tokens, unless --unmatched-logprobs
 * scores them under the full softmax (the mismatch that drives the KL estimate below zero).
 *
 * --tie-margin X: the labeler answers "tie" when |P(A) - 0.5| < X (default 0.05, every labeler
 * alike: one that cannot tell two responses apart says so instead of flipping a coin).
 *
 * --reference names the frozen model that anchors the KL: the trainer's penalty and objective/kl,
 * the probes, the budget and the evaluation; it also starts the reward model (default: a copy of
 * the starting policy); it must share the policy's tokenizer.
 *
 * The whole iterated loop in Node with a simulated labeler: sample pairs from the current policy,
 * ask the labeler, train the reward model, optimise the policy, repeat (M rounds). Then evaluates
 * tuned against base on the held-out story openings. Writes DIR/metrics.jsonl (one line per
 * round), DIR/report.json, DIR/chart.svg, DIR/comparisons.jsonl and DIR/policy.safetensors.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertCompatible, loadCheckpoint, saveCheckpoint } from '../src/engine/checkpoint/checkpoint';
import type { WinRate } from '../src/engine/eval/win-rate';
import type { Agreement } from '../src/engine/eval/agreement';
import { promptIds, responseIds } from '../src/engine/generate/text';
import { evaluatePolicies } from '../src/engine/loop/evaluate';
import { rewardAgainstGold } from '../src/engine/loop/reward-gold';
import { noticeableDifference } from '../src/engine/labelers/marks';
import { runRlhfLoop, type RoundReport } from '../src/engine/loop/rlhf-loop';
import { splitDocuments } from '../src/engine/train/corpus';
import { runMain, useWasm } from './lib/cli';
import { exists, readBytes, writeAtomic } from './lib/files';
import { labelerFromSpec } from './lib/labeler-module';
import { loadModel } from './lib/models';
import { rlhfOptions, type RlhfOptions } from './lib/rlhf-options';
import { storyOpenings } from './lib/samples';
import { pendingSeeds, seedDir, seedResult, summarise, type Spread } from './lib/study';
import { smallMultiplesSvg } from '../src/ui/svg-chart';

function fmt(x: number | undefined, digits = 3): string {
  return x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** "72.9% (95% interval 61.5-83.3%, bootstrap over 12 prompts)". */
function winRateText(w: WinRate): string {
  const pct = (x: number) => (x * 100).toFixed(1);
  return `${pct(w.rate)}% (95% interval ${pct(w.low)}-${pct(w.high)}%, bootstrap over ${w.groups} prompts)`;
}

function roundLine(r: RoundReport): string {
  const m = r.metrics;
  return `round ${r.round}  labels ${r.labels}  rm-acc ${fmt(r.rewardAccuracy, 2)}  reward ${fmt(m['probe/reward'])}  gold ${fmt(m['probe/gold'])}  kl ${fmt(m['objective/kl'])}  probe-kl ${fmt(m['probe/kl'])}${m['budget/kl'] !== undefined ? `  budget-kl ${fmt(m['budget/kl'])}` : ''}  beta ${fmt(m.beta, 4)}${m['val/warmup_loss'] !== undefined ? `  value-warmup-loss ${fmt(m['val/warmup_loss'])}` : ''}  iterations ${r.policyIterationsKept}${r.policyIterationsKept < r.policyIterations ? ` of ${r.policyIterations}` : ''}  ${r.seconds.toFixed(0)} s\n`;
}

/**
 * Held-out text for the alignment tax: --heldout, else heldout.txt beside the checkpoint; scored
 * whole in both cases (it is already the held-out part: pretraining writes it so).
 */
function heldOutTokens(
  path: string | undefined,
  checkpointPath: string,
  encode: (s: string) => number[],
  eosId: number,
): { file: string; stories: number; tokens: Int32Array } | undefined {
  const file = path ?? join(dirname(checkpointPath), 'heldout.txt');
  if (!exists(file)) return undefined;
  const stories = splitDocuments(readFileSync(file, 'utf8'), file);
  return { file, stories: stories.length, tokens: Int32Array.from(stories.flatMap((d) => [...encode(d), eosId])) };
}

/** Loads --reference and checks it can be paired with the policy (same tokenizer and shapes). */
function loadReference(file: string, policy: Parameters<typeof assertCompatible>[0]) {
  const ref = loadCheckpoint(readBytes(file), { source: file });
  assertCompatible(policy, { metadata: ref.metadata, config: ref.model.config, source: file });
  return ref.model;
}

/** One seed of the run: the loop, the evaluation and every file, written into `out`. */
async function runSeed(options: RlhfOptions, seed: number, out: string): Promise<void> {
  const o = { ...options, out, loop: { ...options.loop, seed } };
  const labeler = await labelerFromSpec(o.labeler, { tieMargin: o.tieMargin });
  const { model: policy, tokenizer, metadata, path } = loadModel(o.checkpoint);
  const reference =
    o.reference === undefined
      ? policy.clone()
      : loadReference(o.reference, { metadata, config: policy.config, source: path });
  mkdirSync(o.out, { recursive: true });
  const prompts = storyOpenings();
  const metricsPath = join(o.out, 'metrics.jsonl');
  writeFileSync(metricsPath, '');
  process.stdout.write(
    `${o.loop.algorithm} on ${metadata.name} with labeler ${labeler.id}: ${o.loop.labels} labels over ${o.loop.labelRounds ?? o.loop.rounds} rounds${o.loop.labelRounds !== undefined && o.loop.labelRounds < o.loop.rounds ? `, then ${o.loop.rounds - o.loop.labelRounds} rounds against the frozen reward model` : ''}\n`,
  );
  const started = performance.now();
  const result = await runRlhfLoop(
    { policy, reference, codec: tokenizer, labeler, prompts: prompts.train },
    o.loop,
    (r) => {
      writeFileSync(metricsPath, `${JSON.stringify(r)}\n`, { flag: 'a' });
      process.stdout.write(roundLine(r));
    },
  );
  if (result.stopped !== undefined) {
    const st = result.stopped;
    process.stdout.write(
      `KL budget of ${o.loop.klBudget} nats passed in round ${st.round}, iteration ${st.iteration} (KL ${st.kl.toFixed(2)}): that iteration undone (KL ${st.keptKl.toFixed(2)}), tuning stopped after ${result.comparisons.length} labels\n`,
    );
  }
  const heldOut = heldOutTokens(o.heldout, path, (s) => tokenizer.encode(s), tokenizer.eosId);
  const rewardScore = async (p: string, r: string, ended: boolean) =>
    (await result.reward.score([promptIds(tokenizer, p)], [responseIds(tokenizer, r, ended)])).mean[0];
  const gold = (p: string, r: string) => labeler.score(p, r);
  const noticeable = noticeableDifference(labeler);
  const evaluation = await evaluatePolicies(reference, policy, tokenizer, {
    prompts: prompts.evaluation,
    gold,
    goldNoticeable: noticeable,
    reward: rewardScore,
    samplesPerPrompt: o.evalSamples,
    maxNewTokens: 48,
    temperature: 0.7,
    seed: o.loop.seed + 12345,
    heldOut: heldOut?.tokens,
  });
  // The reward model against the gold score on fresh pairs of the base policy, sampled as labels are.
  const rewardGold = await rewardAgainstGold(reference, tokenizer, {
    prompts: prompts.evaluation,
    pairsPerPrompt: o.evalSamples,
    maxNewTokens: 48,
    temperature: o.loop.labelTemperature ?? o.loop.policy.temperature ?? 0.7,
    seed: o.loop.seed + 54321,
    gold,
    noticeable,
    reward: rewardScore,
  });
  const tax = evaluation.heldOutLossTuned / evaluation.heldOutLossBase - 1;
  const judged = evaluation.gold;
  if (judged === null) throw new Error('the evaluation was given the labeler as its gold score, yet judged nothing');
  const report = {
    command: `npm run rlhf -- ${process.argv.slice(2).join(' ')}`,
    labeler: labeler.id,
    config: { ...o.loop, tieMargin: labeler.tieMargin },
    seconds: (performance.now() - started) / 1000,
    rounds: result.rounds,
    stopped: result.stopped ?? null,
    heldOut:
      heldOut === undefined ? null : { file: heldOut.file, stories: heldOut.stories, tokens: heldOut.tokens.length },
    evaluation: {
      ...evaluation,
      alignmentTax: tax,
      rewardOnFreshPairs: rewardGold,
      samples: evaluation.samples.slice(0, 12),
    },
  };
  writeAtomic(join(o.out, 'report.json'), JSON.stringify(report, null, 2));
  writeAtomic(join(o.out, 'comparisons.jsonl'), result.comparisons.map((c) => JSON.stringify(c)).join('\n') + '\n');
  writeAtomic(
    join(o.out, 'policy.safetensors'),
    await saveCheckpoint(policy, {
      name: `${metadata.name}-${o.loop.algorithm}-${labeler.id}`,
      tokenizerFingerprint: tokenizer.fingerprint(),
      info: { parent: metadata.name, evaluation: { winRate: judged.winRate, kl: evaluation.kl } },
    }),
  );
  const series = (title: string, key: string, color: string) => ({
    title,
    color,
    points: result.rounds.map((r) => [r.round, r.metrics[key]] as [number, number]),
  });
  writeAtomic(
    join(o.out, 'chart.svg'),
    smallMultiplesSvg(
      [
        series('proxy reward (reward model)', 'probe/reward', '#1f6feb'),
        series(`gold score (${labeler.id})`, 'probe/gold', '#2da44e'),
        series('KL to reference (nats/response)', 'probe/kl', '#cf222e'),
      ],
      'round',
    ),
  );
  process.stdout.write(
    `\nevaluation on ${prompts.evaluation.length} held-out prompts x ${o.evalSamples}: gold win-rate ${winRateText(judged.winRate)}  gold ${fmt(judged.base)} -> ${fmt(judged.tuned)}  KL ${fmt(evaluation.kl, 2)} nats  held-out loss ${fmt(evaluation.heldOutLossBase)} -> ${fmt(evaluation.heldOutLossTuned)} (${fmt(tax * 100, 1)}%)  distinct-2 ${fmt(evaluation.distinct2Base)} -> ${fmt(evaluation.distinct2Tuned)}\n`,
  );
  const agree = evaluation.rewardGoldAgreement;
  const share = (a: Agreement) => `${fmt((a.rate ?? NaN) * 100, 1)}% of the ${a.pairs}`;
  process.stdout.write(
    `reward model against the gold score: ${rewardGold.rate === null ? 'the labeler tells no fresh pair of the base policy apart' : `orders ${share(rewardGold)} fresh pairs of the base policy the labeler tells apart as the labeler would`}${agree === null ? '' : agree.rate === null ? '; it tells no evaluation pair apart' : `, ${share(agree)} evaluation pairs (base, tuned)`}\n`,
  );
  process.stdout.write(
    heldOut === undefined
      ? `no held-out text (no heldout.txt beside the checkpoint; give --heldout FILE): alignment tax not measured\n`
      : `held-out loss on ${heldOut.file}: ${heldOut.stories} stories, ${heldOut.tokens.length} tokens\n`,
  );
  result.reward.dispose();
  [policy, reference].forEach((m) => m.dispose());
}

/** "72.9% ± 6.1 (n 5, sd 4.9, min 66.0)": a mean with its 95% t-interval's half-width. */
function spreadText(s: Spread, scale = 1, digits = 1): string {
  const f = (x: number) => (x * scale).toFixed(digits);
  return `${f(s.mean)} ± ${s.n > 1 ? f((s.high - s.low) / 2) : '-'} (n ${s.n}, sd ${s.n > 1 ? f(s.sd) : '-'}, min ${f(s.min)}, max ${f(s.max)})`;
}

async function main(): Promise<void> {
  const o = rlhfOptions();
  await useWasm();
  if (!o.study) return runSeed(o, o.seeds[0], o.out);
  const todo = pendingSeeds(o.out, o.seeds, exists);
  const skipped = o.seeds.filter((s) => !todo.includes(s));
  if (skipped.length > 0) process.stdout.write(`seeds ${skipped.join(', ')} already have a report: not run again\n`);
  for (const seed of todo) {
    process.stdout.write(`\n== seed ${seed} ==\n`);
    await runSeed(o, seed, seedDir(o.out, seed));
  }
  const runs = o.seeds.map((s) => seedResult(s, readFileSync(join(seedDir(o.out, s), 'report.json'), 'utf8')));
  const summary = { command: `npm run rlhf -- ${process.argv.slice(2).join(' ')}`, config: o.loop, ...summarise(runs) };
  writeAtomic(join(o.out, 'summary.json'), JSON.stringify(summary, null, 2));
  process.stdout.write(
    `\nsummary over seeds ${o.seeds.join(', ')}, mean ± 95% interval:\n  gold win-rate % ${spreadText(summary.winRate, 100)}\n  KL nats ${spreadText(summary.kl, 1, 2)}\n  alignment tax % ${spreadText(summary.alignmentTax, 100)}\n  seconds after the last label ${spreadText(summary.trainSeconds, 1, 0)}\n  seconds in all ${spreadText(summary.seconds, 1, 0)}\n  reward model ordering fresh pairs as the labeler would % ${spreadText(summary.rewardVsGold, 100)}\n  reward model ordering the evaluation pairs as the labeler would % ${spreadText(summary.rewardVsGoldEvaluation, 100)}\n`,
  );
}

runMain(main);
