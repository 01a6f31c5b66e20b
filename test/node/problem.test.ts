// A failure as the page shows it: an import's problems arrive as data and become a list, each
// problem worded with its line or record; other failures stay one sentence.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/errors';
import { parseLabelJsonl } from '../../src/engine/interchange/label-jsonl';
import { toProblem } from '../../src/ui/problem';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('toProblem', () => {
  it('lists an import problem by problem, with line numbers', () => {
    const text = ['{"prompt":"p","chosen":"a","rejected":"b"}', '[1]', '{"prompt":"p","chosen":7,"rejected":"b"}'].join(
      '\n',
    );
    const err = thrown(() => parseLabelJsonl(text, { now: 0, defaultLabeler: 'human', source: 'labels.jsonl' }));
    expect(toProblem(err)).toEqual({
      code: 'BAD_ARGUMENT',
      message: 'labels.jsonl: 2 problems, nothing was imported',
      items: [
        'line 2: must be a JSON object {"prompt", "chosen", "rejected"} or {"prompt", "completion", "label"}, got [1]',
        'line 3: field "chosen" must be a string, got 7',
      ],
    });
  });

  it('keeps any other failure one sentence', () => {
    const err = new EngineError('BAD_CHECKPOINT', { code: 'LM_HEAD_UNTIED', params: { file: 'gpt2' } });
    const problem = toProblem(err);
    expect(problem.items).toBeUndefined();
    expect(problem.message).toMatch(/^gpt2: lm_head\.weight differs from transformer\.wte\.weight/);
  });
});
