/** 页面外壳的文字：页眉、计算后端、模型加载、提示框、问题、存储、阶段栏。 */
import type * as en from '../shell';
import type { BackendName } from '../../../contract/backends';
import type { ProgressPhase } from '../../../contract/protocol';
import type { ProblemCode } from '../../problem';
import type { Stage } from '../../page-setup';
import { backendAttemptText, backendReason } from './backend-failures';
import { formatBytes, formatCount, formatDate, formatSeconds } from './format';

export const app: typeof en.app = {
  title: 'RLHF 演练场',
  tagline: '一个 GPT-2 式语言模型，用 TensorFlow.js 在此浏览器标签页中运行。',
  startFailed: (why) => `RLHF 演练场无法启动：${why}`,
};

const BACKEND_NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'WASM', webgl: 'WebGL', cpu: 'CPU' };

export const backend: typeof en.backend = {
  label: '计算后端',
  details: '为什么？',
  starting: '正在启动引擎…',
  failed: '没有可以启动的计算后端',
  name: (name) => BACKEND_NAMES[name],
  attemptsSummary: (n) => (n === 1 ? '为什么没用上面那个后端' : `为什么没用上面 ${n} 个后端`),
  attempt: (attempt) => backendAttemptText(attempt),
  reason: (choice) => backendReason(choice),
  narrowed: (names) => `按页面地址（?backend=）的要求，只尝试了 ${names.map((n) => BACKEND_NAMES[n]).join('、')}。`,
  warmup: (ms) => `在首次计时的工作之前，用 ${formatSeconds(ms)} 编译了计算内核`,
  warmupWhy:
    '模型加载后立即运行一次很短的生成和一步训练，让 GPU 在那时编译它的程序，而不是在你第一次生成或调优时才编译。',
  lost: (loss) =>
    `引擎使用显卡（${BACKEND_NAMES[loss.backend]}）时显卡停止了工作：${loss.reason === 'destroyed' ? '此标签页的显卡被关闭了' : '可能是显存不足或驱动重启，这在笔记本电脑上时有发生'}。引擎存在显卡上的一切都已丢失，因此它将不用显卡重新启动。`,
  recovered: (to, restored) => {
    const from =
      restored === 'checkpoint' ? '，从最近保存的检查点恢复' : restored === 'model' ? '，从已加载的模型恢复' : '';
    const resume = restored === 'nothing' ? '' : '上次保存之后调优的部分需要重新调优：在“调优”阶段按“运行”继续。';
    return `现在改用 ${BACKEND_NAMES[to]} 运行，较慢但稳定${from}。${resume}`;
  },
  recovering: '正在重启引擎…',
};

const PHASES: Record<ProgressPhase, string> = {
  manifest: '正在读取模型列表',
  tokenizer: '正在下载分词器',
  checkpoint: '正在下载权重',
  card: '正在下载模型卡',
  build: '正在构建模型',
  generate: '正在生成',
};

export const model: typeof en.model = {
  heading: '模型',
  waiting: '引擎启动后加载模型。',
  loading: '正在加载模型…',
  choose: '模型',
  phase: (phase) => PHASES[phase],
  params: (n) => `${formatCount(n)} 个参数`,
  shape: (c) =>
    `${c.nLayer} 层 · ${c.nHead} 个注意力头 · 宽度 ${c.nEmbd} · 上下文 ${c.blockSize} 个词元 · 词表 ${formatCount(c.vocabSize)}`,
  loadedIn: (bytes, ms) => `权重 ${formatBytes(bytes)}，用时 ${formatSeconds(ms)} 加载完成`,
  card: '模型卡',
  noCard: '这个模型没有模型卡。',
};

export const progress: typeof en.progress = {
  bytes: (loaded, total) => (total === null ? formatBytes(loaded) : `${formatBytes(loaded)} / ${formatBytes(total)}`),
  tokens: (loaded, total) => (total === null ? `${loaded} 个词元` : `${loaded} / ${total} 个词元`),
};

export const prompt: typeof en.prompt = {
  heading: '提示词',
  label: '让模型续写的文字（模型只会写英文）',
  placeholder: 'Once upon a time',
  generate: '生成',
  generating: '正在生成…',
  stop: '停止',
  shortcut: 'Ctrl+Enter 生成。',
  notReady: '模型加载完成后才能生成。',
  empty: '提示词为空时，模型会自己开始写一个新故事。',
};

