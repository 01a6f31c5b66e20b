/**
 * 故意让 RLHF 出错的实验的中文：每个实验的标题、要观察什么、为什么会这样和解决办法（按实验编号），
 * 以及读出这次运行自己的数值的句子。指标编号（objective/kl 等）和 distinct-2 照原样写出。
 */
import type * as en from '../experiments';
import { formatPercent } from '../format';

export const EXPERIMENT_TEXT: typeof en.EXPERIMENT_TEXT = {
  'reward-hacking': {
    title: '奖励投机（reward hacking）',
    setup: '奖励模型只用 20 条标注训练，然后冻结；PPO 的 β = 0：没有任何东西把策略拉在它起步时的模型附近。',
    watch: '奖励模型分数（代理指标）与模拟标注者的金标准分数（标注所依据的真实标准）的对比。',
    why: '奖励模型只从少数几对回复中学到标注者的偏好，所以它在训练过的文本附近判断得准，离得越远就越不准。没有 KL 惩罚，策略可以自由地远离那些文本，走向奖励模型高估的地方。代理指标一直上升；没有人去优化的金标准分数却不跟着上升。',
    fix: '保留 KL 惩罚（β > 0），让策略停留在奖励模型可靠的范围内；多标注一些回复对，并用调优后的策略现在写出的文本重新训练奖励模型。',
  },
  'lr-collapse': {
    title: 'KL 失控与崩塌',
    setup: '学习率是默认值十倍的 PPO。',
    watch: '与参考模型之间的 KL，以及二元多样性 distinct-2（样本中不重复的相邻词元对所占的比例）。',
    why: '每次更新让策略移动的距离，远远超出裁剪目标能约束的范围：PPO 的裁剪限制的是单个样本的概率比能起多大作用，而不是权重能移动多远。策略冲过了头，KL 迅速增大，文本坍缩成少数几个反复出现的短语，distinct-2 随之下降。',
    fix: '调低学习率（默认值是为这个模型调好的），保留 KL 目标，并在 KL 超出预算时停止运行。',
  },
  'negative-kl': {
    title: '变成负数的 KL：不许结束的故事',
    setup:
      '一组 PPO 的采样轨迹从不让回复结束（像设置最短长度那样扣住结束符），KL 惩罚放在损失里，步长是默认值的三倍。缺陷版惩罚采样词元的 log π − log π_ref，用包括结束符在内的完整 softmax 打分；修正版用样本实际被抽取时的分布打分，并使用 GRPO 放在损失里的估计量 k3。',
    watch: '两组中与参考模型之间的 KL：缺陷版的 KL 降到零以下并一直下降，而修正版的仍然是一个 KL，不低于零。',
    why: 'KL 永远不会是负数，但图表上的是一个估计值：在采样到的词元上取 log π(词元) − log π_ref(词元) 的平均，只有当词元就是从 π 本身抽出时它才是 KL。这里的词元来自去掉结束符、其余重新归一化后的 π，所以每个词元的项还多带了 log(1 − π(结束)) − log(1 − π_ref(结束))。放在损失里的惩罚会压低采样器能抽到的每个词元的概率，于是策略把概率移到采样器永远不会抽到的结束符上：这一项变成负数，估计值也随之变负，KL 惩罚变成了奖励，奖励的正是图表看不见的变化。用 top-k 或 top-p 采样、打分时却不做截断，是同一种错误，也是 TRL 中被报告最多的失败。',
    fix: '用采样时的同一个分布给采样轨迹打分，并在损失里使用梯度能把策略拉在参考模型附近的估计量（k3；直接用对数比值时，梯度平均为零），就像修正版那样。或者在训练时不设最短长度、不用 top-k 或 top-p 采样。',
  },
  'bad-labels': {
    title: '标注太少且互相矛盾',
    setup: '奖励模型只用 12 条标注训练，其中一半被故意翻转，与标注者自己的判断相反。',
    watch: '奖励模型在留出标注上的准确率，以及针对它调优策略时的金标准分数。',
    why: '一半的判断被翻转后，标注表达不出任何一致的偏好，奖励模型拟合的只是噪声：它在留出标注上的准确率接近随机水平（50%）。针对它调优，策略会朝着与标注者偏好无关的方向移动，所以金标准分数会漂移，而且往往是下降。',
    fix: '更多、更一致的标注：把一些回复对问两遍来检查一致性，并在调优之前看一看奖励模型判断与标注相反的那些回复对。',
  },
  'dpo-vs-ppo': {
    title: '同一批标注上的 DPO 与 PPO',
    setup: '同样的 40 条标注，一边为 PPO 训练奖励模型，一边直接交给不需要奖励模型的 DPO。两者都从同一个基础模型出发。',
    watch:
      '金标准分数和与参考模型之间的 KL，两组画在同一张图上。PPO 的数值来自它的采样轨迹；DPO 不做采样，所以用新采样的样本（每次都用相同的提示词和随机种子）来衡量它。',
    why: 'PPO 采样新的回复，并从奖励模型给它们的分数中学习，所以它能超越已标注的回复对，但也可能利用奖励模型的错误。DPO 只从已标注的回复对本身学习：更省算力、更稳定，但看不到标注没有覆盖的东西。',
    fix: '两者都没有错：在相同的 KL 下比较金标准分数。标注少时，DPO 往往更稳；奖励模型好时，PPO 能走得更远。',
  },
};

