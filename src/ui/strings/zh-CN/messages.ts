/**
 * The sentence for every message code the engine, the worker and storage raise, in Chinese. One
 * table, used by the page and by the Node commands, so it imports nothing of Svelte or the DOM.
 */
import type * as en from '../messages';
import type {
  AlgorithmId,
  CheckpointKind,
  GpuApi,
  GpuLossReason,
  InterruptedWork,
  Message,
  MessageParams,
  NeedsStorage,
  RecordKind,
  StorageMessages,
  StoredThing,
  WorkerMessages,
} from '../../../contract/messages';
import type { ImportProblem } from '../../../contract/file-messages';
import type { Sentences } from '../engine-messages';
import { backendAttemptText } from './backend-failures';
import { CLI_MESSAGES } from './cli-messages';
import { ENGINE_MESSAGES } from './engine-messages';
import { FILE_MESSAGES } from './file-messages';
import { formatCount } from './format';
import { INPUT_MESSAGES } from './input-messages';

const ALGORITHM_NAMES: Record<AlgorithmId, string> = {
  ppo: 'PPO',
  grpo: 'GRPO',
  rloo: 'RLOO',
  dpo: 'DPO',
  sft: 'SFT',
};

const GPU_NAMES: Record<GpuApi, string> = { webgpu: 'WebGPU', webgl: 'WebGL' };

const WORK_NAMES: Record<InterruptedWork, string> = {
  iterate: '调优',
  pretrain: '在你的文本上训练',
  trainReward: '奖励模型的训练',
  generate: '生成',
  evaluate: '对比',
  samplePolicies: '盲评轮的采样',
  other: '这个请求',
};

const STORED_NAMES: Record<StoredThing, string> = {
  comparison: '这条比较',
  rating: '这条评分',
  demonstration: '这条示范',
  generation: '这次生成的文本',
  vote: '这一票',
  prompts: '提示词',
  run: '这次运行',
  runMetrics: '运行的指标',
  change: '这项更改',
  trainingLease: '训练租约',
  importedLabels: '导入的标注',
  restoredWorkspace: '恢复的工作区',
  policyCheckpoint: '策略检查点',
  rewardCheckpoint: '奖励模型检查点',
  valueCheckpoint: '价值模型检查点',
};

const NEEDS_STORAGE_NAMES: Record<NeedsStorage, string> = {
  exportLabels: '导出标注',
  importLabels: '导入标注',
  exportBackup: '备份',
  restoreBackup: '从备份恢复',
  importModel: '导入模型',
  exportModel: '导出模型',
};

const RECORD_NAMES: Record<RecordKind, string> = {
  checkpoint: '检查点',
  run: '运行',
  prompt: '提示词',
  label: '标注',
};

const CHECKPOINT_KINDS: Record<CheckpointKind, string> = {
  policy: '策略',
  reward: '奖励模型',
  value: '价值模型',
};

const NO_MODEL_WHAT: Record<MessageParams['NO_MODEL']['what'], string> = {
  keep: '没有可以保存的东西',
  generate: '没有可以用来生成的模型',
  tune: '没有可以调优的模型',
  train: '没有可以训练的模型',
  tokenizer: '没有可以导出的分词器',
};

/** What happened to the GPU, in words for someone who has never heard of a GPU device. */
function happened(gpu: GpuApi, reason: GpuLossReason): string {
  return reason === 'destroyed'
    ? `显卡（${GPU_NAMES[gpu]}）已对这个标签页关闭`
    : `显卡（${GPU_NAMES[gpu]}）在这个标签页中停止了工作，显存耗尽或显卡驱动重启时就会这样`;
}

function cancelled({ work, url }: MessageParams['CANCELLED']): string {
  if (work === 'download') return `${url ?? '文件'} 的下载已取消。`;
  if (work === 'generate') return '生成已取消。';
  if (work === 'pretrain') return '在你的文本上的训练已停止；已经完成的步骤会保留。';
  if (work === 'iterate') return '调优已停止。';
  if (work === 'experiment') return '实验已停止；你自己的运行没有被改动。';
  return '这个请求已取消。';
}

function pairsToTrain(p: MessageParams['NO_PAIRS_TO_TRAIN']): string {
  const subject =
    p.algorithm === null
      ? '奖励模型'
      : `${ALGORITHM_NAMES[p.algorithm]} 要从奖励模型中学习，而现在还没有奖励模型。奖励模型`;
  const n = p.count ?? 0;
  const tail =
    p.reason === 'allHeldOut'
      ? `你的 ${n} 对全部被留出用于检验它：请再标注几对。`
      : p.reason === 'ratingsOnly'
        ? `你的 ${n} 条星级评分还凑不成一对：请给同一提示词的第二条回复打分，或比较一对回复。`
        : '现在还没有：请先比较一对回复（或给同一提示词的两条回复打分）。';
  return `${subject}要从偏好数据（成对的比较）中学习，而${tail}`;
}