export const settings: typeof en.settings = {
  legend: '采样',
  greedy: '贪心解码：总是取可能性最大的词元',
  greedyHint: '开启贪心解码后，温度、top-k 和 top-p 都不起作用。',
  label: {
    temperature: '温度',
    topK: 'Top-k',
    topP: 'Top-p',
    maxNewTokens: '最多新词元数',
    seed: '随机种子',
  },
  hint: {
    temperature: '低于 1 更稳妥，高于 1 更放飞。',
    topK: '只在可能性最大的 k 个词元中采样；0 表示不限。',
    topP: '只在累计概率达到此值的最可能词元中采样；1 表示不限。',
    maxNewTokens: '遇到文本结束符或上下文写满时，生成也会停止。',
    seed: '相同的种子和设置会得到相同的文字。',
  },
  notSaved: (why) => `重新加载后不会保留这些设置：${why}`,
};

export const output: typeof en.output = {
  heading: '续写',
  none: '续写的文字会显示在这里（模型用英文写作：它只在英文 TinyStories 上训练过）。',
  finish: (reason, newTokens) =>
    reason === 'eos' ? '在文本结束符处停止。' : `生成 ${newTokens} 个新词元后停止（达到上限或上下文已满）。`,
  timing: (tokens, ms) =>
    `${tokens} 个词元，用时 ${formatSeconds(ms)}（每秒 ${(tokens / Math.max(ms / 1000, 1e-3)).toFixed(1)} 个词元）`,
  meanLogProb: (logProbs) =>
    logProbs.length === 0
      ? ''
      : `每个词元的平均对数概率：${(logProbs.reduce((a, b) => a + b, 0) / logProbs.length).toFixed(2)}`,
  cancelled: '未写完就停止了。',
};

const PROBLEM_TITLES: Record<ProblemCode, string> = {
  BAD_CONFIG: '模型配置无效',
  BAD_CHECKPOINT: '模型文件已损坏或前后不一致',
  BAD_TOKENIZER: '分词器文件无效',
  BAD_PROMPT: '这个提示词无法使用',
  BAD_CORPUS: '训练文本无法使用',
  BAD_ARGUMENT: '某个设置超出范围',
  NUMERICAL: '模型算出了非有限的数值',
  NO_BACKEND: 'TensorFlow.js 无法在此启动',
  NOT_READY: '引擎尚未启动',
  MODEL_NOT_FOUND: '找不到模型',
  BAD_MANIFEST: '模型列表无效',
  NETWORK: '下载失败',
  NO_MODEL: '尚未加载模型',
  NO_SESSION: '调优会话尚未开始',
  NO_REWARD_MODEL: '还没有奖励模型',
  NO_LABELER: '尚未选择模拟标注者',
  NOT_ENOUGH_LABELS: '标注还不够',
  CANCELLED: '已停止',
  BAD_REQUEST: '页面向引擎发送了格式错误的请求',
  WORKER_CRASHED: '引擎停止了',
  DEVICE_LOST: '显卡停止了工作',
  INTERNAL: '引擎内部出错',
  STORAGE_QUOTA: '浏览器的存储空间已满',
  STORAGE_NOT_FOUND: '这项内容已不在存储中',
  STORAGE_IN_USE: '这项内容仍在使用中',
  STORAGE_BAD_BACKUP: '这个备份无法恢复',
  STORAGE_FAILED: '保存失败',
  TRAINING_ELSEWHERE: '另一个标签页正在训练',
  BASE_GONE: '本次运行的基础模型不见了',
};

const PROBLEM_HINTS: Partial<Record<ProblemCode, string>> = {
  NO_REWARD_MODEL: '前往“标注”阶段比较几对回复（或打开自动标注），然后在“奖励模型”阶段训练奖励模型。',
  NO_LABELER: '在“标注”阶段选择一个模拟标注者。',
  NOT_ENOUGH_LABELS: '在“标注”阶段再标注几对，然后重试。',
  NUMERICAL: '调低学习率或调高 beta，重置为参考模型后再运行。',
  STORAGE_QUOTA: '在“数据”阶段删除旧的检查点或标注，或者导出备份后清除网站数据。',
  STORAGE_FAILED: '目前为止的工作都还在。请重试；如果一直失败，请在“数据”阶段导出备份。',
  BAD_ARGUMENT: '检查上面提到的文件或设置，然后重试。',
  BAD_CHECKPOINT:
    '什么都没有改动。请选择本应用保存的检查点，或一个 Hugging Face GPT-2 文件夹（config.json、model.safetensors 和分词器文件）。',
  BAD_TOKENIZER: '什么都没有改动。检查点只能配合训练它时所用的分词器：请把模型文件夹连同其分词器文件一起导入。',
  STORAGE_BAD_BACKUP: '什么都没有改动。请选择在“数据”阶段用“备份全部内容”做出的备份文件。',
  DEVICE_LOST: '你的标注和已保存的检查点都安全：它们存在浏览器里，而不在显卡上。重新加载页面会再次尝试使用显卡。',
  BASE_GONE: '从当前策略开始一次新运行（“调优”阶段），或者恢复一个包含该基础模型的备份。',
  TRAINING_ELSEWHERE:
    '同一时间只有一个标签页训练，这样两个标签页不会互相覆盖检查点。请在另一个标签页中完成或停止训练；你可以继续在这里标注。',
};

