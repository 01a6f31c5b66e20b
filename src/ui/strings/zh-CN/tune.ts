/** “调优”阶段的文字：控件、学习研究说明、图表、警告、样本和词元视图。 */
import type * as en from '../tune';
import type { Algorithm } from '../../../contract/algorithms';
import { DEFAULT_TUNE } from '../../../contract/tune-settings';
import { MARKED_PLAY } from '../../../contract/marked-play';
import type { TokenMeasure } from '../../token-colour';
import { formatPercent } from './format';

const ALGORITHM_NAMES: Record<Algorithm, string> = {
  ppo: 'PPO（近端策略优化）',
  grpo: 'GRPO（组内相对，无价值模型）',
  rloo: 'RLOO（留一法基线）',
  dpo: 'DPO（直接偏好优化，离线）',
  sft: 'SFT（监督微调，用你的改写）',
};

export const tune: typeof en.tune = {
  heading: '调优策略',
  whatIsARun:
    '一次运行从一个基础模型开始（自带的模型、导入的 Hugging Face 模型、在此标签页中预训练的模型，或被“用作基础模型”的已保存检查点），并持有该基础模型的冻结副本作为参考模型：KL 惩罚和 KL 图表都以它为准衡量策略。只有按“重置为参考模型”、选择另一个基础模型或恢复备份时，才会开始新的运行。修改调优设置、算法或随机种子，重新训练或重新加载奖励模型，暂停，重新加载页面，或显卡丢失，都不会开始新的运行：KL 图表从原处继续。',
  algorithm: '算法',
  algorithmName: (a) => ALGORITHM_NAMES[a],
  label: {
    beta: 'Beta（KL 惩罚系数）',
    klTarget: 'KL 目标（0 = 固定 beta）',
    clipRange: '裁剪 epsilon',
    learningRate: '学习率',
    samplesPerPrompt: '每个提示词的样本数',
    promptsPerIteration: '每次迭代的提示词数',
    maxNewTokens: '回复长度（词元）',
    iterations: '每次“运行”的迭代数',
    klBudget: 'KL 预算（0 = 不设）',
  },
  seed: '随机种子',
  studyNote: (labels, low, high, tastes, seeds) =>
    low === high
      ? `用一名模拟学生在 ${labels} 条标注下测得：这些默认设置让调优后模型对基础模型的平均金标准胜率达到 ${formatPercent(low)}（50% 表示没有变化；${seeds} 个随机种子）。`
      : `用模拟学生在 ${labels} 条标注下测得：在 ${tastes} 种口味上，这些默认设置让调优后模型对基础模型的平均金标准胜率在 ${formatPercent(low)} 到 ${formatPercent(high)} 之间（50% 表示没有变化；每种最多 ${seeds} 个随机种子）。`,
  studyNone: '学习研究还没有测量过这些默认设置。',
  studyShow: '学习研究',
  studyCaption:
    '调优后模型对基础模型的金标准胜率：在 96 个留出样本上，由模拟学生隐藏的口味评判；取各随机种子的平均值，有多个种子时附 95% 区间。',
  studyHead: {
    taste: '口味',
    labels: '标注数',
    cell: '算法',
    seeds: '随机种子',
    win: '胜率',
    below: '低于 55% 的种子',
    kl: 'KL（奈特）',
    seconds: '秒',
  },
  studyWin: (mean, low, high) =>
    low === null || high === null
      ? formatPercent(mean)
      : `${formatPercent(mean)}（${formatPercent(Math.max(0, low))}–${formatPercent(Math.min(1, high))}）`,
  studyDefault: '（默认设置）',
  studyMarkedDefault: '（三分之一的标注带标记时的默认设置）',
  seedHint:
    '决定采样、新奖励模型的初始化和模拟标注者，因此分享的链接能重现同一次运行。修改它会重启会话；调优过的策略和奖励模型会保留。',
  hint: {
    beta: '把策略拉在参考模型附近的力度：越高越稳妥，越低学得越快、也偏得越远。',
    klTarget: '设置后，beta 会自动调整，让每个回复的 KL 保持在这么多奈特左右。',
    clipRange: '一次更新最多能把每个词元的概率比从 1 推开多远。',
    learningRate: '每次更新的步长：太大策略就会崩溃。',
    samplesPerPrompt: '每个提示词的回复数；GRPO 和 RLOO 在这些回复之间相互比较，所以至少需要 2 个。',
    promptsPerIteration: '每批的提示词数。',
    maxNewTokens: '采样的最长回复，调优和标注都用它。',
    iterations: `按一次“运行”执行多少次迭代。保持 ${DEFAULT_TUNE.iterations} 不变时，一旦奖励模型的标注中有三分之一标记了词语，PPO 会执行 ${MARKED_PLAY.iterations} 次。`,
    klBudget: '策略每个回复最多可以偏离参考模型多少奈特：超过它的那次迭代会被撤销，运行随之停止。',
  },
  play: '运行',
  pause: '暂停',
  resume: '继续',
  step: '单步迭代一次',
  stop: '停止',
  reset: '重置为参考模型',
  resetHint: '把策略恢复为你开始时的模型；标注保留。',
  progress: (i, of) => `第 ${i} / ${of} 次迭代`,
  paused: '已在一次迭代后暂停；按“继续”接着运行。',
  markedPlay: (iterations, setting, marked, labels) =>
    `你的奖励模型学习的 ${labels} 条标注中，有 ${marked} 条标记了词语，所以“运行”一次执行 ${iterations} 次迭代而不是 ${setting} 次：这是学习研究为带标记的标注测得的更长的运行。把“每次‘运行’的迭代数”改成其他数字即可自己决定。`,
  idle: (n) => (n === 0 ? '策略就是基础模型：还没有调优。' : `目前已迭代 ${n} 次；每次运行后都会保存策略。`),
  charts: '实时指标',
  chart: {
    reward: '奖励模型分数',
    gold: '金标准分数（模拟标注者）',
    kl: '与参考模型的 KL 散度（每个回复的奈特数）',
    entropy: '熵（每个回复的奈特数）',
    clip: '裁剪比例',
    value: '价值损失',
    beta: 'Beta',
  },
  iteration: '迭代',
  noGold: '选择模拟标注者后（“标注”阶段）会显示金标准分数。',
  samples: '最近的样本',
  sampleRow: (score, gold, iteration) =>
    `第 ${iteration} 次迭代 · 奖励 ${score.toFixed(2)}${gold === null ? '' : ` · 金标准 ${gold.toFixed(2)}`}`,
  noSamples:
    '策略调优时，样本会显示在这里（PPO、GRPO 和 RLOO 会采样；DPO 和 SFT 从已存的标注中学习）。样本是英文的：模型只会写英文。',
  coinToss: (low, high) =>
    `按下“运行”之前：留出的标注太少，还不能排除你的奖励模型只是在抛硬币（它与你一致的比例，95% 置信区间为 ${formatPercent(low)}–${formatPercent(high)}）。“运行”会跟着它走，哪怕方向与你的要求相反。标出造成差别的词，比多给一次判断更能让它学到东西。`,
  warnKl: (kl, limit) =>
    `KL 正在失控：与参考模型相差 ${Number.isFinite(kl) ? kl.toFixed(1) : '非数值'} 奈特（上限 ${limit}）。文字质量会下降，奖励模型也正在评判与它所学不同的文本。请暂停，调高 beta 或设置 KL 目标，调低学习率，或重置为参考模型。`,
  warnHacking: (rewardRise, goldFall, window) =>
    `奖励投机（reward hacking）：在最近 ${window} 次迭代中，奖励模型分数上升了 ${rewardRise.toFixed(2)}，而金标准分数下降了 ${Math.abs(goldFall).toFixed(2)}。策略正在利用奖励模型的错误。请标注更多的对（主动学习能找到它的盲点），重新训练奖励模型，并调高 beta。`,
  saveNamed: '另存为…',
  saveName: '检查点名称',
  saved: (name) => `已保存“${name}”；在你删除之前会一直保留。`,
};

const MEASURES: Record<TokenMeasure, string> = {
  logProb: '对数概率',
  kl: '逐词元 KL',
  advantage: '优势',
};

export const tokens: typeof en.tokens = {
  heading: '词元视图',
  colourBy: '词元着色依据',
  measure: (m) => MEASURES[m],
  legend: (m) =>
    m === 'logProb' ? '蓝色越深：策略对这个词元越有把握。' : '蓝色：大于零 · 橙色：小于零 · 颜色越深：离零越远。',
  detail: (token, logProb, kl, advantage) =>
    `词元 ${JSON.stringify(token)}：对数概率 ${logProb.toFixed(2)}（p = ${Math.exp(logProb).toFixed(2)}），KL ${kl.toFixed(3)}${advantage === null ? '' : `，优势 ${advantage.toFixed(2)}`}`,
  hint: '把鼠标悬停在词元上或用 Tab 聚焦，即可查看它的数值。',
  table: '以表格列出全部词元',
  columns: ['#', '词元', '对数概率', 'KL', '优势'],
  pick: '样本',
};
