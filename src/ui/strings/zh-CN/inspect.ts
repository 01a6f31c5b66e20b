/** 打开图表上一个点的文字：某次调优迭代的样本，某次奖励模型训练的留出标注对。 */
import type * as en from '../inspect';
import { formatCount } from './format';

export const inspect: typeof en.inspect = {
  chartLabel: (title, xLabel) => `${title}。点击一个点，或用左右方向键和 Enter，查看那一${xLabel}的样本。`,
  at: (xLabel, x, values) => `${xLabel} ${formatCount(x)}：${values}`,
  heading: (iteration) => `第 ${formatCount(iteration)} 次迭代的样本`,
  latest: '回到最新的样本',
  none: (iteration, kept) =>
    `第 ${formatCount(iteration)} 次迭代没有保存样本：每次运行只保留最近 ${formatCount(kept)} 次迭代的样本。`,
  pairsHeading: (labels) => `用 ${formatCount(labels)} 条标注训练的奖励模型的留出标注对`,
  pairsHint:
    '没有用于训练的已标注对，以及这个奖励模型对它们的判断；判断最差的排在前面。损失高于 0.69（ln 2）表示它偏向了错误的一方。',
  close: '关闭',
  noPairs: (labels, kept) =>
    `用 ${formatCount(labels)} 条标注进行的那次训练没有保存标注对：从现在起，会为最近 ${formatCount(kept)} 次训练保存标注对。`,
  noHeldOut: '这次训练没有留出的标注对：请再标注几条。',
  columns: {
    prompt: '提示',
    chosen: '被偏好的回答',
    rejected: '另一个回答',
    pChosen: 'P(被偏好的更好)',
    loss: '损失',
  },
  tie: (response) => `${response}（一样好）`,
  probability: (p) => `${(p * 100).toFixed(0)}%`,
};
