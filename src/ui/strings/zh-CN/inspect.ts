/** Strings of opening a chart point (Chinese): the samples of one tuning iteration, the held-out pairs of a training. */
import type * as en from '../inspect';
import { formatCount } from './format';

export const inspect: typeof en.inspect = {
  chartLabel: (title, xLabel) => `${title}。点击一个数据点，或用左右方向键和 Enter 键，查看该${xLabel}的样本。`,
  at: (xLabel, x, values) => `${xLabel} ${formatCount(x)}：${values}`,
  heading: (iteration) => `第 ${formatCount(iteration)} 次迭代的样本`,
  latest: '回到最新的样本',
  none: (iteration, kept) =>
    `第 ${formatCount(iteration)} 次迭代没有保存样本：每次运行只保留最后 ${formatCount(kept)} 次迭代的样本。`,
  pairsHeading: (labels) => `用 ${formatCount(labels)} 条标注训练的奖励模型的留出回复对`,
  pairsHint:
    '训练时留出的已标注回复对，以及这个奖励模型对它们的判断；判断最差的排在最前面。损失高于 0.69（ln 2）表示它偏向了错误的一方。',
  close: '关闭',
  noPairs: (labels, kept) =>
    `用 ${formatCount(labels)} 条标注进行的那次训练没有保存回复对：从现在起会保存回复对，保留最近 ${formatCount(kept)} 次训练的回复对。`,
  noHeldOut: '这次训练没有留出的回复对：请再标注几对。',
  columns: {
    prompt: '提示词',
    chosen: '被偏好的回复',
    rejected: '另一条回复',
    pChosen: 'P(被偏好的更好)',
    loss: '损失',
  },
  tie: (response) => `${response}（平局）`,
  probability: (p) => `${(p * 100).toFixed(0)}%`,
};
