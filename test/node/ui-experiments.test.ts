// The experiments against the real worker host (tiny seeded model, in-memory workspaces, shrunk by
// limits so they run in seconds): an experiment opens in a workspace of its own and runs in a
// session of its own, so the person's labels, runs, reward model and policy are exactly as they
// were afterwards; its explanation quotes its own measured numbers; a cancel stops it cleanly and
// leaves the engine free; an experiment whose rollout the engine cannot sample yet is refused.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/contract/generation-settings';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { whatHappened } from '../../src/ui/strings/experiments';
import type { Workspace } from '../../src/ui/workspace';
import { WorkerRequestError, type EngineClient } from '../../src/workers/client';
import { BASE_URL, closePages, openPage, shippedModels } from '../helpers/page-host';
import { EXPERIMENTS } from '../../src/contract/experiments';
import { Tokenizer, builtinLabeler, loadCheckpoint } from '../../src/engine';
import { runExperiment } from '../../src/engine/loop/experiment';

afterEach(closePages);

const story = 'the dog ran to the park. the cat was happy. a bird sang a song. the girl saw a big tree. ';
const tokenizer = Tokenizer.train(story.repeat(10), { vocabSize: 300 });
const limits = { labels: 8, iterations: 3, maxNewTokens: 6 };

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** What the person's run holds: labels and runs in storage, and what the policy and reward model say. */
async function snapshot(workspace: Workspace, client: EngineClient) {
  const greedy = { ...DEFAULT_SETTINGS, maxNewTokens: 8, greedy: true, seed: 5 };
  return {
    comparisons: await workspace.listComparisons(),
    runs: await workspace.listRuns(),
    checkpoints: (await workspace.listCheckpoints()).map((c) => c.id),
    text: (await client.generate('the dog', greedy)).text,
    // No reward model yet: the person's session still has none afterwards.
    score: await client.scoreText('the cat', ' was happy.').then(
      (s) => s.score,
      (err: unknown) => (err instanceof WorkerRequestError ? err.code : 'other'),
    ),
  };
}

