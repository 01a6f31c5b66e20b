// Marking the words that made the difference on the pair on screen: the word cuts, the selection
// by mouse and by keyboard, marks replacing what they overlap, undo before labels, and the marks
// stored with the label (never with a skip) and put back when the label is undone.
import { describe, expect, it } from 'vitest';
import type { PairRequest } from '../../src/contract/pairs';
import type { Answer, ModelInfo, Question, RequestResult } from '../../src/contract/protocol';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import { AUTOPILOT_MARKS, LabelState, type LabelClient } from '../../src/ui/label-state.svelte';
import { SessionHost, type SessionRequest } from '../../src/workers/session-host';
import { MarkState, markedWords, segments } from '../../src/ui/mark-state.svelte';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import type { KeyPress } from '../../src/ui/shortcuts';

const press = (k: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: null,
  ...extra,
});

const A = 'The dog ran home, happy.';
const B = "It's a sad day.";

/** Each mark as its polarity and the text it covers. */
function shown(m: MarkState, texts = { a: A, b: B }): string[] {
  return m.marks.map((x) => `${x.side}${x.polarity > 0 ? '+' : '-'}${texts[x.side].slice(x.start, x.end)}`);
}

/** The Label stage on an in-memory workspace, with a stand-in worker client. */
function labelStage(client: { samplePair: () => Promise<PairRequest>; judge: (q: Question) => Promise<Answer> }) {
  const workspace = memoryWorkspace();
  let clock = 0;
  const label = new LabelState({
    client: { ...client, sampleOne: async () => ({ text: 'x', ended: false }) } as unknown as LabelClient,
    workspace,
    prompts: () => ['Once'],
    maxNewTokens: () => 16,
    modelVersion: () => 'base',
    changed: async () => undefined,
    now: () => (clock += 100),
  });
  return { label, workspace };
}

describe('word cuts', () => {
  it('cuts a text into words (letters, as the labelers read them) and what lies between, covering every character in order', () => {
    const parts = segments('  Hi, Tom’s dog-bone 42!');
    expect(parts.map((p) => p.text).join('')).toBe('  Hi, Tom’s dog-bone 42!');
    expect(parts.filter((p) => p.word !== null).map((p) => [p.word, p.text])).toEqual([
      [0, 'Hi'],
      [1, 'Tom’s'],
      [2, 'dog'],
      [3, 'bone'],
    ]);
    for (const p of parts) expect('  Hi, Tom’s dog-bone 42!'.slice(p.start, p.end)).toBe(p.text);
    expect(segments('')).toEqual([]);
  });
});

describe('the marked words, for the summary and the label table', () => {
  it('groups them by response and polarity, in reading order, leaving empty groups out', () => {
    const marks = [
      { side: 'b' as const, start: 7, end: 10, polarity: -1 as const },
      { side: 'a' as const, start: 4, end: 7, polarity: 1 as const },
      { side: 'a' as const, start: 18, end: 23, polarity: 1 as const },
    ];
    expect(markedWords(marks, { a: A, b: B })).toEqual([
      { side: 'a', polarity: 1, words: ['dog', 'happy'] },
      { side: 'b', polarity: -1, words: ['sad'] },
    ]);
    expect(markedWords([], { a: A, b: B })).toEqual([]);
  });
});

