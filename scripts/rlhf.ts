/**
 * npm run rlhf -- --labeler NAME|RULE|PATH --labels N --algo ppo|grpo|rloo|dpo --iterations M
 *   --seed S --out DIR [--checkpoint PATH] [--beta B] [--policy-iterations K] [--label-rounds K] [--active]
 *   [--eval-samples N] [--heldout FILE] [--reference PATH] [--tie-margin X]
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
import { ALGORITHMS, ALGORITHM_FACTS, isAlgorithm, type Algorithm } from '../src/contract/algorithms';
import type { WinRate } from '../src/engine/eval/win-rate';
import { evaluatePolicies } from '../src/engine/loop/evaluate';
import { DEFAULT_TIE_MARGIN } from '../src/engine/labelers/labeler';
import { runRlhfLoop, DEFAULT_LOOP, type RoundReport } from '../src/engine/loop/rlhf-loop';
import { splitDocuments } from '../src/engine/train/corpus';
import { fail, numberFlag, parseFlags, runMain, useWasm } from './lib/cli';
import { exists, readBytes, writeAtomic } from './lib/files';
import { labelerFromSpec } from './lib/labeler-module';
import { loadModel } from './lib/models';
import { storyOpenings } from './lib/samples';
import { smallMultiplesSvg } from '../src/ui/svg-chart';

const USAGE =
  'npm run rlhf -- --labeler NAME|RULE|PATH --labels N --algo ppo|grpo|rloo|dpo|sft --iterations M --seed S --out DIR [--checkpoint PATH] [--beta B] [--kl-target NATS] [--kl-horizon SAMPLES] [--kl-budget NATS] [--lr X] [--policy-iterations K] [--label-rounds K] [--active | --contrast] [--eval-samples N] [--heldout FILE] [--reference PATH] [--tie-margin X] [--top-k K] [--top-p P] [--unmatched-logprobs]';

function options() {
  const f = parseFlags(
    {
      labeler: { type: 'string' },
      labels: { type: 'string' },
      algo: { type: 'string', default: 'ppo' },
      iterations: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      checkpoint: { type: 'string' },
      beta: { type: 'string' },
      lr: { type: 'string' },
      'kl-target': { type: 'string' },
      'kl-horizon': { type: 'string' },
      'kl-budget': { type: 'string' },
      'policy-iterations': { type: 'string' },
      'label-rounds': { type: 'string' },
      active: { type: 'boolean', default: false },
      contrast: { type: 'boolean', default: false },
      'eval-samples': { type: 'string' },
      heldout: { type: 'string' },
      reference: { type: 'string' },
      'tie-margin': { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      'unmatched-logprobs': { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (f.labeler === undefined || f.out === undefined)
    fail({ code: 'CLI_REQUIRED', params: { flags: ['--labeler', '--out'], usage: USAGE } });
  if (f.heldout !== undefined && !exists(f.heldout))
    fail({ code: 'CLI_MISSING', params: { path: f.heldout, what: 'heldout' } });
  // A simulated labeler compares and rates; it writes no demonstrations.
  const labelerCanTeach = (a: Algorithm): boolean => ALGORITHM_FACTS[a].minDemonstrations === 0;
  if (!isAlgorithm(f.algo) || !labelerCanTeach(f.algo))
    fail({
      code: 'CLI_CHOICE',
      params: {
        flag: '--algo',
        choices: ALGORITHMS.filter(labelerCanTeach),
        got: f.algo,
        note: 'sftNeedsDemonstrations',
        usage: null,
      },
    });
  const beta = f.beta === undefined ? undefined : numberFlag(f.beta, 'beta', 0, 'nonNegativeNumber');
  const lr = f.lr === undefined ? undefined : numberFlag(f.lr, 'lr', 0, 'positiveNumber');
  const klTarget =
    f['kl-target'] === undefined ? undefined : numberFlag(f['kl-target'], 'kl-target', 0, 'positiveNumber');
  const klBudget =
    f['kl-budget'] === undefined ? undefined : numberFlag(f['kl-budget'], 'kl-budget', 0, 'positiveNumber');
  const klHorizon =
    f['kl-horizon'] === undefined ? undefined : numberFlag(f['kl-horizon'], 'kl-horizon', 0, 'positiveNumber');
  const tieMargin = numberFlag(f['tie-margin'], 'tie-margin', DEFAULT_TIE_MARGIN, { min: 0, max: 0.5, integer: false });
  const topK = numberFlag(f['top-k'], 'top-k', 0, 'nonNegativeInteger');
  const topP = numberFlag(f['top-p'], 'top-p', 1, 'unitUpToOne');
  if (f['unmatched-logprobs'] && topK === 0 && topP === 1)
    fail({ code: 'CLI_FLAG_NEEDS', params: { flag: '--unmatched-logprobs', needs: '--top-k or --top-p' } });
  return {
    labeler: f.labeler,
    tieMargin,
    out: f.out,
    checkpoint: f.checkpoint,
    reference: f.reference,
    heldout: f.heldout,
    loop: {
      algorithm: f.algo as Algorithm,
      labels: numberFlag(f.labels, 'labels', DEFAULT_LOOP.labels, 'positiveInteger'),
      rounds: numberFlag(f.iterations, 'iterations', DEFAULT_LOOP.rounds, 'positiveInteger'),
      policyIterationsPerRound: numberFlag(
        f['policy-iterations'],
        'policy-iterations',
        DEFAULT_LOOP.policyIterationsPerRound,
        'positiveInteger',
      ),
      ...(f['label-rounds'] !== undefined
        ? { labelRounds: numberFlag(f['label-rounds'], 'label-rounds', 0, 'positiveInteger') }
        : {}),
      candidatesPerLabel: f.active || f.contrast ? 4 : 1,
      ...(f.contrast ? { pairSelection: 'contrast' as const } : {}),
      ...(klBudget !== undefined ? { klBudget } : {}),
      seed: numberFlag(f.seed, 'seed', 0, 'nonNegativeInteger'),
      policy: {
        ...(beta !== undefined ? { beta } : {}),
        ...(lr !== undefined ? { learningRate: lr } : {}),
        ...(klTarget !== undefined ? { klTarget } : {}),
        ...(klHorizon !== undefined ? { klHorizon } : {}),
        ...(topK !== 0 || topP !== 1 ? { topK, topP, matchedLogProbs: !f['unmatched-logprobs'] } : {}),
      },
    },
    evalSamples: numberFlag(f['eval-samples'], 'eval-samples', 8, 'positiveInteger'),
  };
}

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
  return `round ${r.round}  labels ${r.labels}  rm-acc ${fmt(r.rewardAccuracy, 2)}  reward ${fmt(m['probe/reward'])}  gold ${fmt(m['probe/gold'])}  kl ${fmt(m['objective/kl'])}  probe-kl ${fmt(m['probe/kl'])}${m['budget/kl'] !== undefined ? `  budget-kl ${fmt(m['budget/kl'])}` : ''}  beta ${fmt(m.beta, 4)}  ${r.seconds.toFixed(0)} s\n`;
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

async function main(): Promise<void> {
  const o = options();
  await useWasm();
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
  const evaluation = await evaluatePolicies(reference, policy, tokenizer, {
    prompts: prompts.evaluation,
    gold: (p, r) => labeler.score(p, r),
    samplesPerPrompt: o.evalSamples,
    maxNewTokens: 48,
    temperature: 0.7,
    seed: o.loop.seed + 12345,
    heldOut: heldOut?.tokens,
  });
  const tax = evaluation.heldOutLossTuned / evaluation.heldOutLossBase - 1;
  const gold = evaluation.gold;
  if (gold === null) throw new Error('the evaluation was given the labeler as its gold score, yet judged nothing');
  const report = {
    command: `npm run rlhf -- ${process.argv.slice(2).join(' ')}`,
    labeler: labeler.id,
    config: { ...o.loop, tieMargin: labeler.tieMargin },
    seconds: (performance.now() - started) / 1000,
    rounds: result.rounds,
    stopped: result.stopped ?? null,
    heldOut:
      heldOut === undefined ? null : { file: heldOut.file, stories: heldOut.stories, tokens: heldOut.tokens.length },
    evaluation: { ...evaluation, alignmentTax: tax, samples: evaluation.samples.slice(0, 12) },
  };
  writeAtomic(join(o.out, 'report.json'), JSON.stringify(report, null, 2));
  writeAtomic(join(o.out, 'comparisons.jsonl'), result.comparisons.map((c) => JSON.stringify(c)).join('\n') + '\n');
  writeAtomic(
    join(o.out, 'policy.safetensors'),
    await saveCheckpoint(policy, {
      name: `${metadata.name}-${o.loop.algorithm}-${labeler.id}`,
      tokenizerFingerprint: tokenizer.fingerprint(),
      info: { parent: metadata.name, evaluation: { winRate: gold.winRate, kl: evaluation.kl } },
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
    `\nevaluation on ${prompts.evaluation.length} held-out prompts x ${o.evalSamples}: gold win-rate ${winRateText(gold.winRate)}  gold ${fmt(gold.base)} -> ${fmt(gold.tuned)}  KL ${fmt(evaluation.kl, 2)} nats  held-out loss ${fmt(evaluation.heldOutLossBase)} -> ${fmt(evaluation.heldOutLossTuned)} (${fmt(tax * 100, 1)}%)  distinct-2 ${fmt(evaluation.distinct2Base)} -> ${fmt(evaluation.distinct2Tuned)}\n`,
  );
  process.stdout.write(
    heldOut === undefined
      ? `no held-out text (no heldout.txt beside the checkpoint; give --heldout FILE): alignment tax not measured\n`
      : `held-out loss on ${heldOut.file}: ${heldOut.stories} stories, ${heldOut.tokens.length} tokens\n`,
  );
  result.reward.dispose();
  [policy, reference].forEach((m) => m.dispose());
}

runMain(main);
