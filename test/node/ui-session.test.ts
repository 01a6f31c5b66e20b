// The playground's state classes driving the real worker host over a MessageChannel (every
// message structured-cloned, as between page and worker), with a tiny random model and the
// in-memory workspace: label by keyboard, undo, train the reward model, tune with pause and resume,
// compare, then "reload" (a new host, client and Playground on the same workspace) and find the
// labels, the tuned policy and its chart where they were.
import { afterEach, describe, expect, it } from 'vitest';
import { GPT, GPT_PRESETS, Tokenizer, saveCheckpoint } from '../../src/engine';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { parsePageSetup } from '../../src/ui/page-setup';
import { Playground } from '../../src/ui/playground.svelte';
import type { KeyPress } from '../../src/ui/shortcuts';
import { messageText } from '../../src/ui/strings/messages';
import { WorkerRequestError } from '../../src/workers/client';
import { DEFAULT_SETTINGS } from '../../src/contract/generation-settings';
import { builtinLabeler } from '../../src/engine/labelers/builtins';
import { noticeableDifference } from '../../src/engine/labelers/marks';
import { closePages, openPage, shippedModels } from '../helpers/page-host';

afterEach(closePages);

const story = 'the dog ran to the park. the cat was happy. a bird sang a song. the girl saw a big tree. ';
const tokenizer = Tokenizer.train(story.repeat(10), { vocabSize: 300 });

/** One shipped model, "T": a tiny seeded GPT on the story tokenizer. */
const modelFiles = () => shippedModels(tokenizer, [{ id: 't', title: 'T', seed: 3 }]);
const open = openPage;

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const key = (k: string, ctrlKey = false): KeyPress => ({
  key: k,
  ctrlKey,
  metaKey: false,
  altKey: false,
  target: null,
});

