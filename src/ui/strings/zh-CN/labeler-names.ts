/** What the page calls each built-in simulated labeler, by the engine's id (Chinese). */
import type * as en from '../labeler-names';
import type { BuiltinLabelerId } from '../../../engine/labelers/builtins';

/** The words the labelers count stay in English: the model writes English, so those are the words it matches. */
const BUILTIN: Record<BuiltinLabelerId, { title: string; description: string }> = {
  'happy-endings': {
    title: '喜欢美好结局',
    description:
      '统计最后两句中表示快乐的英文单词（happy、smiled、friends、hug……）减去表示悲伤的单词（sad、cried、hurt、lost……），前面的句子按四分之一计；“not sad” 算作快乐。',
  },
  animals: {
    title: '喜欢关于动物的故事',
    description: '统计回复中提到的不同动物（英文单词 dog、cat、bird、bunny、frog……），每多一种，加分递减。',
  },
  'short-sentences': {
    title: '喜欢简短的句子',
    description: '偏好每句单词更少的回复（最少到 4 个单词），不喜欢超过 9 个字母的长单词。',
  },
  'no-repetition': {
    title: '不喜欢重复',
    description: '惩罚在提示词或回复前文中已经出现过的三词组合和整句。',
  },
  dialogue: {
    title: '喜欢对话',
    description: '数角色说的带引号的话（"我们去玩吧！"），每多一段引语加分越少。',
  },
  food: {
    title: '喜欢食物',
    description: '数回复中提到的不同食物（蛋糕、苹果、饼干、汤、牛奶……），每多一种加分越少；大多数故事一种也没有。',
  },
};

function builtin(id: string): { title: string; description: string } | null {
  return Object.hasOwn(BUILTIN, id) ? BUILTIN[id as BuiltinLabelerId] : null;
}

export const labelerNames: typeof en.labelerNames = {
  title: (id) => {
    if (id.startsWith('keyword:')) return `关键词 ${id.slice('keyword:'.length)}`;
    return builtin(id)?.title ?? id;
  },
  description: (id) => builtin(id)?.description ?? '',
};
