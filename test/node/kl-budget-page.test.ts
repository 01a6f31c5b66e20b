// The KL budget as a Tune setting, through the page's state, the client, the real worker host and
// the session: a budget the first iteration passes undoes that iteration (the policy's weights are
// byte for byte what they were), stops the run and shows the KL_BUDGET_STOPPED notice; a roomy
// budget changes nothing but adds its metric to every point; no budget leaves the metric out.
import { afterEach, describe, expect, it } from 'vitest';
import { Tokenizer } from '../../src/engine';
import { DEFAULT_TUNE, isTuneSettings, sanitizeTune } from '../../src/contract/tune-settings';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { formatPageSetup, parsePageSetup } from '../../src/ui/page-setup';
import type { KeyPress } from '../../src/ui/shortcuts';
import { messageText } from '../../src/ui/strings/messages';
import { closePages, openPage, shippedModels } from '../helpers/page-host';

afterEach(closePages);

const story = 'the dog ran to the park. the cat was happy. a bird sang a song. the girl saw a big tree. ';
const tokenizer = Tokenizer.train(story.repeat(10), { vocabSize: 300 });
const modelFiles = () => shippedModels(tokenizer, [{ id: 't', title: 'T', seed: 3 }]);

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const key = (k: string): KeyPress => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: null });

describe('the KL budget setting', () => {
  it('is off by default, travels in the link as budget=, and is range-checked', () => {
    expect(DEFAULT_TUNE.klBudget).toBe(0);
    const setup = parsePageSetup('?budget=2.5');
    expect(setup.tune.klBudget).toBe(2.5);
    expect(formatPageSetup(setup)).toBe('?budget=2.5');
    expect(parsePageSetup('?budget=-3').tune.klBudget).toBe(0);
    expect(isTuneSettings({ ...DEFAULT_TUNE, klBudget: -1 })).toBe(false);
    expect(isTuneSettings({ ...DEFAULT_TUNE, klBudget: 3 })).toBe(true);
    expect(sanitizeTune({ klBudget: 80 }).klBudget).toBe(50);
  });

  it('undoes the iteration that passes it, stops the run and says so; a roomy one changes nothing', async () => {
    const workspace = memoryWorkspace();
    const files = await modelFiles();
    // DPO needs no reward model: four labelled pairs are enough to tune.
    const { p, client } = await openPage(workspace, files, '?stage=label&algo=dpo&lr=0.01&tokens=6&iters=3');
    p.reward.autoTrain = false;
    for (const k of ['1', '2', '1', '2']) {
      await until(() => p.label.pair !== null && !p.label.saving, 'a pair to label');
      const shown = p.label.pair;
      expect(p.handleKey(key(k))).toBe(true);
      await until(() => p.label.pair !== shown && !p.label.saving, 'the next pair');
    }
    await until(() => p.counts.comparisons === 4, 'four labels');
    // The checkpoint's tensor bytes, after its safetensors header (which carries a timestamp).
    const weights = async (): Promise<Uint8Array> => {
      const bytes = new Uint8Array((await client.savePolicy('probe')).bytes);
      const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      return bytes.slice(8 + headerLength);
    };
    const before = await weights();

    // A budget far below what one iteration reaches: that iteration is undone and the run ends.
    p.tune.settings.klBudget = 1e-6;
    expect(await p.tune.play()).toBe(true);
    expect(p.tune.problem).toBeNull();
    expect(p.tune.points).toHaveLength(0);
    const stop = p.tune.budgetStop!;
    expect(stop.code).toBe('KL_BUDGET_STOPPED');
    expect(stop.params).toMatchObject({ budget: 1e-6, iteration: 1, keptKl: 0 });
    expect(stop.params.kl).toBeGreaterThan(1e-6);
    expect(messageText(stop)).toContain('KL budget');
    expect(await weights()).toEqual(before);

    // A roomy budget: all iterations run, each point carries the KL the budget measured.
    p.tune.settings.klBudget = 50;
    expect(await p.tune.play()).toBe(true);
    expect(p.tune.budgetStop).toBeNull();
    expect(p.tune.points.map((pt) => pt.iteration)).toEqual([1, 2, 3]);
    expect(p.tune.points.every((pt) => pt.metrics['budget/stopped'] === 0)).toBe(true);
    expect(p.tune.latest?.['budget/kl']).toBeGreaterThan(0);
    expect(await weights()).not.toEqual(before);

    // No budget: no budget metric.
    p.tune.settings.klBudget = 0;
    expect(await p.tune.play(1)).toBe(true);
    expect(p.tune.latest?.['budget/kl']).toBeUndefined();
  }, 120_000);
});
