// Who labelled: the person's labeler name on every label, and second opinions (pairs asked again)
// with Cohen's kappa between first answers and second opinions, against a kappa worked out by hand;
// and an import that would skip stored labels waits for the person's word.
import { describe, expect, it } from 'vitest';
import type { PairRequest } from '../../src/engine';
import { secondOpinionAgreement, type TimedPair } from '../../src/ui/agreement';
import { DataState } from '../../src/ui/data-state.svelte';
import { noConverter } from '../helpers/no-converter';
import { LabelState } from '../../src/ui/label-state.svelte';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { labelers } from '../../src/ui/strings';
import { idbWorkspace, type Workspace } from '../../src/ui/workspace';
import type { ImportNotice } from '../../src/storage/label-matches';
import { comparison, scratchDB } from './storage-fixtures';
import type { Answer, Question } from '../../src/contract/protocol';

/** A worker client that answers at once: pairs a1/b1, a2/b2...; the simulated labeler always says B. */
class FakeClient {
  pairs = 0;

  async samplePair(prompts: string[]): Promise<PairRequest> {
    this.pairs++;
    const pair = { prompt: prompts[0], a: `a${this.pairs}`, b: `b${this.pairs}`, aEnded: false, bEnded: true };
    return { ...pair, reason: { kind: 'random' } as const, uncertainty: null };
  }

  async sampleOne(prompt: string): Promise<{ text: string; ended: boolean }> {
    return { text: `${prompt} response`, ended: false };
  }

  async judge(q: Question): Promise<Answer> {
    return q.kind === 'compare'
      ? { kind: 'compare', choice: 'b', pA: 0.2, labeler: 'sim' }
      : { kind: 'rate', stars: 4, labeler: 'sim' };
  }
}

/** A repeating sequence in [0, 1), so which pair is asked again (and its sides) is fixed. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

function labelState(workspace: Workspace = memoryWorkspace()) {
  const label = new LabelState({
    client: new FakeClient(),
    workspace,
    prompts: () => ['once'],
    maxNewTokens: () => 16,
    modelVersion: () => 'base',
    changed: async () => undefined,
    pause: async () => undefined,
    random: sequence([0.7, 0.2, 0.1, 0.9, 0.5, 0.3]),
  });
  return { label, workspace };
}

/** Answers the pair on screen by content: `preferred` is the response text to pick, or 'tie'. */
async function answer(label: LabelState, preferred: string): Promise<void> {
  const pair = label.pair!;
  await label.choose(preferred === 'tie' ? 'tie' : pair.a === preferred ? 'a' : 'b');
}

/** Which first pair (1, 2...) is on screen, whichever side each response is shown on. */
const shownIndex = (pair: PairRequest) => Number((pair.a + pair.b).replace(/[ab]/g, '').slice(0, 1));

describe('the labeler name', () => {
  it('is written on every label, kept in the settings, and refused when empty or too long', async () => {
    const { label, workspace } = labelState();
    await label.labeler.load();
    expect(label.labeler.value).toBe('human');
    await label.setLabelerName('  alice ');
    expect(label.labeler.value).toBe('alice');
    expect(await workspace.labelerName()).toBe('alice');

    await label.next();
    await label.choose('a');
    await label.saveEdit('a better ending');
    await label.setMode('stars');
    await label.rate(5);
    expect((await workspace.listComparisons()).map((c) => c.labeler)).toEqual(['alice']);
    expect((await workspace.listDemonstrations()).map((d) => d.labeler)).toEqual(['alice']);
    expect((await workspace.listRatings()).map((r) => r.labeler)).toEqual(['alice']);
    expect(label.news).toEqual({ kind: 'rated', stars: 5, labeler: 'alice' });

    await label.setLabelerName('   ');
    expect(label.labeler.refused).toBe('empty');
    await label.setLabelerName('x'.repeat(201));
    expect(label.labeler.refused).toBe('tooLong');
    expect(label.labeler.value).toBe('alice');
    expect(await workspace.labelerName()).toBe('alice');

    // After a reload the same workspace gives the name back.
    const again = labelState(workspace).label;
    await again.labeler.load();
    expect(again.labeler.value).toBe('alice');
  });
});