describe('experiments in a workspace of their own', () => {
  it('runs one to its explanation and leaves the person’s run exactly as it was', async () => {
    const workspace = memoryWorkspace();
    const files = await shippedModels(tokenizer, [{ id: 't', title: 'T', seed: 3 }]);
    const { p, client, addresses } = await openPage(workspace, files, '?stage=tune&tokens=6&ppi=2&spp=2', false, {
      limits,
    });
    // The person's own run: four labels of their own, a reward model, two iterations.
    p.reward.autoTrain = false;
    for (const [a, b] of [
      ['the cat was happy.', 'the dog ran.'],
      ['a bird sang a song.', 'the girl saw.'],
      ['the park was big.', 'a tree.'],
      ['the dog was happy.', 'the cat ran.'],
    ])
      await workspace.addComparison({
        prompt: 'the dog',
        a,
        b,
        choice: 'a',
        labeler: 'human',
        createdAt: Date.now(),
        modelA: 'base',
        modelB: 'base',
        decisionMs: null,
      });
    await p.labelsChanged(false);
    expect(await p.reward.train()).toBe(true);
    expect(await p.tune.play(2)).toBe(true);
    const before = await snapshot(workspace, client);
    const pointsBefore = p.tune.points;
    const tensorsBefore = tf.memory().numTensors;

    expect(await p.experiments.openAndRun('reward-hacking')).toBe(true);
    // The experiment's session (policy, reference, reward model, optimiser) is freed at its end.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const e = p.experiments;
    expect(e.status).toBe('done');
    expect(addresses.at(-1)).toContain('experiment=reward-hacking');
    expect(addresses.at(-1)).toContain('stage=tune');
    // Its labels and its run went to its own workspace, not the person's.
    expect(e.workspace).not.toBeNull();
    expect(e.workspace).not.toBe(workspace);
    const labels = await e.workspace!.listComparisons();
    expect(labels).toHaveLength(limits.labels);
    expect(labels.every((c) => c.labeler === 'happy-endings')).toBe(true);
    const [run] = await e.workspace!.listRuns();
    expect(run.kind).toBe('experiment');
    expect(run.points.map((pt) => pt.step)).toEqual([1, 2, 3]);
    expect(e.points.beta0.map((pt) => pt.iteration)).toEqual([1, 2, 3]);
    expect(e.reward).not.toBeNull();
    expect(e.samples.length).toBeGreaterThan(0);
    expect(e.done).toBe(e.total);

    // The explanation reads the run's own numbers.
    expect(e.readings.map((r) => r.metric)).toEqual(['objective/scores', 'gold/score']);
    for (const r of e.readings) {
      expect(Number.isFinite(r.from) && Number.isFinite(r.to)).toBe(true);
      const values = e.points.beta0.map((pt) => pt.metrics[r.metric]);
      expect(r.from).toBeCloseTo(values[0], 10);
      expect(r.to).toBeCloseTo(values[2], 10);
    }
    const lines = whatHappened(e.readings, e.armReadings, 1);
    expect(lines[0]).toContain(e.readings[0].to.toFixed(2));
    expect(lines[0]).toContain(e.readings[1].from.toFixed(2));
    expect(lines[0]).toContain(' while ');

    // Nothing of the person's run changed: storage, policy and reward model.
    expect(await snapshot(workspace, client)).toEqual(before);
    expect(p.tune.points).toBe(pointsBefore);

    // One step back, on the stage the person left.
    p.backToRun();
    expect(e.view).toBeNull();
    expect(e.workspace).toBeNull();
    expect(p.stage).toBe('tune');
    expect(addresses.at(-1)).not.toContain('experiment=');
    expect(await snapshot(workspace, client)).toEqual(before);
  });

  it('cancels a running experiment cleanly, says so, and leaves the engine free', async () => {
    const workspace = memoryWorkspace();
    const files = await shippedModels(tokenizer, [{ id: 't', title: 'T', seed: 3 }]);
    const { p, client } = await openPage(workspace, files, '?stage=label&tokens=6', false, {
      limits: { labels: 8, iterations: 50, maxNewTokens: 6 },
    });
    const before = await snapshot(workspace, client);
    const tensorsBefore = tf.memory().numTensors;
    const e = p.experiments;
    const running = e.openAndRun('dpo-vs-ppo');
    await until(() => (e.points.ppo?.length ?? 0) >= 1, 'the first PPO iteration');
    e.cancel();
    expect(await running).toBe(false);
    expect(e.status).toBe('cancelled');
    expect(e.problem).toBeNull();
    const kept = e.points.ppo.length;
    expect(kept).toBeLessThan(50);
    await new Promise((r) => setTimeout(r, 300));
    expect(e.points.ppo.length).toBe(kept);
    // The engine answers the person's requests again (the cancelled run's session freed), and their run is as it was.
    expect(await snapshot(workspace, client)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // Run again from the start, in a fresh workspace when reopened.
    const first = e.workspace;
    void e.openAndRun('lr-collapse');
    expect(e.workspace).not.toBe(first);
    e.cancel();
    await until(() => e.status === 'cancelled', 'the second cancel');
    p.backToRun();
    expect(p.stage).toBe('label');
  });

  it('runs the negative-KL experiment with the CLI’s runner: the same numbers as npm run experiment', async () => {
    const files = await shippedModels(tokenizer, [{ id: 't', title: 'T', seed: 3 }]);
    const { p, client } = await openPage(memoryWorkspace(), files, '', false, { limits });
    const asked: { seed: number; prompts: string[] }[] = [];
    const run = client.runExperiment.bind(client);
    client.runExperiment = (id, seed, prompts, l, o) => {
      asked.push({ seed, prompts });
      return run(id, seed, prompts, l, o);
    };
    const e = p.experiments;
    expect(await e.openAndRun('negative-kl')).toBe(true);
    for (const arm of ['broken', 'fixed']) {
      expect(e.points[arm].map((pt) => pt.iteration)).toEqual([1, 2, 3]);
      for (const pt of e.points[arm]) expect(Number.isFinite(pt.metrics['objective/kl']), arm).toBe(true);
    }

    // The engine's runner, as `npm run experiment` calls it, on the same model, seed and prompts.
    const bytes = new Uint8Array(await (await files[`${BASE_URL}t.safetensors`]()).arrayBuffer());
    const policy = loadCheckpoint(bytes).model;
    const cli = await runExperiment(
      EXPERIMENTS['negative-kl'],
      { policy, codec: tokenizer, labeler: builtinLabeler('happy-endings'), prompts: asked[0].prompts },
      {
        seed: asked[0].seed,
        overrides: {
          labels: limits.labels,
          iterations: limits.iterations,
          policy: { maxNewTokens: limits.maxNewTokens },
        },
      },
    );
    policy.dispose();
    // Everything but the timings.
    const measured = (m: Record<string, number>) => Object.entries(m).filter(([k]) => !k.startsWith('time/'));
    for (const arm of cli.arms)
      expect(e.points[arm.key].map((pt) => measured(pt.metrics))).toEqual(
        arm.iterations.map((it) => measured(it.metrics)),
      );
    expect(e.flipped).toBe(cli.flipped);
  });

  it('puts DPO and PPO on the same metrics, iteration by iteration, and compares them in words', async () => {
    const files = await shippedModels(tokenizer, [{ id: 't', title: 'T', seed: 3 }]);
    const { p } = await openPage(memoryWorkspace(), files, '', false, { limits });
    const e = p.experiments;
    const tensorsBefore = tf.memory().numTensors;
    expect(await e.openAndRun('dpo-vs-ppo')).toBe(true);
    // Each arm's reward model (the first one put back, PPO's retrained halfway) is freed with the session.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    for (const arm of ['ppo', 'dpo']) {
      expect(e.points[arm].map((pt) => pt.iteration)).toEqual([1, 2, 3]);
      for (const pt of e.points[arm])
        for (const metric of ['gold/score', 'objective/kl', 'eval/distinct_2'])
          expect(Number.isFinite(pt.metrics[metric]), `${arm} ${metric}`).toBe(true);
    }
    // DPO's samples are the fresh ones that measured it.
    expect(e.samples.some((s) => s.arm === 'dpo')).toBe(true);
    const lines = whatHappened(e.readings, e.armReadings, 2);
    expect(lines.some((l) => l.startsWith('PPO:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('DPO:'))).toBe(true);
    const dpoGold = e.armReadings.find((r) => r.arm === 'dpo' && r.metric === 'gold/score')!;
    expect(lines.join(' ')).toContain(dpoGold.to.toFixed(2));
  });

  it('runs the experiment a link names once the session has started', async () => {
    const files = await shippedModels(tokenizer, [{ id: 't', title: 'T', seed: 3 }]);
    const { p } = await openPage(memoryWorkspace(), files, '?experiment=bad-labels', false, { limits });
    await until(() => p.experiments.status === 'done' || p.experiments.status === 'failed', 'the experiment');
    const e = p.experiments;
    expect(e.problem).toBeNull();
    expect(e.points.noisy).toHaveLength(limits.iterations);
    expect(e.reward?.heldOut).toBeGreaterThanOrEqual(0);
    // Its reward model is not frozen: half as many fresh labels halfway, then a retraining.
    expect(await e.workspace!.listComparisons()).toHaveLength(limits.labels + limits.labels / 2);
    expect(e.labels).toBe(limits.labels + limits.labels / 2);
    expect(e.done).toBe(e.total);
  });
});
