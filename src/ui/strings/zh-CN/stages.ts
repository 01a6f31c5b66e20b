/** 各阶段的文字：标注、快捷键、奖励模型、调优、词元视图、数据（“比较”阶段见 compare.ts）。 */
import type * as en from '../stages';
import type { Algorithm } from '../../../contract/algorithms';
import { DEFAULT_TUNE } from '../../../contract/tune-settings';
import { MARKED_PLAY } from '../../../contract/marked-play';
import type { LabelKind } from '../../workspace';
import type { TokenMeasure } from '../../token-colour';
import { formatBytes, formatDate, formatPercent } from './format';

/** The default labeler name (“human”, as stored) in Chinese; names people chose stay as written. */
const person = (labeler: string): string => (labeler === 'human' ? '人类' : labeler);

const PHASE: Record<string, string> = { label: '标注', reward: '训练奖励模型', tune: '调优策略' };

export const label: typeof en.label = {
  heading: '哪个回复更好？',
  starsHeading: '这个回复有多好？',
  prompt: '提示词',
  responseA: '回复 A',
  responseB: '回复 B',
  response: '回复',
  chooseA: 'A 更好',
  chooseB: 'B 更好',
  tie: '一样好',
  skip: '跳过',
  undo: '撤销',
  edit: '改写',
  star: (n) => `${n} 星`,
  sampling: '正在从当前策略采样两个回复…',
  samplingOne: '正在从当前策略采样一个回复…',
  why: (r) =>
    `为什么问这一对：${
      r.kind === 'random'
        ? '随机选的提示词，从当前策略采样的两个回复'
        : r.kind === 'secondOpinion'
          ? '之前标注过的一对，再次询问以获得第二意见'
          : r.kind === 'contrast'
            ? `在 ${r.candidates} 对候选中，奖励模型最能区分这两个回复（P(A 更好) = ${r.pA.toFixed(2)}）`
            : `在 ${r.candidates} 对候选中，奖励模型的 ${r.heads} 个头对这一对分歧最大（分歧 ${r.spread.toFixed(2)}）`
    }。`,
  mode: '标注方式',
  modePair: '比较两个回复',
  modeStars: '给一个回复打星',
  active: '主动学习：问奖励模型最拿不准的那一对',
  activeHint: '关闭：随机选提示词。打开：采样 4 对候选，问奖励模型各个头分歧最大的那一对。',
  labeler: '模拟标注者',
  labelerHint:
    '供自动标注和在线循环使用，也是图表中显示的“金标准”分数。也可以写关键词规则，例如 +dog -sad（模型写英文，所以关键词用英文）。',
  keywordOption: '关键词规则…',
  keywordLabel: '关键词规则',
  autopilot: '自动标注：由模拟标注者替你标注',
  autopilotMark: (labeler) => `这是自动标注（${labeler}）的回复，不是你的`,
  autopilotPick: '自动标注的选择',
  autopilotMarks: (max) => `自动标注和在线循环也标出其规则所看重的词（每个回复最多 ${max} 个）`,
  loop: '在线循环：标注、训练奖励模型、调优，周而复始',
  loopHint: '无需动手的演示：模拟标注者标注 8 对，奖励模型重新训练，策略调优 2 次迭代，然后再来一轮。',
  loopStatus: (phase, rounds) =>
    phase === null
      ? `已完成 ${rounds} 轮。`
      : `第 ${rounds + 1} 轮：正在${PHASE[phase === 'label' || phase === 'reward' ? phase : 'tune']}…`,
  loopStopped: (phase) =>
    `循环在${phase === 'label' ? '标注' : phase === 'reward' ? '训练奖励模型' : '调优'}时停止了：原因请看那个阶段。`,
  shortcutsHint: '按键：1 A 更好 · 2 B 更好 · 3 一样好 · S 跳过 · M 标记词 · Ctrl+Z 撤销 · E 改写 · ? 全部按键',
  starShortcutsHint: '按键：1–5 星 · S 跳过 · Ctrl+Z 撤销 · E 改写 · ? 全部按键',
  news: (n) => {
    const who = n.labeler === undefined || n.labeler === 'human' ? '' : `（由 ${n.labeler} 标注）`;
    if (n.kind === 'chose')
      return n.choice === 'skip'
        ? `已跳过${who}，已保存。`
        : n.choice === 'tie'
          ? `已保存：一样好${who}。`
          : `已保存：${n.choice === 'a' ? 'A' : 'B'} 更好${who}。`;
    if (n.kind === 'rated') return `已保存：${n.stars ?? 0} 星${who}。`;
    if (n.kind === 'demonstrated') return '已把你的改写保存为 SFT 用的示范。';
    if (n.kind === 'dropped') return `未保存：${n.labeler ?? '模拟标注者'}给出判断的那一对已不在屏幕上。`;
    return '已撤销：上一条标注已删除。';
  },
  editHeading: '把回复改写成更好的一个',
  editHint: '保存为示范：“调优”阶段的 SFT 会学着这样写。模型只会英文，请用英文改写。',
  editSave: '保存示范',
  editCancel: '取消',
  editWhich: '从这个回复开始',
  addPrompt: '添加你自己的提示词',
  addPromptButton: '添加提示词',
  promptCount: (n) => `${n} 个训练提示词（自带的故事开头加上你添加的）。`,
  uncertainty: (u) => `奖励模型在这一对上的分歧：${u.toFixed(2)}`,
  marksHeading: '标出造成差别的词',
  marksHint: '可选：选中造成差别的词（用鼠标拖过它们，或按 M 再用方向键），然后标为好或坏。',
  marksSelected: '给选中的词做标记：',
  markGood: '好',
  markBad: '坏',
  markClear: '清除',
  markedWords: (side, polarity, words) =>
    `${side === 'a' ? 'A' : 'B'} ${polarity > 0 ? '好' : '坏'}：${words.map((w) => `“${w}”`).join('、')}`,
};

