// The names the app stores its own checkpoints under stay English data; the Chinese page shows
// them in Chinese, and a name a person chose as written.
import { describe, expect, it } from 'vitest';
import { saved } from '../../src/ui/strings/zh-CN/shell';

describe('stored checkpoint names in the Chinese page', () => {
  it.each([
    ['after 12 iterations', '12 次迭代之后'],
    ['pretrained on my-stories.txt', '在 my-stories.txt 上预训练'],
    ['reward model, 40 labels', '奖励模型，40 条标注'],
    ['imported model', '导入的模型'],
    ['我的策略 after lunch', '我的策略 after lunch'],
  ])('%s', (stored, shown) => {
    expect(saved.useLabel(stored)).toBe(`使用已保存的策略“${shown}”`);
    expect(saved.baseLabel(stored)).toBe(`把“${shown}”用作基础模型`);
    expect(saved.row(stored, 2048, 0, null).startsWith(`${shown} · `)).toBe(true);
  });
});