export const problem: typeof en.problem = {
  title: (code) => PROBLEM_TITLES[code],
  hint: (code) => {
    if (code === 'MODEL_NOT_FOUND' || code === 'BAD_MANIFEST') {
      return '应用读取 public/models/manifest.json 及其列出的文件。README 说明了如何训练模型或把模型复制到那里；之后请重新加载页面。';
    }
    if (code === 'WORKER_CRASHED' || code === 'NO_BACKEND') return '请重新加载页面；如果再次发生，换一个浏览器试试。';
    return PROBLEM_HINTS[code] ?? null;
  },
};

export const storage: typeof en.storage = {
  unavailable: (why) =>
    `此浏览器不允许页面存储任何内容（${why}）。标注和调优仍可进行，但页面关闭后什么都不会保留：离开前请在“数据”阶段导出你的标注。`,
};

export const lock: typeof en.lock = {
  busy: 'RLHF 演练场的另一个标签页正在调优策略。',
};

/**
 * The names the app gives the checkpoints it saves by itself (kept in English in storage and in
 * exports, as data), in Chinese; a name the person chose is shown as written.
 */
function storedName(name: string): string {
  const after = /^after (\d+) iterations$/.exec(name);
  if (after !== null) return `${after[1]} 次迭代之后`;
  const pretrained = /^pretrained on (.+)$/.exec(name);
  if (pretrained !== null) return `在 ${pretrained[1]} 上预训练`;
  const reward = /^reward model, (\d+) labels$/.exec(name);
  if (reward !== null) return `奖励模型，${reward[1]} 条标注`;
  return name === 'imported model' ? '导入的模型' : name;
}

export const saved: typeof en.saved = {
  heading: '已保存的策略',
  none: '还没有：每次调优运行后都会保存策略，命名的保存会一直保留。',
  use: '使用',
  useLabel: (name) => `使用已保存的策略“${storedName(name)}”`,
  base: '用作基础模型',
  baseLabel: (name) => `把“${storedName(name)}”用作基础模型`,
  baseHint:
    '之后的调优从这个模型开始，KL 惩罚让策略保持在它附近；重新加载后它仍是基础模型。导入大小或词表不同的模型时需要这样做。',
  isBase: '基础模型',
  current: '使用中',
  row: (name, bytes, time, iterations) =>
    `${storedName(name)} · ${formatBytes(bytes)} · ${formatDate(time)}${iterations === null ? '' : ` · ${iterations} 次迭代`}`,
  named: '已命名',
  saveAs: '将当前策略另存为',
  save: '保存',
  intro: '调优过的策略保存在此浏览器中。选用一个即可从它继续；所有策略共用同一批标注。',
};

export const pretrain: typeof en.pretrain = {
  heading: '用你自己的文本预训练',
  intro:
    '把一个纯文本文件拖到这里（故事之间用空行或 <|endoftext|> 分隔），或者选择一个文件。已加载的模型会继续学习预测下一个词；文本的最后十分之一留作验证集来衡量它。模型的分词器是为英文训练的，英文文本效果最好。',
  choose: '选择文本文件',
  dropped: (name, chars) => `${name}：${formatCount(chars)} 个字符。`,
  steps: '训练步数',
  stepsHint: '每一步从 8 段文本窗口中学习。在标签页里几百步需要几分钟。',
  start: '训练',
  stop: '停止',
  progress: (step, total, etaMs) => `第 ${step} / ${total} 步 · 约剩 ${formatSeconds(etaMs)}`,
  chart: '下一词元损失（每词元奈特）',
  step: '步',
  loss: '损失',
  done: (steps, before, after) =>
    `已训练 ${steps} 步。验证集损失从每词元 ${before.toFixed(3)} 奈特降到 ${after.toFixed(3)} 奈特。调优将从这个模型重新开始。`,
  notText: '这个文件不是纯文本：请选择 .txt 文件。',
};

const UNITS: Record<Stage, string> = {
  model: '',
  label: '条标注',
  reward: '次训练',
  tune: '次迭代',
  compare: '个已保存策略',
  data: '条记录',
};

export const rail: typeof en.rail = {
  label: 'RLHF 的各个阶段',
  names: {
    model: '模型',
    label: '标注',
    reward: '奖励模型',
    tune: '调优',
    compare: '比较',
    data: '数据',
  },
  count: (stage, n) => (n === null ? '' : `${n} ${UNITS[stage]}`),
  starting: '正在启动调优会话…',
};

export const language: typeof en.language = {
  label: '界面语言',
  names: { en: 'English', 'zh-CN': '中文' },
  notSaved: (why) => `重新加载后不会保留所选语言：${why}`,
};