const WORKER: Sentences<WorkerMessages> = {
  NO_BACKEND: (p) =>
    `没有任何 TensorFlow.js 后端能够启动：${[...p.attempts.map(backendAttemptText), ...(p.detail === null ? [] : [p.detail])].join('；')}`,
  NOT_READY: () => '引擎还没有启动：请先发送 init，再发送 loadModel。',
  NO_MODEL: (p) => `还没有加载模型，所以${NO_MODEL_WHAT[p.what]}。`,
  NO_SHIPPED_MODEL: () => '请先加载自带的模型：保存的模型会替换它。',
  NO_SESSION: () => 'RLHF 会话还没有开始：请先加载模型。',
  NO_LABELER: () => '还没有选择模拟标注者：请先在“标注”阶段选择一个。',
  NO_REWARD_MODEL: () => '还没有奖励模型：请先标注几对回复，再训练奖励模型。',
  ALGORITHM_NEEDS_REWARD_MODEL: (p) =>
    `${ALGORITHM_NAMES[p.algorithm]} 要从奖励模型中学习，而现在还没有奖励模型：请先在“奖励模型”阶段训练它。`,
  ALGORITHM_NEEDS_GROUPS: (p) =>
    `${ALGORITHM_NAMES[p.algorithm]} 要比较同一提示词的多条回复：请把“每个提示词的样本数”设为 2 或更多。`,
  NO_PAIRS_TO_TRAIN: pairsToTrain,
  DPO_NEEDS_PAIRS: (p) => `DPO 从偏好数据（成对的比较）中学习：请先至少标注 ${p.needed} 对。`,
  SFT_NEEDS_DEMONSTRATIONS: () => 'SFT 从示范中学习：请先在一对回复上按 E，把一条回复改写得更好。',
  CANCELLED: cancelled,
  BAD_REQUEST: (p) =>
    `引擎线程收到了一个格式错误的请求${p.request === null ? '（没有类型）' : `“${p.request}”`}：某个字段缺失、类型错误或超出范围。`,
  WORKER_CRASHED: (p) =>
    `引擎线程停止了：${p.reason ?? '它的脚本加载失败，或抛出了未捕获的错误（请查看浏览器控制台）'}。`,
  WORKER_MESSAGE_UNREADABLE: () => '引擎线程停止了：无法读取来自引擎线程的一条消息。',
  UNEXPECTED_EVENT: (p) => `引擎线程对 ${p.request} 请求回应了一个意料之外的“${p.event}”事件。`,
  DEVICE_LOST: (p) => {
    const next =
      p.work === 'iterate'
        ? `引擎正在不使用 ${GPU_NAMES[p.gpu]} 的情况下从上一次保存的检查点重启：按“运行”从那里继续调优。`
        : `引擎正在不使用 ${GPU_NAMES[p.gpu]} 的情况下重启：请稍后再试。`;
    return `${WORK_NAMES[p.work]}被中断了，因为${happened(p.gpu, p.reason)}。${next}你的标注全部保留。`;
  },
  DEVICE_LOST_NOTHING_TO_SAVE: (p) =>
    `没能保存任何新内容：${happened(p.gpu, p.reason)}，而自上一次保存的检查点以来调优的策略就在显卡上。引擎将不使用 ${GPU_NAMES[p.gpu]}，从那个检查点继续：按“运行”从那里重新调优。`,
  INTERNAL: (p) => `引擎线程中出现意外错误：${p.detail}`,
  DOWNLOAD_FAILED: (p) =>
    p.status === null ? `无法下载 ${p.url}：${p.detail}` : `无法下载 ${p.url}：HTTP ${p.status} ${p.detail}。`,
  DOWNLOAD_BROKE_OFF: (p) => `${p.url} 的下载在 ${p.loaded} 字节后中断：${p.detail}`,
  DOWNLOAD_CUT_SHORT: (p) => `${p.url} 的下载不完整：只收到 ${p.total} 字节中的 ${p.loaded} 字节。`,
  FILE_NOT_FOUND: (p) =>
    p.html
      ? `找不到 ${p.url}：服务器返回的是一个 HTML 页面，而不是这个文件。`
      : `服务器上找不到 ${p.url}（HTTP 404）。`,
  NOT_JSON: (p) => `${p.url} 不是有效的 JSON：${p.detail}`,
  MANIFEST_NOT_OBJECT: (p) => `${p.url}：${p.field === null ? '清单' : p.field} 必须是 JSON 对象。`,
  MANIFEST_NOT_STRING: (p) => `${p.url}：${p.field} 必须是非空字符串，实际为 ${p.got}。`,
  MANIFEST_NO_MODELS: (p) => `${p.url}：“models”必须是非空数组。`,
  MANIFEST_REPEATED_ID: (p) => `${p.url}：模型编号“${p.id}”出现了两次。`,
  MANIFEST_BAD_DEFAULT: (p) => `${p.url}：“default”必须是模型编号之一（${p.ids.join('、')}），实际为 ${p.got}。`,
  NO_SUCH_MODEL: (p) => `${p.url} 中没有模型“${p.id}”；其中的模型有：${p.known.join('、')}。`,
  STORED_TOKENIZER_NOT_JSON: (p) => `与“${p.name}”一起保存的分词器不是有效的 JSON：${p.detail}`,
  POLICY_OTHER_MODEL: () => '保存的策略属于另一个模型，而不是当前加载的模型，所以无法恢复到它上面。',
  KL_BUDGET_STOPPED: (p) =>
    `已被 KL 预算停止：第 ${p.iteration} 次迭代使与参考模型的 KL 散度达到 ${p.kl.toFixed(2)} 奈特，超过了 ${p.budget} 的预算。这次迭代已被撤销（策略回到 ${p.keptKl.toFixed(2)} 奈特），调优已停止。若要继续，请提高预算或 beta。`,
};