export const shortcuts: typeof en.shortcuts = {
  heading: '键盘快捷键',
  close: '关闭',
  intro: '在“标注”阶段，没有文本框获得焦点时：',
  keys: [
    ['1', 'A 更好（打星模式：1 星）'],
    ['2', 'B 更好（打星模式：2 星）'],
    ['3', '一样好（打星模式：3 星）'],
    ['4, 5', '打星模式：4 星或 5 星'],
    ['S', '跳过这一对'],
    ['Ctrl+Z 或 Cmd+Z', '撤销这一对上的上一个词标记，没有则撤销上一条标注'],
    ['M', '开始标记词：光标放在 A 的第一个词上'],
    ['← →、Shift+← →', '移动词光标；按住 Shift 可选中多个词'],
    ['↑ ↓', '把词光标移到另一个回复'],
    ['G、B', '把选中的词标为好或坏'],
    ['Delete', '清除选中范围内的标记'],
    ['Esc', '停止标记'],
    ['E', '把一个回复改写得更好（一条示范）'],
    ['?', '显示或隐藏此列表'],
    ['“比较”阶段的 1、2、3', '盲测中：第一个更好、第二个更好、一样好'],
  ],
};

export const reward: typeof en.reward = {
  heading: '奖励模型',
  train: '立即训练',
  training: '正在训练…',
  autoTrain: '每有 4 条新标注就在后台训练',
  progress: (step, total) => `第 ${step} / ${total} 步`,
  notTrained: '还没有训练。先标注几对，再训练。',
  restoreFailed: (why) => `保存的奖励模型无法恢复，因此用你的标注重新训练：${why}`,
  trainedOn: (n, since, restored) =>
    `已用 ${n} 条标注训练${since > 0 ? `，此后新增 ${since} 条` : ''}。${restored ? '重新加载后已恢复保存的模型，无需重新训练。' : ''}`,
  lossChart: '训练损失（Bradley-Terry），本次训练',
  accuracyChart: '每次训练后的验证集准确率',
  calibrationChart: '校准：预测与实际对比',
  step: '步',
  labels: '标注数',
  loss: '损失',
  accuracy: '准确率',
  predicted: '预测的 P(A 更好)',
  observed: '实际',
  perfect: '完美校准',
  heldOut: (c) => {
    if (c.heldOut === 0) return '还没有留出的标注对：大约每十条标注留出一条用于这项检查，请再标注几条。';
    if (c.decided === 0 || !Number.isFinite(c.accuracy))
      return `你留出的 ${c.heldOut} 条标注都是“一样好”；计算准确率需要至少一对分出胜负的留出标注。`;
    const decided = c.decided ?? c.heldOut;
    const ties = c.heldOut - decided;
    return `在 ${decided} 对从未用于训练的标注上，验证集准确率为 ${(c.accuracy * 100).toFixed(0)}%${ties > 0 ? `（另有 ${ties} 对留出的“一样好”）` : ''}。`;
  },
  worth: (w) =>
    `你的标注目前的价值：在 ${w.pairs} 对留出标注中，奖励模型与你一致 ${w.agreed} 对，因此它与你的真实一致率在 ${formatPercent(w.low)} 到 ${formatPercent(w.high)} 之间（95% 区间）${w.coinToss ? '，这个范围仍包含抛硬币的 50%' : ''}。再标注约 ${w.moreLabels} 条，这个范围会缩小一半。`,
  scoreHeading: '给任意文本打分',
  scorePrompt: '提示词',
  scoreResponse: '回复',
  score: '打分',
  scored: (score, spread) =>
    `奖励 ${score.toFixed(2)}（已归一化：0 相当于基础模型的典型回复），各个头的分歧为 ${spread.toFixed(2)}。`,
  disagreeHeading: '奖励模型与标注不一致的地方',
  disagreeNone: '没有：在每一对已标注的回复上，奖励模型都偏好标注中胜出的那一个。',
  disagreeIntro: '它还没学会的标注对，最自信却错得最厉害的排在前面：',
  disagreeRow: (p, choice, labeler) =>
    `${person(labeler)} 标注 ${choice === 'a' ? 'A' : 'B'} 更好；奖励模型给这个结果的概率只有 ${(p * 100).toFixed(0)}%。`,
};

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

