/** Strings of the Tune stage's chart tools and the presentation layout (Chinese). Metric ids stay as TRL names them. */
import type * as en from '../charts';
import { isKnownMetric, type MetricName } from '../../../contract/metrics';

const METRIC_TITLES: Record<MetricName, string> = {
  'objective/scores': '奖励模型分数',
  'objective/kl': '与参考模型的 KL（每条回复，奈特）',
  'objective/entropy': '熵（每条回复，奈特）',
  'objective/non_score_reward': 'KL 惩罚（−β · KL）',
  'objective/rlhf_reward': '分数减去 KL 惩罚',
  'policy/clipfrac': '裁剪比例',
  'policy/approxkl': '单次更新的近似 KL',
  'policy/entropy_tokens': '每个词元的熵',
  'policy/skipped_updates': '跳过的更新（出现非数值）',
  'loss/policy': '策略损失',
  'loss/value': '价值损失',
  'loss/kl_term': '损失中的 KL 项',
  'loss/sft': 'SFT 损失（交叉熵）',
  'val/clipfrac': '价值裁剪比例',
  'val/var_explained': '价值：解释方差',
  'val/warmup_loss': '首次更新前价值预热的损失',
  'rewards/chosen': 'DPO 被选回复的隐式奖励',
  'rewards/rejected': 'DPO 被拒回复的隐式奖励',
  'rewards/margins': 'DPO 奖励差（被选 − 被拒）',
  'rewards/accuracies': 'DPO 准确率（被选回复排得更高）',
  'gold/score': '金标准分数（模拟标注者）',
  'probe/reward': '探针：奖励模型分数',
  'probe/gold': '探针：金标准分数',
  'probe/kl': '探针：与参考模型的 KL',
  'response/length': '回复长度（词元）',
  'response/ended_fraction': '写到文本结束符的回复比例',
  'budget/kl': 'KL 预算',
  'budget/stopped': '因 KL 预算而停止',
  'numerics/restored': '撤销的步骤（出现非数值）',
  'time/rollout_ms': '采样轨迹耗时（毫秒）',
  'time/update_ms': '更新耗时（毫秒）',
  'time/generate_ms': '生成耗时（毫秒）',
  'time/score_ms': '打分耗时（毫秒）',
  beta: 'β（KL 系数）',
  lr: '本轮迭代的学习率',
};

const GROUP_TITLES: Record<string, string> = {
  objective: '目标',
  policy: '策略更新',
  loss: '损失',
  val: '价值头',
  rewards: 'DPO 隐式奖励',
  gold: '模拟标注者',
  probe: '探针',
  response: '回复',
  budget: 'KL 预算',
  numerics: '数值',
  time: '耗时',
  '': '其他',
};

/** The names this app stores its runs under (data, kept in English), as the page shows them. */
const RUN_NAMES: Record<string, string> = { 'policy tuning': '策略调优', 'reward model': '奖励模型' };

export const charts: typeof en.charts = {
  metricTitle: (name) => (isKnownMetric(name) ? METRIC_TITLES[name] : null),
  groupTitle: (prefix) => GROUP_TITLES[prefix] ?? prefix,
  klShort: 'KL',
  betaShort: 'β',
  chooser: '更多图表',
  chooserHint: '本次运行中引擎记录的全部指标，按 TRL 中的（英文）名称列出。勾选的指标会画成图表。',
  chooserEmpty: '一次运行完成第一次迭代后，它的指标会出现在这里。',
  inDefaults: '始终显示',
  runs: '以前的运行',
  runsHint: '在图表上叠加最多两次以前的运行（虚线），或下载某次运行的指标。',
  runsEmpty: '每次运行记录了一次迭代后，就会连同其设置保存在这里；“重置为参考模型”会开始一次新的运行。',
  columns: {
    run: '运行',
    settings: '开始时的设置',
    date: '开始时间',
    iterations: '迭代次数',
    actions: '叠加与下载',
  },
  runName: (name, id, current) => `${RUN_NAMES[name] ?? name} #${id}${current ? '（当前）' : ''}`,
  settings: (algorithm, beta, learningRate) =>
    [
      algorithm === null ? null : algorithm.toUpperCase(),
      beta === null ? null : `β ${beta}`,
      learningRate === null ? null : `学习率 ${learningRate}`,
    ]
      .filter((p) => p !== null)
      .join(' · ') || '未记录设置',
  date: (ms) => new Date(ms).toLocaleString('zh-CN'),
  overlay: '叠加',
  overlayFull: '已经叠加了两次运行：请先清除其中一次。',
  overlayLabel: (series, run) => `${series} · ${run}`,
  csv: 'CSV',
  csvLabel: (run) => `将 ${run} 的指标下载为 CSV`,
  svg: 'SVG',
  png: 'PNG',
  downloadLabel: (format, title) => `将图表“${title}”下载为 ${format}`,
};