const STORAGE: Sentences<StorageMessages> = {
  STORAGE_FULL: (p) =>
    `浏览器没有剩余空间来保存${STORED_NAMES[p.what]}。之前保存的内容都没有丢失。请删除旧的检查点、运行或生成的文本来释放空间，或者导出备份后重新开始。`,
  STORAGE_FAILED: (p) => `无法保存${STORED_NAMES[p.what]}：${p.detail}。之前保存的内容都没有丢失。`,
  RECORD_NOT_FOUND: (p) =>
    `${p.store === undefined ? '' : `${p.store} 中`}没有编号为 ${p.id} 的${RECORD_NAMES[p.kind]}。`,
  CHECKPOINT_IN_USE: (p) =>
    `检查点“${p.name}”是当前使用的${CHECKPOINT_KINDS[p.kind]}；请先把另一个检查点设为当前使用。`,
  NEEDS_STORAGE: (p) =>
    `${NEEDS_STORAGE_NAMES[p.work]}需要浏览器的存储（IndexedDB），而这个窗口不允许使用它。在关闭页面之前，标注和调优仍然可以进行。`,
  NOT_A_POLICY: (p) => `检查点“${p.name}”是${CHECKPOINT_KINDS[p.kind]}检查点；只有策略可以导出为 GPT-2 语言模型。`,
};

/** Problems written out in an import's message; the page lists them all. */
const LISTED_PROBLEMS = 20;

/** One problem of an import, with where it is: "第 12 行：……". */
export const importProblemText: typeof en.importProblemText = (problem: ImportProblem): string => {
  const where = [problem.line === undefined ? null : `第 ${problem.line} 行`, problem.record ?? null].filter(
    (w) => w !== null,
  );
  return `${where.length > 0 ? `${where.join('，')}：` : ''}${messageText(problem.message)}`;
};

/** The heading of an import's problem list. */
export const importSummary: typeof en.importSummary = (p) =>
  `${p.file}：${formatCount(p.problems.length)} 个问题，没有导入任何内容`;

function importProblems(p: MessageParams['IMPORT_PROBLEMS']): string {
  const listed = p.problems.slice(0, LISTED_PROBLEMS).map(importProblemText);
  const more = p.problems.length - listed.length;
  return [`${importSummary(p)}：`, ...listed, ...(more > 0 ? [`……另有 ${more} 个`] : [])].join('\n  ');
}

/** Every code's sentence; a code without one fails the type check. */
export const MESSAGES: typeof en.MESSAGES = {
  ...ENGINE_MESSAGES,
  ...FILE_MESSAGES,
  IMPORT_PROBLEMS: importProblems,
  ...INPUT_MESSAGES,
  ...CLI_MESSAGES,
  ...WORKER,
  ...STORAGE,
};

/** The sentence for one message. */
export const messageText: typeof en.messageText = (message: Message): string => {
  // Each code's function takes that code's params; the union does not narrow through the table.
  const render = MESSAGES[message.code] as (p: Message['params']) => string;
  return render(message.params);
};