describe('MarkState', () => {
  it('the mouse: press, drag across words of one response, release; G marks good, B bad', () => {
    const m = new MarkState();
    m.reset({ a: A, b: B });
    m.press('a', 1);
    m.enter('a', 2);
    m.enter('b', 0); // the other response does not join the selection
    m.release();
    m.enter('a', 4); // nor does a word passed over after release
    expect([0, 1, 2, 3].map((w) => m.isSelected('a', w))).toEqual([false, true, true, false]);
    m.mark(1);
    expect(shown(m)).toEqual(['a+dog ran']);
    expect(m.markOf('a', 2)).toBe(1);
    expect(m.markOf('a', 3)).toBeNull();
    // A mark over part of another replaces it.
    m.press('a', 2);
    m.release();
    m.mark(-1);
    expect(shown(m)).toEqual(['a-ran']);
    m.press('b', 2);
    m.mark(-1);
    expect(shown(m)).toEqual(['a-ran', 'b-sad']);
    m.press('a', 0);
    m.enter('a', 4);
    m.clear();
    expect(shown(m)).toEqual(['b-sad']);
  });

  it('the keyboard: M starts at A, arrows move, Shift extends, up and down switch response, Escape leaves', () => {
    const m = new MarkState();
    m.reset({ a: A, b: B });
    // No cursor yet: arrows and G are not marking keys (the page keeps scrolling).
    expect(m.handleKey(press('ArrowRight'))).toBe(false);
    expect(m.handleKey(press('g'))).toBe(false);
    expect(m.handleKey(press('m'))).toBe(true);
    expect(m.isCursor('a', 0)).toBe(true);
    m.handleKey(press('ArrowRight'));
    m.handleKey(press('ArrowRight', { shiftKey: true }));
    m.handleKey(press('ArrowRight', { shiftKey: true }));
    m.handleKey(press('g'));
    expect(shown(m)).toEqual(['a+dog ran home']);
    m.handleKey(press('ArrowRight'));
    m.handleKey(press('ArrowRight'));
    m.handleKey(press('ArrowRight')); // stops at the last word
    expect(m.isCursor('a', 4)).toBe(true);
    m.handleKey(press('ArrowDown'));
    expect(m.isCursor('b', 3)).toBe(true);
    m.handleKey(press('b'));
    expect(shown(m)).toEqual(['a+dog ran home', 'b-day']);
    m.handleKey(press('Delete'));
    expect(shown(m)).toEqual(['a+dog ran home']);
    expect(m.handleKey(press('Escape'))).toBe(true);
    expect(m.selection).toBeNull();
    // Typing in a text box, or a held modifier, is never a marking key.
    expect(m.handleKey(press('m', { target: { tagName: 'TEXTAREA' } }))).toBe(false);
    expect(m.handleKey(press('m', { ctrlKey: true }))).toBe(false);
  });

  it('undo takes back each change in turn; a new pair starts clean', () => {
    const m = new MarkState();
    m.reset({ a: A, b: B });
    expect(m.undo()).toBe(false);
    m.press('a', 4);
    m.mark(1);
    m.press('b', 2);
    m.mark(-1);
    m.clear();
    expect(shown(m)).toEqual(['a+happy']);
    expect(m.undo()).toBe(true);
    expect(shown(m)).toEqual(['a+happy', 'b-sad']);
    expect(m.undo()).toBe(true);
    expect(shown(m)).toEqual(['a+happy']);
    expect(m.undo()).toBe(true);
    expect(m.marks).toEqual([]);
    expect(m.canUndo).toBe(false);
    m.press('a', 0);
    m.mark(1);
    m.reset({ a: 'x', b: 'y' });
    expect([m.marks, m.selection, m.canUndo]).toEqual([[], null, false]);
  });
});

describe('marks in the Label stage', () => {
  const pairs: PairRequest[] = [0, 1, 2, 3].map((i) => ({
    prompt: 'Once',
    a: `${A} ${i}`,
    b: B,
    aEnded: false,
    bEnded: true,
    reason: { kind: 'random' },
    uncertainty: null,
  }));
  function stage() {
    let n = 0;
    return labelStage({
      samplePair: async () => pairs[n++ % pairs.length],
      judge: async () => ({ kind: 'compare', choice: 'a', pA: 1, labeler: 'sim' }),
    });
  }
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('stores the marks with the label, not with a skip; Ctrl+Z takes back a mark before the label', async () => {
    const { label, workspace } = stage();
    await label.next();
    label.handleKey(press('m'));
    label.handleKey(press('ArrowRight'));
    label.handleKey(press('g'));
    label.handleKey(press('ArrowDown'));
    label.handleKey(press('ArrowRight'));
    label.handleKey(press('b'));
    expect(shown(label.marking, pairs[0])).toEqual(['a+dog', 'b-sad']);
    // Ctrl+Z: the last mark goes, no label is touched.
    label.handleKey(press('z', { ctrlKey: true }));
    await settle();
    expect(shown(label.marking, pairs[0])).toEqual(['a+dog']);
    label.handleKey(press('1'));
    await settle();
    const [stored] = await workspace.listComparisons();
    expect(stored.choice).toBe('a');
    expect(stored.marks).toEqual([{ side: 'a', start: 4, end: 7, polarity: 1 }]);
    // The next pair starts without marks; a skip stores none even when words were marked.
    expect(label.pair).toBe(pairs[1]);
    expect(label.marking.marks).toEqual([]);
    label.marking.press('a', 0);
    label.marking.mark(1);
    await label.choose('skip');
    const skipped = (await workspace.listComparisons()).find((c) => c.choice === 'skip');
    expect(skipped?.marks).toBeUndefined();
    // A label given without marks stores no marks field.
    await label.choose('tie');
    const tie = (await workspace.listComparisons()).find((c) => c.choice === 'tie');
    expect(tie !== undefined && 'marks' in tie).toBe(false);
  });

  it('undoing a label puts its pair back with its marks, which can be changed before labelling again', async () => {
    const { label, workspace } = stage();
    await label.next();
    label.marking.press('a', 4);
    label.marking.mark(1);
    await label.choose('a');
    expect(label.marking.marks).toEqual([]);
    // Nothing to take back on the new pair: Ctrl+Z undoes the label.
    label.handleKey(press('z', { ctrlKey: true }));
    await settle();
    await settle();
    expect(await workspace.listComparisons()).toHaveLength(0);
    expect(label.pair).toBe(pairs[0]);
    expect(shown(label.marking, pairs[0])).toEqual(['a+happy']);
    label.marking.press('b', 2);
    label.marking.mark(-1);
    await label.choose('a');
    const [stored] = await workspace.listComparisons();
    expect(stored.marks).toEqual([
      { side: 'a', start: 18, end: 23, polarity: 1 },
      { side: 'b', start: 7, end: 10, polarity: -1 },
    ]);
  });
});

