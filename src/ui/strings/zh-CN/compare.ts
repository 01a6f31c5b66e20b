/** Strings of the Compare stage (Chinese): the comparison, its yardstick, and the blind A/B round. */
import type * as en from '../compare';
import type { LabelerInfo } from '../../../contract/protocol';
import { isSimulatedLabeler } from '../compare';
import { formatPercent as pct } from './format';
import { labelerNames } from './labeler-names';
import { winRateValue } from './format';

export { isSimulatedLabeler };

/** A simulated labeler's name, if it is one of `labelers`: its title, or its keyword rule. */
function labelerName(id: string, labelers: readonly LabelerInfo[]): string {
  return isSimulatedLabeler(id, labelers) ? labelerNames.title(id) : id;
}

export const compare: typeof en.compare = {
  heading: '对比两个策略',
  left: '左侧',
  right: '右侧',
  choice: (c, names) => {
    if (c === 'base') return '基础模型（参考模型）';
    if (c === 'current') return '当前策略';
    return `已保存：${names.get(Number(c.slice('checkpoint:'.length))) ?? c}`;
  },
  run: '在留出的提示词上对比',
  running: '正在从两个策略采样…',
  progress: (stage, done, total) =>
    stage === 'reward'
      ? `正在用你的奖励模型打分：第 ${done} / ${total} 对`
      : `正在从${stage === 'base' ? '左侧' : '右侧'}策略采样：第 ${done} / ${total} 个词元`,
  rewardHeadline: (w) =>
    `在 ${w.pairs} 对回复中，你的奖励模型有 ${pct(w.rate)} 偏好右侧策略（95% 置信区间 ${pct(w.low)}–${pct(w.high)}，对 ${w.groups} 个提示词做自助法重抽样；平局按半胜计）。`,
  noReward:
    '还没有奖励模型，所以没有任何从你的标注中学到的东西来评判这些回复对：请先在“奖励模型”阶段训练一个。你也可以在下方的盲评轮中亲自评判。',
  blindHeadline: (w, votes) =>
    w === null
      ? '你自己的判断：在下方盲评新的回复对（按键 1、2、3）。'
      : `你的盲评结果：在你投出的 ${votes} 票中，右侧策略的胜率为 ${winRateValue(w)}。`,
  yardstickLabel: '参照标尺：模拟标注者的金标准分数',
  yardstickNone: '无',
  yardstickOption: (id, labelers, gaveLabels) => `${labelerName(id, labelers)}${gaveLabels ? '（提供了标注）' : ''}`,
  yardstick: (id, labelers, gaveLabels, w) =>
    `${gaveLabels ? `按提供了标注的模拟标注者“${labelerName(id, labelers)}”的金标准分数` : `仅作参照标尺，按“${labelerName(id, labelers)}”的金标准分数（它没有提供任何标注）`}：在 ${w.pairs} 对回复中，右侧策略的胜率为 ${pct(w.rate)}（95% 置信区间 ${pct(w.low)}–${pct(w.high)}；平局按半胜计）。`,
  gold: (l, r) => `平均金标准分数：左侧 ${l.toFixed(2)}，右侧 ${r.toFixed(2)}。`,
  agreement: (rate, pairs) =>
    `在金标准分数分得出高下的 ${pairs} 对回复中，你的奖励模型对其中 ${pct(rate)} 的排序与金标准一致（抛硬币为 50%）。它排错的地方，调优也会跟着走错方向。`,
  reward: (l, r) => `平均奖励模型分数：左侧 ${l.toFixed(2)}，右侧 ${r.toFixed(2)}。`,
  kl: (kl) => `KL(右 ‖ 左)：每条回复 ${kl.toFixed(2)} 奈特。`,
  distinct: (l, r) =>
    `多样性（不重复的相邻词对所占比例）：左侧 ${(l * 100).toFixed(0)}%，右侧 ${(r * 100).toFixed(0)}%。`,
  columns: ['提示词', '左侧', '右侧'],
  showAll: (n) => `显示全部 ${n} 对`,
  onePerPrompt: '每个提示词只显示一对',
  scores: (gold, reward) =>
    [gold === null ? '' : `金标准 ${gold.toFixed(2)}`, reward === null ? '' : `奖励 ${reward.toFixed(2)}`]
      .filter((s) => s !== '')
      .join(' · '),
  blindHeading: '盲评 A/B：在不知道哪条来自哪个策略的情况下评判',
  blindIntro:
    '上方所选两个策略的新回复，只为本轮抽取、不在别处显示，每对的先后顺序随机。每一票在你投出时即被保存。回复是英文的：模型是用英文的 TinyStories 故事训练的。',
  blindStart: '开始一轮盲评',
  blindLoading: '正在采样新的回复对…',
  blindProgress: (i, n) => `第 ${i} / ${n} 对`,
  first: '第一条更好（1）',
  second: '第二条更好（2）',
  tie: '平局（3）',
  blindResult: (right, left, ties, w) =>
    `你有 ${right} 次偏好右侧策略，${left} 次偏好左侧策略，${ties} 次平局${w === null ? '。' : `：右侧策略的胜率为 ${winRateValue(w)}，自助法把每一票视为一个独立的提示词；平局按半胜计。`}`,
  none: '选择两个策略，在从未用于标注或调优的提示词上对比它们。模型是用英文的 TinyStories 故事训练的，所以回复是英文。',
};