describe('second opinions', () => {
  it('re-asks stored pairs under the new name, marks them, and the Data stage measures kappa', async () => {
    const { label, workspace } = labelState();
    await label.next();
    // human: pair 1 -> a1, pair 2 -> b2, pair 3 -> a3, pair 4 -> tie.
    for (const preferred of ['a1', 'b2', 'a3', 'tie']) await answer(label, preferred);
    await label.setLabelerName('bob');
    await label.setSecondOpinion(true);
    // bob: agrees on 1, 3 and 4, prefers a2 on pair 2.
    const bob: Record<number, string> = { 1: 'a1', 2: 'a2', 3: 'a3', 4: 'tie' };
    const asked: number[] = [];
    let swapped = 0;
    while (label.pair !== null) {
      expect(label.showsSecondOpinion).toBe(true);
      const n = shownIndex(label.pair);
      asked.push(n);
      if (label.pair.a.startsWith('b')) swapped++;
      await answer(label, bob[n]);
    }
    expect(asked.sort()).toEqual([1, 2, 3, 4]);
    expect(swapped).toBeGreaterThan(0);
    expect(label.nothingToReask).toBe(true);
    const reasks = (await workspace.listComparisons()).filter((c) => c.secondOpinion === true);
    expect(reasks.map((c) => c.labeler)).toEqual(['bob', 'bob', 'bob', 'bob']);

    // human [a, b, a, tie] against bob [a, a, a, tie]: p_o = 3/4; p_e = 2/4*3/4 + 1/4*0 + 1/4*1/4 = 7/16;
    // kappa = (3/4 - 7/16) / (1 - 7/16) = 5/9.
    const data = new DataState({ workspace, converter: noConverter, changed: async () => undefined });
    await data.refresh();
    expect(data.secondOpinions).toHaveLength(1);
    expect(data.secondOpinions[0]).toMatchObject({ labelers: ['human', 'bob'], pairs: 4, observed: 0.75 });
    expect(data.secondOpinions[0].kappa).toBeCloseTo(5 / 9, 12);
  });

  it('undo puts a second opinion back still marked; leaving the mode shows fresh pairs again', async () => {
    const { label, workspace } = labelState();
    await label.next();
    await answer(label, 'a1');
    await label.setSecondOpinion(true);
    const shown = label.pair;
    await label.choose('b');
    expect(label.pair).toBeNull();
    await label.undo();
    expect(label.pair).toBe(shown);
    expect(label.showsSecondOpinion).toBe(true);
    await label.choose('a');
    const stored = await workspace.listComparisons({ order: 'oldest' });
    expect(stored.map((c) => [c.labeler, c.secondOpinion ?? false])).toEqual([
      ['human', false],
      ['human', true],
    ]);
    await label.setSecondOpinion(false);
    expect(label.showsSecondOpinion).toBe(false);
    expect(label.pair?.reason).toEqual({ kind: 'random' });
  });

  it('autopilot gives second opinions as the simulated labeler, and stops when none is left', async () => {
    const { label, workspace } = labelState();
    await label.next();
    await answer(label, 'a1');
    await answer(label, 'a2');
    await label.setSecondOpinion(true);
    await label.setAutopilot(true);
    expect(label.autopilot).toBe(false);
    const reasks = (await workspace.listComparisons()).filter((c) => c.secondOpinion === true);
    expect(reasks.map((c) => c.labeler)).toEqual(['sim', 'sim']);
    const data = new DataState({ workspace, converter: noConverter, changed: async () => undefined });
    await data.refresh();
    expect(data.secondOpinions.map((a) => [a.labelers, a.pairs])).toEqual([[['human', 'sim'], 2]]);
  });
});