/** 图例中各组的名称。 */
const ARM_NAMES: Record<string, string> = {
  beta0: 'β = 0',
  lr10: '学习率 ×10',
  broken: '缺陷版',
  fixed: '修正版',
  noisy: '含噪声的标注',
  ppo: 'PPO',
  dpo: 'DPO',
};

/** 句子中指标的叫法。 */
const METRIC_PHRASES: Record<string, string> = {
  'objective/scores': '代理奖励（奖励模型分数）',
  'gold/score': '标注者的金标准分数',
  'objective/kl': '与参考模型之间的 KL',
  'eval/distinct_2': '二元多样性 distinct-2',
};

/** 实验图表中各指标的标题。 */
const CHART_TITLES: Record<string, string> = {
  'objective/scores': '代理奖励（奖励模型分数）',
  'gold/score': '金标准分数（模拟标注者给出）',
  'objective/kl': '与参考模型的 KL（每条回复，奈特）',
  'eval/distinct_2': '样本的二元多样性 distinct-2',
};

const number = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

const armName: typeof en.experiments.armName = (arm) => ARM_NAMES[arm] ?? arm;

const phrase = (metric: string): string => METRIC_PHRASES[metric] ?? metric;

const LATIN_END = /[A-Za-z0-9)%]$/;
const LATIN_START = /^[A-Za-z0-9(β]/;
const HAN_END = /\p{Script=Han}$/u;
const HAN_START = /^\p{Script=Han}/u;

/** The parts joined, with a space where Latin letters or digits meet Chinese characters. */
function spaced(...parts: string[]): string {
  return parts.reduce((text, part) => {
    const gap = (LATIN_END.test(text) && HAN_START.test(part)) || (HAN_END.test(text) && LATIN_START.test(part));
    return gap ? `${text} ${part}` : text + part;
  }, '');
}

export const experiments: typeof en.experiments = {
  entry: '实验',
  heading: '故意让 RLHF 出错的实验',
  intro:
    '每个实验都在独立的工作区中运行：你的标注、奖励模型和策略完全保持原样。打开一个实验，看着它出错，再读一读为什么。',
  open: (title) => `运行“${title}”`,
  link: '指向这个实验的链接',
  back: '回到你的运行',
  list: '所有实验',
  separate: '实验工作区：你自己的标注、奖励模型和策略都不会被改动。',
  waiting: '正在等待模型加载…',
  run: '运行',
  again: '再运行一次',
  cancel: '取消',
  cancelled: '已取消。实验干净地停止了；下面是它到目前为止测得的结果，你自己的运行完全没有被改动。',
  phase: { label: '模拟标注者正在标注回复对', reward: '正在训练奖励模型', tune: '正在调优' },
  progress: (done, total) => `已完成 ${done} / ${total} 步`,
  labelled: (labels, flipped) =>
    flipped === 0 ? `已给出 ${labels} 条标注。` : `已给出 ${labels} 条标注，其中 ${flipped} 条被故意翻转。`,
  rewardAccuracy: (accuracy, heldOut) =>
    Number.isFinite(accuracy)
      ? `在 ${heldOut} 条留出标注中，奖励模型与其中 ${formatPercent(accuracy)} 一致（随机猜测为 50%）。`
      : `奖励模型没有可以用来检验的、有明确结论的留出标注（留出了 ${heldOut} 条）。`,
  setupHeading: '实验设置',
  watchHeading: '要观察什么',
  whatHappened: '发生了什么',
  whyHeading: '为什么会这样',
  fixHeading: '解决办法',
  samples: '最新的样本（模型用英文写作）',
  sampleMeta: (arm, iteration, gold) =>
    `${armName(arm)}，第 ${iteration} 次迭代${gold === null ? '' : `，金标准分数 ${number(gold)}`}`,
  iteration: '迭代',
  chartTitle: (metric) => CHART_TITLES[metric] ?? metric,
  armName,
  /** 一次测得的变化：“代理奖励（奖励模型分数）从 0.10 上升到 1.52（β = 0）”。 */
  moved: (metric, arm, from, to, arms) => {
    const where = arms > 1 ? `（${armName(arm)}）` : '';
    const span =
      to > from
        ? `从 ${number(from)} 上升到 ${number(to)}`
        : to < from
          ? `从 ${number(from)} 下降到 ${number(to)}`
          : `保持在 ${number(to)}`;
    return spaced(phrase(metric), span, where);
  },
  belowZero: (metric, arm, to) =>
    spaced(phrase(metric), `最终为 ${number(to)}（${armName(arm)}）${to < 0 ? '，低于零' : ''}`),
  exceeds: (metric, arm, to, than, other) =>
    spaced(
      phrase(metric),
      `最终为 ${number(to)}（${armName(arm)}），${other > 0 ? `是${armName(than)}的 ${number(other)} 的 ${number(to / other)} 倍` : `而${armName(than)}为 ${number(other)}`}`,
    ),
  /** 几句连成一句：“A，同时 B。” */
  joined: (parts) => `${parts.join('，同时')}。`,
  held: '这正是这个实验要展示的失败。',
  notHeld: (which) =>
    `这次运行没有清楚地显示出来：${spaced(...which.flatMap((w, i) => (i === 0 ? [w] : ['和', w])), '的走向相反')}。小规模的运行噪声很大；请再运行一次，或者增加迭代次数。`,
  tooShort: '这次运行太短，看不出趋势；请让它运行到结束。',
  /** DPO 与 PPO：哪一个最终的金标准分数更高。 */
  comparison: (a, aGold, b, bGold) =>
    aGold === bGold
      ? `${spaced(armName(a), '和', armName(b), '最终的金标准分数相同')}（${number(aGold)}）。`
      : `${spaced(armName(aGold > bGold ? a : b), '最终的金标准分数更高')}（${number(Math.max(aGold, bGold))}，对比 ${number(Math.min(aGold, bGold))}）。`,
};

/** 这次运行测得了什么，写成句子：与英文版同样的读法。 */
export const whatHappened: typeof en.whatHappened = (readings, armReadings, arms) => {
  const lines: string[] = [];
  if (readings.length > 0) {
    lines.push(
      experiments.joined(
        readings.map((r) =>
          r.expect === 'below-zero'
            ? experiments.belowZero(r.metric, r.arm, r.to)
            : r.than !== null
              ? experiments.exceeds(r.metric, r.arm, r.to, r.than.arm, r.than.value)
              : experiments.moved(r.metric, r.arm, r.from, r.to, arms),
        ),
      ),
    );
    const missed = readings.filter((r) => r.held === false).map((r) => phrase(r.metric));
    lines.push(missed.length === 0 ? experiments.held : experiments.notHeld(missed));
  }
  if (arms > 1 || readings.length === 0) {
    for (const arm of new Set(armReadings.map((r) => r.arm))) {
      const own = armReadings.filter((r) => r.arm === arm);
      lines.push(
        `${armName(arm)}：${own.map((r) => experiments.moved(r.metric, r.arm, r.from, r.to, 1)).join('；')}。`,
      );
    }
    const golds = armReadings.filter((r) => r.metric === 'gold/score');
    if (golds.length === 2) lines.push(experiments.comparison(golds[0].arm, golds[0].to, golds[1].arm, golds[1].to));
  }
  return lines.length === 0 ? [experiments.tooShort] : lines;
};