describe('the playground against the real worker host', () => {
  it('labels by keyboard, trains, tunes with pause, compares, and survives a reload', async () => {
    const workspace = memoryWorkspace();
    const files = await modelFiles();
    const query = '?stage=label&tokens=6&ppi=2&spp=2&seed=7';
    const { p, client } = await open(workspace, files, query);
    expect(p.ready).toBe(true);
    expect(p.problem).toBeNull();
    expect(p.labelers.map((l) => l.id)).toContain('happy-endings');
    p.reward.autoTrain = false;

    // 1. Six pairs by keyboard: A, B, tie, skip, A, B; then undo the last one.
    for (const k of ['1', '2', '3', 's', '1', '2']) {
      await until(() => p.label.pair !== null && !p.label.saving, 'a pair to label');
      const shown = p.label.pair;
      expect(p.handleKey(key(k))).toBe(true);
      await until(() => p.label.pair !== shown && !p.label.saving, 'the next pair');
    }
    await until(() => p.counts.comparisons === 5, 'five decided labels');
    expect(p.counts.skips).toBe(1);
    expect((await workspace.listComparisons()).map((c) => c.choice)).toEqual(['b', 'a', 'skip', 'tie', 'b', 'a']);
    expect((await workspace.listComparisons())[0].modelA).toBe('base');
    const last = (await workspace.listComparisons())[0];
    p.handleKey(key('z', true));
    // The count drops when storage deletes the label, a tick before undo() puts the pair back.
    await until(
      () => p.counts.comparisons === 4 && p.label.pair?.a === last.a,
      'the undo and the undone pair on screen',
    );
    expect(p.label.pair).toMatchObject({ prompt: last.prompt, a: last.a, b: last.b });

    // 2. The reward model learns from the stored labels.
    expect(await p.reward.train()).toBe(true);
    expect(p.reward.trainedLabels).toBe(4);
    expect(p.reward.curve.losses.length).toBeGreaterThan(0);
    expect(p.reward.history).toHaveLength(1);

    // 3. PPO iterations, paused at an iteration boundary and resumed.
    const runs = 12;
    const playing = p.tune.play(runs);
    await until(() => p.tune.points.length >= 1 || p.tune.problem !== null, 'the first iteration');
    expect(p.tune.problem).toBeNull();
    await p.tune.pause();
    expect(p.tune.paused).toBe(true);
    // The iteration under way when the pause arrived finishes; then nothing more runs.
    await new Promise((r) => setTimeout(r, 400));
    const held = p.tune.points.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(p.tune.points.length).toBe(held);
    expect(held).toBeLessThan(runs);
    await p.tune.resume();
    expect(await playing).toBe(true);
    expect(p.tune.points.map((pt) => pt.iteration)).toEqual(Array.from({ length: runs }, (_, i) => i + 1));
    expect(Number.isFinite(p.tune.latest?.['objective/kl'])).toBe(true);
    expect(p.tune.latest?.['gold/score']).toEqual(expect.any(Number));
    const sample = p.tune.stream[0];
    expect(sample.logProbs).toHaveLength(sample.tokens.length);
    expect(sample.kl).toHaveLength(sample.tokens.length);
    expect(p.tune.checkpointId).not.toBeNull();
    expect(p.tune.version).toBe(`tuned-${runs}`);

    // 4. Base against the tuned policy on the held-out prompts, 8 samples each, judged by the
    // reward model. The labels came from the keyboard, so no simulated labeler's gold score is
    // shown, although the page's labeler for autopilot is set; until one is picked as a yardstick.
    p.stage = 'compare';
    await p.compare.run();
    expect(p.compare.problem).toBeNull();
    const { evaluation, yardstick } = p.compare.result!;
    expect(yardstick).toBeNull();
    expect(evaluation.gold).toBeNull();
    expect(evaluation.samples).toHaveLength(2 * 8);
    expect(evaluation.reward!.winRate).toMatchObject({ pairs: 16, groups: 2 });
    expect(evaluation.samples.every((s) => s.rewardTuned !== null && s.goldTuned === null)).toBe(true);
    p.compare.pickYardstick('happy-endings');
    await p.compare.run();
    expect(p.compare.result!.yardstick).toBe('happy-endings');
    expect(p.compare.result!.evaluation.gold!.winRate.pairs).toBe(16);
    // With a yardstick, the reward model is checked against its gold score on the same pairs.
    const judged = p.compare.result!.evaluation;
    expect(evaluation.rewardGoldAgreement).toBeNull();
    // Over the pairs the yardstick's labeler tells apart: a gold difference of at least its noticeable one.
    const noticeable = noticeableDifference(builtinLabeler('happy-endings'));
    const apart = judged.samples.filter((s) => Math.abs(s.goldBase! - s.goldTuned!) >= noticeable);
    expect(judged.rewardGoldAgreement!.pairs).toBe(apart.length);
    // A blind round of fresh pairs, one per held-out prompt, judged with keys 1 and 3; each vote stored.
    await p.compare.startBlind();
    expect(p.compare.blind.items.map((i) => i.prompt)).toEqual(['the girl', 'a big']);
    for (const k of ['1', '3']) {
      const shown = p.compare.blind.item;
      expect(p.handleKey(key(k))).toBe(true);
      await until(() => p.compare.blind.item !== shown, 'the next blind pair');
    }
    expect((await workspace.listVotes()).map((v) => v.choice)).toEqual(['first', 'tie']);
    expect(p.compare.blind.tally.winRate!.pairs).toBe(2);
    p.stage = 'label';
    const settings = { ...DEFAULT_SETTINGS, greedy: true, maxNewTokens: 6 };
    const before = await client.generate('the dog', settings);
    const scoreBefore = await client.scoreText('the dog', ' ran to the park.');
    expect(await workspace.currentCheckpoint('reward')).toMatchObject({ kind: 'reward', metrics: { labels: 4 } });

    // 5. Reload: a fresh worker host and page state on the same storage.
    const again = await open(workspace, files, query);
    expect(again.p.ready).toBe(true);
    expect(again.p.counts).toEqual(p.counts);
    expect(again.p.tune.checkpointId).toBe(p.tune.checkpointId);
    expect(again.p.tune.points).toHaveLength(runs);
    expect(again.p.reward.history).toHaveLength(1);
    // The tuned weights came back: greedy text from the restored policy is the same.
    expect((await again.client.generate('the dog', settings)).tokens).toEqual(before.tokens);
    // The reward model came back from its checkpoint, not retrained: same scores to the bit.
    expect(again.p.reward).toMatchObject({ trained: true, restored: true, training: false, trainedLabels: 4 });
    expect(again.p.reward.history).toHaveLength(1);
    expect(again.p.labelsSinceReward).toBe(0);
    again.p.reward.scorePrompt = 'the dog';
    again.p.reward.scoreResponse = ' ran to the park.';
    await again.p.reward.score();
    expect(again.p.reward.scored).toEqual(scoreBefore);
    // ...and tuning runs on it at once.
    expect(await again.p.tune.play(1)).toBe(true);

    // 6. A new seed restarts the session on it (and into the address), keeping policy and reward model.
    await again.p.setSeed(11);
    expect(again.addresses.at(-1)).toMatch(/seed=11/);
    expect(again.p).toMatchObject({ ready: true, seed: 11 });
    expect(again.p.tune.points).toHaveLength(runs + 1);
    expect(again.p.reward.restored).toBe(true);
  });

  it('trains the model on a dropped text, then starts the session again on it', async () => {
    const workspace = memoryWorkspace();
    const { p, client } = await open(workspace, await modelFiles(), '?tokens=6');
    const before = await client.generate('the dog', { ...DEFAULT_SETTINGS, greedy: true, maxNewTokens: 6 });
    p.pretrain.setFile('mine.txt', Array.from({ length: 12 }, () => story).join('\n\n'));
    p.pretrain.steps = 5;
    await p.pretrain.run();
    expect(p.pretrain.problem).toBeNull();
    expect(p.pretrain.curve.steps).toEqual([1, 2, 3, 4, 5]);
    expect(p.pretrain.result?.validationAfter).toBeLessThan(p.pretrain.result!.validationBefore);
    expect(p.ready).toBe(true);
    const saved = await workspace.currentCheckpoint('policy');
    expect(saved).toMatchObject({ name: 'pretrained on mine.txt', named: true });
    // ...and it is the base model from now on, after a reload too.
    expect((await workspace.runBase())?.source).toEqual({ kind: 'checkpoint', checkpointId: saved!.id });
    const after = await client.generate('the dog', { ...DEFAULT_SETTINGS, greedy: true, maxNewTokens: 6 });
    expect(after.tokens).not.toEqual(before.tokens);
    p.pretrain.setFile('empty.txt', '   ');
    await p.pretrain.run();
    expect(p.pretrain.problem?.code).toBe('BAD_CORPUS');
    expect(p.ready).toBe(true);
  });

  it('makes a saved checkpoint of another shape the base model, and says why a policy cannot be put on it', async () => {
    const workspace = memoryWorkspace();
    const files = await modelFiles();
    const { client } = await open(workspace, files, '?tokens=6');
    const wide = new GPT({ ...GPT_PRESETS.tiny, nEmbd: 32, vocabSize: tokenizer.vocabSize, blockSize: 48 }, 5);
    const bytes = await saveCheckpoint(wide, { name: 'wide', tokenizerFingerprint: tokenizer.fingerprint(), info: {} });
    wide.dispose();
    const id = await workspace.saveCheckpoint(
      'policy',
      { name: 'wide', named: true, bytes, config: {}, tokenizer: JSON.stringify(tokenizer.toJSON()) },
      { makeCurrent: false },
    );
    let used: string | null = null;
    const base = new Playground({
      client,
      workspace,
      setup: parsePageSetup('?tokens=6'),
      writeQuery: () => undefined,
      readQuery: () => '',
      useModel: async (name, b, t) => {
        used = (await client.useModel(name, b, t)).title;
        await base.startSession();
        return true;
      },
    });
    await base.loadPrompts({ train: ['the dog'], evaluation: ['the cat'] });
    await base.useAsBase(id);
    expect(used).toBe('wide');
    expect(base.ready).toBe(true);
    expect(base.tune.checkpointId).toBe(id);
    expect((await client.generate('the dog', { ...DEFAULT_SETTINGS, maxNewTokens: 4 })).tokens.length).toBeGreaterThan(
      0,
    );
    // A policy checkpoint of the narrower shipped shape does not fit the wide base: said, not fatal.
    const narrow = new GPT({ ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize, blockSize: 48 }, 6);
    await workspace.saveCheckpoint('policy', {
      name: 'narrow',
      bytes: await saveCheckpoint(narrow, { name: 'narrow', tokenizerFingerprint: tokenizer.fingerprint(), info: {} }),
      config: {},
    });
    narrow.dispose();
    await base.startSession();
    expect(base.ready).toBe(true);
    expect(base.tune.problem?.code).toBe('BAD_CHECKPOINT');
    expect(base.tune.problem?.message).toMatch(/different model/);
  });

  it('keeps a base model chosen with "use as base" across a reload, until a shipped model is chosen', async () => {
    const workspace = memoryWorkspace();
    const files = await modelFiles();
    const first = await open(workspace, files, '?tokens=6', true);
    expect(first.used).toEqual([]);
    const wide = new GPT({ ...GPT_PRESETS.tiny, nEmbd: 32, vocabSize: tokenizer.vocabSize, blockSize: 48 }, 5);
    const bytes = await saveCheckpoint(wide, { name: 'wide', tokenizerFingerprint: tokenizer.fingerprint(), info: {} });
    wide.dispose();
    // Unnamed, as a tuned policy is: using it as the base names it, so keep-last-N cannot prune it.
    const id = await workspace.saveCheckpoint(
      'policy',
      { name: 'wide', bytes, config: {}, tokenizer: JSON.stringify(tokenizer.toJSON()) },
      { makeCurrent: false },
    );
    await first.p.useAsBase(id);
    expect(first.used).toEqual(['wide']);
    expect(first.p.base.id).toBe(id);
    expect((await workspace.runBase())?.source).toEqual({ kind: 'checkpoint', checkpointId: id });
    expect((await workspace.listCheckpoints('policy')).find((c) => c.id === id)?.named).toBe(true);

    const again = await open(workspace, files, '?tokens=6', true);
    expect(again.used).toEqual(['wide']);
    expect(again.p).toMatchObject({ ready: true, problem: null });
    expect(again.p.base.id).toBe(id);
    // The current policy (the wide base itself) fits the wide model loaded again: no problem.
    expect(again.p.tune.problem).toBeNull();
    expect(again.p.tune.checkpointId).toBe(id);

    // A restored backup whose run is on the shipped model: the page goes back to it, as a reload would.
    await workspace.setRunBase({ source: { kind: 'shipped', modelId: 't' }, weightsHash: null, startedAt: 0 });
    again.p.base.recheck();
    await again.p.startSession();
    expect(again.used).toEqual(['wide', 'shipped T']);
    expect(again.p).toMatchObject({ ready: true, problem: null });
    expect(again.p.base.id).toBeNull();
    again.p.base.recheck();
    await again.p.startSession(); // the shipped model is loaded already: nothing to switch
    expect(again.used).toEqual(['wide', 'shipped T']);
    // A restored backup that names no base while a saved model is loaded: back to the shipped model.
    await again.p.useAsBase(id);
    expect(again.used).toEqual(['wide', 'shipped T', 'wide']);
    await workspace.setRunBase(null);
    again.p.base.recheck();
    await again.p.startSession();
    expect(again.used).toEqual(['wide', 'shipped T', 'wide', 'shipped T']);
    expect(again.p).toMatchObject({ ready: true, problem: null });
    expect((await workspace.runBase())?.source).toEqual({ kind: 'shipped', modelId: 't' });
    expect((await open(workspace, files, '?tokens=6', true)).used).toEqual([]);
  });

  it('says in plain words what is missing before tuning or scoring', async () => {
    const { p, client } = await open(memoryWorkspace(), await modelFiles(), '?tokens=6&ppi=1&spp=2');
    expect(await p.tune.play(1)).toBe(false);
    expect(p.tune.problem?.code).toBe('NO_REWARD_MODEL');
    expect(await p.reward.train()).toBe(false);
    expect(p.reward.problem?.code).toBe('NOT_ENOUGH_LABELS');
    await p.reward.score();
    expect(p.reward.problem?.code).toBe('NO_REWARD_MODEL');
    p.tune.settings.algorithm = 'sft';
    expect(await p.tune.play(1)).toBe(false);
    expect(p.tune.problem?.message).toMatch(/demonstrations/);
    // Comparing needs neither a reward model nor a simulated labeler: it says what judged the pairs.
    await client.setLabeler(null);
    await p.compare.run();
    expect(p.compare.problem).toBeNull();
    expect(p.compare.result?.evaluation).toMatchObject({ reward: null, gold: null });
  });

  it('a reward model that could not be trained is never tuned against: tuning says what to label first', async () => {
    const { p, client } = await open(memoryWorkspace(), await modelFiles(), '?tokens=6&ppi=1&spp=2');
    // Two star ratings of responses to different prompts: labels, but no pair to learn from.
    const ratings = [
      { id: 1, prompt: 'the dog', response: ' ran', stars: 5 as const, labeler: 'human', ended: false },
      { id: 2, prompt: 'the cat', response: ' sat', stars: 1 as const, labeler: 'human', ended: true },
    ];
    await client.setLabels({ comparisons: [], ratings, demonstrations: [] });
    const train = await client.trainReward(['the dog']).catch((e: unknown) => e);
    expect(train).toMatchObject({ code: 'NOT_ENOUGH_LABELS' });
    expect(messageText((train as WorkerRequestError).detail)).toMatch(
      /2 star ratings form none yet: rate a second response to the same prompt/,
    );
    for (const algorithm of ['ppo', 'grpo', 'rloo'] as const) {
      p.tune.settings.algorithm = algorithm;
      expect(await p.tune.play(1), algorithm).toBe(false);
      expect(p.tune.problem?.code, algorithm).toBe('NO_REWARD_MODEL');
      expect(p.tune.problem?.message, algorithm).toMatch(/rate a second response to the same prompt/);
    }
    // Comparisons give pairs to train on: now it trains, and tuning runs against the trained model.
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    const comparisons = ids.map((id) => ({
      id,
      prompt: 'the dog',
      a: ' ran',
      b: ' sat',
      choice: 'a' as const,
      labeler: 'human',
    }));
    await client.setLabels({ comparisons, ratings, demonstrations: [] });
    expect((await client.trainReward(['the dog'])).labels).toBe(10);
    p.tune.settings.algorithm = 'ppo';
    expect(await p.tune.play(1)).toBe(true);
  });
});