describe("Cohen's kappa of second opinions", () => {
  const at = (createdAt: number, choice: TimedPair['choice'], labeler: string, over: Partial<TimedPair> = {}) => ({
    prompt: 'p',
    a: 'x',
    b: 'y',
    choice,
    labeler,
    createdAt,
    ...over,
  });

  it('sets each second opinion against the first answer, per labeler pair, a person against themselves too', () => {
    const labels: TimedPair[] = [
      at(1, 'a', 'human', { prompt: 'p1' }),
      at(2, 'b', 'human', { prompt: 'p2' }),
      at(3, 'skip', 'human', { prompt: 'p3' }),
      // Asked again of the same person, sides swapped for p1: "b" on the swapped pair is "a".
      at(10, 'b', 'human', { prompt: 'p1', a: 'y', b: 'x', secondOpinion: true }),
      at(11, 'a', 'human', { prompt: 'p2', secondOpinion: true }),
      // A second opinion of a skipped pair has no first answer to compare with.
      at(12, 'a', 'human', { prompt: 'p3', secondOpinion: true }),
      // A later first-style label of p1 by someone else is not the first answer.
      at(13, 'b', 'alice', { prompt: 'p1' }),
      at(14, 'a', 'alice', { prompt: 'p1', secondOpinion: true }),
    ];
    // human against themselves: (a, a), (b, a): p_o = 1/2; first a 1/2, b 1/2; second a 1.
    // p_e = 1/2*1 = 1/2; kappa = 0. alice on human's pair: one pair (a, a), chance 1: undefined.
    expect(secondOpinionAgreement(labels)).toEqual([
      { labelers: ['human', 'alice'], pairs: 1, observed: 1, kappa: null },
      { labelers: ['human', 'human'], pairs: 2, observed: 0.5, kappa: 0 },
    ]);
  });
});

describe('a label import that would skip stored labels', () => {
  const newLine = JSON.stringify({ prompt: 'new', chosen: ' x', rejected: ' y', labeler: 'human' });

  async function withStored() {
    const workspace = idbWorkspace(await scratchDB());
    await workspace.addComparison(comparison());
    let changes = 0;
    const data = new DataState({ workspace, converter: noConverter, changed: async () => void changes++ });
    const files = [...(await workspace.exportLabels()), { name: 'new.jsonl', text: newLine }];
    return { workspace, data, files, changes: () => changes };
  }

  it('says which labels would be skipped, writes nothing, and imports the rest only when confirmed', async () => {
    const { workspace, data, files, changes } = await withStored();
    await data.importLabels(files);
    const duplicate = {
      code: 'DUPLICATE_LABEL',
      kind: 'comparison',
      file: 'preferences.jsonl',
      line: 1,
      labeler: 'human',
    } as const;
    expect(data.pendingImport?.report).toEqual({ comparisons: 1, ratings: 0, notices: [duplicate] });
    expect(await workspace.listComparisons()).toHaveLength(1);
    expect(changes()).toBe(0);
    expect(labelers.pending(1, 0, [duplicate])).toBe(
      'Nothing imported yet: 1 label is already stored from the same labeler and would be skipped; 1 comparison and 0 ratings are new.',
    );

    await data.confirmImport();
    expect(data.pendingImport).toBeNull();
    expect((await workspace.listComparisons()).map((c) => c.prompt).sort()).toEqual(['Once upon a time', 'new']);
    expect(data.news).toEqual({ kind: 'importedLabels', comparisons: 1, ratings: 0, notices: [duplicate] });
    expect(changes()).toBe(1);
  });

  it('a cancelled import writes nothing; one with nothing stored before goes straight in', async () => {
    const { workspace, data, files } = await withStored();
    await data.importLabels(files);
    data.cancelImport();
    expect(data.pendingImport).toBeNull();
    expect(await workspace.listComparisons()).toHaveLength(1);
    await data.importLabels([{ name: 'new.jsonl', text: newLine }]);
    expect(data.pendingImport).toBeNull();
    expect(await workspace.listComparisons()).toHaveLength(2);
  });

  it('every import notice code has a sentence naming its file and line', () => {
    const notices: ImportNotice[] = [
      { code: 'DUPLICATE_LABEL', kind: 'rating', file: 'r.jsonl', line: 7, labeler: 'ann' },
      { code: 'CONFLICTING_COMPARISON', file: 'p.jsonl', line: 3, labeler: 'ann' },
      { code: 'CONFLICTING_RATING', file: 'r.jsonl', line: 9, labeler: 'ann', stored: 1, imported: 5 },
    ];
    expect(notices.map((n) => labelers.notice(n))).toEqual([
      'r.jsonl line 7: this rating by ann is already stored; skipped.',
      'p.jsonl line 3: ann answered this pair differently before; both answers kept.',
      'r.jsonl line 9: ann gave this response 1 star before and 5 here; both kept.',
    ]);
    expect(labelers.imported(2, 1, notices)).toBe(
      'Imported 2 comparisons and 1 rating. 1 already stored from the same labeler, skipped. 2 contradict a stored label of the same labeler; both kept.',
    );
  });
});