describe('autopilot marks words', () => {
  it("the worker's simulated labeler marks what its rule turns on when asked, with the same verdicts", async () => {
    const tokenizer = Tokenizer.train('A dog ran. The dog was sad. A cat sat. Once upon a time.', { vocabSize: 270 });
    const config = { ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize, blockSize: 32 };
    const model = new GPT(config, 1);
    const info: ModelInfo = {
      id: 'tiny',
      title: 'tiny',
      available: [],
      config,
      paramCount: 0,
      checkpointBytes: 0,
      card: null,
      loadMs: 0,
      warmupMs: 0,
      weightsHash: 'h',
    };
    const host = new SessionHost({
      loaded: () => ({ model, tokenizer, info }),
      exclusive: (work) => work(),
      step: () => undefined,
      modelChanged: () => Promise.resolve('h'),
    });
    const run = (r: SessionRequest): Promise<RequestResult> => host.execute(r, new AbortController().signal);
    await run({ id: 0, type: 'startSession', seed: 1 });
    await run({ id: 1, type: 'setLabeler', labeler: { kind: 'keyword', rule: '+dog -sad' } });
    const question = { kind: 'compare' as const, prompt: 'Once', a: 'A dog ran. The dog was sad.', b: 'A cat sat.' };
    const plain = await run({ id: 2, type: 'judge', question });
    await run({ id: 3, type: 'setLabeler', labeler: { kind: 'keyword', rule: '+dog -sad' } });
    const marked = await run({ id: 4, type: 'judge', question: { ...question, marks: 3 } });
    if (plain.kind !== 'answer' || marked.kind !== 'answer') throw new Error('expected answers');
    expect(plain.answer).not.toHaveProperty('marks');
    const { marks, ...verdict } = marked.answer as Extract<Answer, { kind: 'compare' }>;
    expect(verdict).toEqual(plain.answer);
    // Each word once, where it is first said.
    expect(marks?.map((m) => `${m.polarity > 0 ? '+' : '-'}${question[m.side].slice(m.start, m.end)}`)).toEqual([
      '+dog',
      '-sad',
    ]);
    expect(marks?.[0].start).toBe(2);
    host.dispose();
    model.dispose();
  });

  it('with autopilot marking on, its marks are stored with its label; a person’s marks never are, nor are its put back for the person', async () => {
    const answers: Question[] = [];
    const { label, workspace } = labelStage({
      samplePair: async (): Promise<PairRequest> => ({
        prompt: 'Once',
        a: A,
        b: B,
        aEnded: false,
        bEnded: false,
        reason: { kind: 'random' },
        uncertainty: null,
      }),
      judge: async (q: Question): Promise<Answer> => {
        answers.push(q);
        const marks =
          q.kind === 'compare' && (q.marks ?? 0) > 0
            ? [{ side: 'b' as const, start: 7, end: 10, polarity: -1 as const }]
            : undefined;
        return { kind: 'compare', choice: 'a', pA: 0.9, labeler: 'sim', ...(marks ? { marks } : {}) };
      },
    });
    await label.next();
    label.marking.press('a', 1);
    label.marking.mark(1); // the person's mark: not autopilot's answer
    await label.autoLabelOnce();
    label.autopilotMarks = true;
    await label.autoLabelOnce();
    expect(answers.map((q) => (q.kind === 'compare' ? q.marks : null))).toEqual([0, AUTOPILOT_MARKS]);
    const stored = await workspace.listComparisons({ order: 'oldest' });
    expect(stored.map((c) => c.marks ?? null)).toEqual([null, [{ side: 'b', start: 7, end: 10, polarity: -1 }]]);
    // Undoing autopilot's label puts its pair back without its marks: the person's next label
    // would otherwise carry them.
    await label.undoLast();
    expect(await workspace.listComparisons()).toHaveLength(1);
    expect(label.marking.marks).toEqual([]);
  });
});