const KIND_NAMES: Record<LabelKind, string> = {
  comparisons: '比较',
  ratings: '星级评分',
  demonstrations: '示范',
};

export const data: typeof en.data = {
  heading: '你的数据',
  kind: (k) => KIND_NAMES[k],
  search: '搜索提示词和回复',
  empty: '这里还什么都没有。',
  delete: '删除',
  deleteLabel: (id) => `删除标注 ${id}`,
  row: {
    choice: (c) => (c === 'a' ? 'A 更好' : c === 'b' ? 'B 更好' : c === 'tie' ? '一样好' : '已跳过'),
    stars: (n) => `${'★'.repeat(n)}${'☆'.repeat(5 - n)}（${n}）`,
    by: (labeler, time) => `${person(labeler)} · ${formatDate(time)}`,
  },
  limit: (n) => `只显示最新的 ${n} 条；搜索可缩小范围。`,
  exportJsonl: '导出标注（TRL JSONL）',
  importJsonl: '导入标注（TRL JSONL，一个或多个文件）',
  exportBackup: '备份全部内容',
  importBackup: '恢复备份',
  exportHf: '导出当前策略（Hugging Face GPT-2）',
  importHf: '导入 Hugging Face GPT-2 文件夹',
  usage: (used, quota, persisted) =>
    `已用存储：${formatBytes(used)} / ${formatBytes(quota)}${persisted === true ? '（浏览器会保留）' : persisted === false ? '（磁盘空间不足时浏览器可能会清除）' : ''}。`,
  noUsage: '此浏览器没有提供已用存储的大小。',
  agreementHeading: '标注者之间的一致性',
  agreementNone: '还没有任何一对被两位标注者都标注过。用自动标注和手动各标注一些即可比较。',
  agreementRow: (a, b, pairs, observed, kappa) =>
    `${person(a)} 与 ${person(b)}：共同标注 ${pairs} 对，答案相同 ${(observed * 100).toFixed(0)}%，Cohen's kappa ${kappa === null ? '无定义（没有变化）' : kappa.toFixed(2)}。`,
  news: (n) => {
    if (n.kind === 'deleted') return '已删除。';
    if (n.kind === 'restored') return `已恢复 ${n.records ?? 0} 条记录。`;
    if (n.kind === 'importedModel') return `已把“${n.name}”导入为已保存的检查点。`;
    if (n.kind === 'exportedModel') return '已把当前策略导出为 Hugging Face GPT-2 文件夹。';
    return `已导出 ${n.name}。`;
  },
};

export const run: typeof en.run = {
  gone: (reason, base) =>
    reason === 'deleted'
      ? `本次运行的基础模型（${base}）已不在此浏览器中：它被删除了，或浏览器的存储被清除了。`
      : reason === 'unavailable'
        ? `本次运行的基础模型（${base}）无法加载。`
        : `本次运行的基础模型（${base}）已不是运行开始时的那个：它的权重变了。`,
  goneWhy:
    'KL 惩罚和 KL 图表以本次运行的基础模型为参考来衡量策略，所以调优过的策略没有被放到另一个模型上，调优暂停等待。请恢复一个包含该基础模型的备份，或以当前策略为基础开始新的运行。',
  goneProblem: '本次运行的基础模型不见了，调优会等到新的运行开始。',
  startNew: '以当前策略开始新的运行',
  shipped: (modelId) => `自带模型“${modelId}”`,
  checkpoint: (id) => `已保存的检查点 #${id}`,
};
