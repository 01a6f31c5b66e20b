/** 各阶段的文字：标注、快捷键、奖励模型、数据（“调优”阶段见 tune.ts，“比较”阶段见 compare.ts）。 */
import type * as en from '../stages';
import type { LabelKind } from '../../workspace';
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
  autoTrain: (n) => `每有 ${n} 条新标注就在后台训练`,
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
