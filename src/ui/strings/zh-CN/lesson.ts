/**
 * 引导式首次运行的中文：每一步的标题和两句说明、按钮和屏幕阅读器播报的内容。模型只会写英文
 * （它在英文的 TinyStories 上训练），所以说到它写的文本和它能表现出的偏好时都说明这一点。
 */
import type * as en from '../lesson';
import { formatPercent } from '../format';

export const lesson: typeof en.lesson = {
  heading: '新手引导：完整走一遍 RLHF',
  steps: {
    generate: {
      title: '读一读模型写了什么',
      body: '这是基础策略：一个只学过续写故事的小型语言模型，还没有接受任何人类反馈；它只会写英文（它是在英文的 TinyStories 上训练的）。保留开头或用英文输入你自己的开头，按“生成”，读一读人类反馈强化学习（RLHF）将从什么起步。',
    },
    label: {
      title: '按你自己的偏好标注回复对',
      body: '在两条回复之间的每一次选择，都是一行偏好数据，也是奖励模型唯一的学习来源。选定一种模型能表现出的偏好，并在每一对上都坚持它。',
    },
    reward: {
      title: '看奖励模型学会你的偏好',
      body: '奖励模型给一条回复打分；训练拟合 Bradley–Terry 损失，让你偏好的回复得分更高。按“训练”，然后看它的留出一致率：在它从未训练过的回复对上，它有多常和你站在同一边。',
    },
    tune: {
      title: '按“运行”：奖励上升，KL 增大',
      body: '近端策略优化（PPO）采样回复，用你的奖励模型给它们打分，并把策略推向更高的“奖励减去 beta 乘以它与参考模型之间的 KL 散度”。按“运行”，看奖励曲线上升，同时 KL 曲线显示策略偏离了多远。',
    },
    compare: {
      title: '盲评对比基础策略和调优后的策略',
      body: '盲评 A/B 以随机顺序展示基础策略和调优后的策略对同一提示词的回复，你不知道哪条来自哪个策略，判断也就不会受到影响。开始一轮盲评，并对每一对投票。',
    },
    summary: {
      title: '发生了什么',
      body: '你写下了偏好数据，用它训练了奖励模型，又在 KL 惩罚把策略拉在基础模型附近的同时，针对这个奖励优化了策略：这就是人类反馈强化学习（RLHF）。下面是你这次运行的结果。',
    },
  },
  tastes: ['带对话的故事', '圆满的结局', '动物'],
  tastesIntro: '这个模型能表现出的偏好（它写的是英文故事）：',
  labelProgress: (n, goal) => `已标注 ${n} / ${goal} 条`,
  agreement: (rate, low, high, pairs) =>
    rate === null
      ? '还没有留出一致率：请先训练奖励模型。'
      : `留出一致率 ${formatPercent(rate)}（95% 置信区间 ${formatPercent(low)}–${formatPercent(high)}），基于 ${pairs} 对回复：标注少时区间很宽，所以要连同区间一起读这个数。`,
  iterationProgress: (n, goal) => `这一步已完成 ${n} / ${goal} 次迭代`,
  budget: (nats) =>
    nats > 0
      ? `如果策略与参考模型的偏离超过 ${nats} 奈特，KL 预算就会停止这次运行。`
      : '没有设置 KL 预算：只有 beta 把策略拉在参考模型附近。',
  votes: (n, of) => `盲评已投 ${n} / ${of} 票`,
  summary: {
    labels: (n) => `你给出了 ${n} 条标注。`,
    iterations: (n) => `策略调优了 ${n} 次迭代。`,
    reward: (from, to) => `奖励模型给策略样本打的分从 ${from.toFixed(2)} 变成了 ${to.toFixed(2)}。`,
    kl: (kl) =>
      `最后一次迭代测得它与基础模型之间的 KL 为 ${kl.toFixed(2)} 奈特${kl < 0 ? '（这是采样估计：接近 0 时可能小于 0）' : ''}。`,
    blind: (text) => `在你的盲评中，调优后的策略赢下了 ${text} 的回复对。`,
  },
  stepOf: (i, n) => `第 ${i} 步，共 ${n} 步`,
  announce: (i, n, title) => `引导，第 ${i} 步，共 ${n} 步：${title}`,
  announceSkipped: '已跳过引导。“重新开始引导”按钮可以把它找回来。',
  announceDone: '引导已完成。',
  next: '下一步',
  back: '上一步',
  finish: '完成',
  skip: '跳过引导',
  skipKey: 'Esc',
  restart: '重新开始引导',
  turnOff: '不再显示引导',
  turnedOff: '引导已关闭。“重新开始引导”按钮可以重新打开它。',
  doneWhen: '完成这一步后会自动进入下一步，你也可以直接按“下一步”。',
  ignored: (parts) => `链接中的 ${parts.join('、')} 无法使用，已被忽略：页面在这些地方使用了默认值。`,
  clamped: (parts) => `链接中的 ${parts.join('、')} 超出了允许范围，已改为最接近的允许值。`,
  dismiss: '关闭',
};
