/**
 * 关于文件的消息的中文句子：safetensors 容器、检查点、Hugging Face 模型目录、标注文件和备份。
 * 文件名、张量名、JSON 字段名和 JSON 值照原样写出：它们是数据格式。导入问题的列表
 * （IMPORT_PROBLEMS）在 `messages.ts` 中拼成。
 */
import type * as en from '../file-messages';
import type {
  FieldKind,
  HfMissingHint,
  ObjectPlace,
  SafetensorsEntryProblem,
  SafetensorsHeaderProblem,
} from '../../../contract/file-messages';
import type { CheckpointKind } from '../../../contract/messages';

const shape = (dims: number[]): string => `[${dims.join(', ')}]`;
const quoted = (names: string[]): string => names.map((n) => `"${n}"`).join('、');
const inFile = (file: string | null): string => (file === null ? '' : `${file}：`);
const names = (list: string[], more: number): string => `${list.join('、')}${more > 0 ? `，以及另外 ${more} 个` : ''}`;

const FIELD_KINDS: Record<FieldKind, string> = {
  string: '字符串',
  integer: '整数',
  number: '数字',
  boolean: '布尔值（true 或 false）',
  object: '对象',
  list: '列表',
  choice: '以下之一',
  numberMap: '值为数字的对象',
  numberOrNull: '数字或 null',
  objectOrNull: '对象或 null',
};

/** “字符串”，或选项时的“以下之一："a"、"b"”。 */
function kind(expected: FieldKind, choices: string[]): string {
  return expected === 'choice' ? `以下之一：${quoted(choices)}` : FIELD_KINDS[expected];
}

const OBJECT_PLACES: Record<ObjectPlace, string> = {
  line: '必须是 JSON 对象 {"prompt", "chosen", "rejected"} 或 {"prompt", "completion", "label"}',
  file: '必须是 JSON 对象',
  manifest: '清单必须是 JSON 对象',
  record: '必须是对象',
};

const HF_HINTS: Record<HfMissingHint, (file: string) => string> = {
  sharded: (file) =>
    `权重被分片保存了（model.safetensors.index.json）；请用 save_pretrained(..., max_shard_size="10GB") 保存模型，得到单个 ${file}`,
  pytorchOnly: (file) =>
    `只有 pytorch_model.bin；请用 save_pretrained(..., safe_serialization=True) 保存，得到 ${file}`,
  slowTokenizer: (file) =>
    `只有 vocab.json 和 merges.txt；请保存快速分词器（用 GPT2TokenizerFast 调用 tokenizer.save_pretrained），得到 ${file}`,
};

const ENTRY_PROBLEMS: Record<SafetensorsEntryProblem, (got: string) => string> = {
  notObject: (got) => `条目必须是包含 dtype、shape 和 data_offsets 的对象，实际为 ${got}`,
  missingField: (got) => `缺少字段“${got}”`,
  unexpectedField: (got) => `出现了意外的字段“${got}”`,
  dtype: (got) => `不支持 dtype ${got}（应为 F32、F16、BF16、F64、I32、I64、U8、BOOL 之一）`,
  shape: (got) => `shape 必须是非负整数的列表，实际为 ${got}`,
  offsets: (got) => `data_offsets 必须是两个非负整数 [起点, 终点]，实际为 ${got}`,
  reversed: (got) => `data_offsets ${got} 的顺序颠倒了（起点 > 终点）`,
  tooLarge: (got) => `形状 ${got} 太大`,
};

const HEADER_PROBLEMS: Record<SafetensorsHeaderProblem, (detail: string) => string> = {
  notUtf8: (detail) => `文件头不是有效的 UTF-8（${detail}）`,
  notJson: (detail) => `文件头不是有效的 JSON（${detail}）`,
  notObject: (detail) => `文件头必须是 JSON 对象，实际为 ${detail}`,
  metadataNotObject: (detail) => `“__metadata__”必须是值为字符串的对象，实际为 ${detail}`,
};

const KIND_NAMES: Record<CheckpointKind, string> = { policy: '策略', reward: '奖励模型', value: '价值模型' };

const FIELD_NUMBER_RULES = {
  finite: () => '有限的数字',
  positive: () => '正数',
  atLeast: (min: number | null) => `不小于 ${min ?? 0} 的数字`,
} as const;

export const FILE_MESSAGES: typeof en.FILE_MESSAGES = {
  FIELD_MISSING: (p) => `缺少字段“${p.field}”（应为${kind(p.expected, p.choices)}）`,
  FIELD_TYPE: (p) => `字段“${p.field}”必须是${kind(p.expected, p.choices)}，实际为 ${p.got}`,
  FIELD_TOO_LONG: (p) => `字段“${p.field}”长 ${p.length} 个字符；上限是 ${p.limit}`,
  FIELD_EMPTY: (p) => `字段“${p.field}”不能为空`,
  FIELD_INTEGER: (p) => `字段“${p.field}”必须是 ${p.min} 到 ${p.max} 之间的整数，实际为 ${p.got}`,
  FIELD_NUMBER: (p) => `字段“${p.field}”必须是${FIELD_NUMBER_RULES[p.rule](p.min)}，实际为 ${p.got}`,
  FIELD_VALUE: (p) => `字段“${p.field}”的值是 ${p.got}，应为 ${p.expected}`,
  FIELD_CONVERSATIONAL: (p) => `字段“${p.field}”是一个消息列表（TRL 的对话格式）；只能导入值为纯字符串的标准格式`,
  FIELD_DATE: (p) => `字段“${p.field}”必须是 ISO 8601 格式的日期，例如 "2025-01-31T12:00:00.000Z"，实际为 ${p.got}`,
  FIELD_DECISION_TIME: (p) => `字段“${p.field}”的值是 ${p.ms}；超过一天，不可能是做出选择所用的时间`,
  FIELDS_DISAGREE: (p) => `字段“${p.first}”（${p.firstValue}）和“${p.second}”（${p.secondValue}）互相矛盾`,
  RATING_NEEDS_LABEL: () => '带有 "completion" 的一行需要 "label"（true 或 false）或 "stars"（1 到 5）',
  NOT_AN_OBJECT: (p) => `${OBJECT_PLACES[p.what]}，实际为 ${p.got}`,
  LINE_TOO_LONG: (p) => `这一行长 ${p.length} 个字符；上限是 ${p.limit}`,
  LINE_NOT_JSON: (p) => `不是有效的 JSON（${p.detail}）`,
  TOO_MANY_LINES: (p) => `文件有 ${p.lines} 行；上限是 ${p.limit} 行`,
  TOO_MANY_PROBLEMS: (p) => `发现 ${p.limit} 个问题后停止了读取`,
  NO_LABEL_LINES: () => '文件中没有偏好数据行（也没有评分行）',
  HF_FILE_MISSING: (p) => (p.hint === null ? `缺少 ${p.file}` : HF_HINTS[p.hint](p.file)),
  JSON_TOO_LARGE: (p) => `${p.bytes} 字节对 JSON 文件来说太大了（上限 ${p.limit}）`,
  FILE_NOT_JSON: (p) => `${p.file}：不是有效的 JSON（${p.detail ?? '不是有效的 UTF-8'}）`,
  HF_ARCHITECTURE: (p) => `字段“architectures”必须列出 "GPT2LMHeadModel"，实际为 ${p.got}`,
  HF_ACTIVATION: (p) => `字段“activation_function”的值是 ${p.got}；本应用只计算使用 tanh 近似的 GELU（"gelu_new"）`,
  HF_MLP_WIDTH: (p) => `字段“n_inner”的值是 ${p.got}；本应用的 MLP 宽度是 4 × n_embd（${p.width}）或 null`,
  HF_FLAG: (p) => `对本应用的 GPT-2 来说，字段“${p.field}”必须是 ${p.expected}，实际为 ${p.got}`,
  HF_VOCAB_MISMATCH: (p) =>
    `${p.file}：tokenizer.json 有 ${p.tokenizer} 个词元，而 config.json 中的 vocab_size 是 ${p.vocabSize}；两者必须相等`,
  HF_HEADS: (p) => `n_embd（${p.nEmbd}）必须能被 n_head（${p.nHead}）整除`,
  MODEL_TOO_LARGE: (p) =>
    `这个模型有 ${p.params.toLocaleString('en')} 个参数；超过 ${p.limit.toLocaleString('en')} 个参数的模型太大，无法在浏览器标签页中训练`,
  LM_HEAD_UNTIED: (p) =>
    `${p.file}：lm_head.weight 与 transformer.wte.weight 不同；本应用的语言模型输出层与词元嵌入共享权重，所以无法导入不共享权重的输出层`,
  TENSOR_TWICE: (p) => `张量 ${p.tensor} 出现了两次（一次带 "transformer." 前缀，一次不带）`,
  TENSORS_MISSING: (p) => `缺少张量 ${names(p.tensors, p.more)}`,
  TENSORS_UNEXPECTED: (p) => `对这个配置的 GPT-2 来说，张量 ${names(p.tensors, p.more)} 是多余的`,
  TENSOR_WRONG_SHAPE: (p) => `张量 ${p.tensor} 的形状是 ${shape(p.shape)}，但配置需要 ${shape(p.expected)}`,
  TENSOR_DTYPE_UNKNOWN: (p) => `${inFile(p.file)}张量 ${p.tensor}：未知的数据类型 ${p.dtype}`,
  TENSOR_NOT_FLOAT: (p) =>
    `${inFile(p.file)}张量 ${p.tensor}：数据类型 ${p.dtype} 不是浮点类型；应为 F32、F16、BF16 或 F64`,
  TENSOR_BYTES: (p) =>
    `${inFile(p.file)}张量 ${p.tensor}：${p.bytes} 字节与 ${p.dtype} 类型、形状为 ${shape(p.shape)} 的张量所需的字节数（${p.needed}）不符`,
  TENSOR_NOT_FINITE: (p) =>
    `${inFile(p.file)}张量 ${p.tensor}：索引 ${p.index} 处的值是 ${p.value}；每个值都必须是有限数`,
  SAFETENSORS_TRUNCATED: (p) =>
    p.tensor === null
      ? `${p.file}：文件不完整：至少需要 ${p.needed} 字节，实际只有 ${p.got} 字节`
      : `${p.file}：文件不完整：需要 ${p.needed} 字节，实际只有 ${p.got} 字节（张量“${p.tensor}”的结尾超出了数据范围）`,
  SAFETENSORS_HEADER_LENGTH: (p) =>
    `${p.file}：文件头长度 ${p.length} 不合常理（上限 ${p.limit} 字节）；这可能不是 safetensors 文件`,
  SAFETENSORS_HEADER: (p) => `${p.file}：${HEADER_PROBLEMS[p.problem](p.detail)}`,
  SAFETENSORS_METADATA: (p) => `${p.file}：“__metadata__”的字段“${p.key}”必须是字符串，实际为 ${p.got}`,
  SAFETENSORS_ENTRY: (p) => `${p.file}：张量“${p.tensor}”：${ENTRY_PROBLEMS[p.problem](p.got)}`,
  SAFETENSORS_SIZE: (p) =>
    `${p.file}：张量“${p.tensor}”：它的 data_offsets 覆盖 ${p.bytes} 字节，但 ${p.dtype} 类型、形状为 ${shape(p.shape)} 的张量需要 ${p.needed} 字节`,
  SAFETENSORS_OVERLAP: (p) => `${p.file}：张量“${p.tensor}”与张量“${p.other}”重叠`,
  SAFETENSORS_GAP: (p) => `${p.file}：在数据偏移 ${p.offset} 处、张量“${p.tensor}”之前，有 ${p.bytes} 字节未使用的空隙`,
  SAFETENSORS_TRAILING: (p) =>
    `${p.file}：最后一个张量之后多出 ${p.bytes} 字节（张量在第 ${p.end} 字节处结束，而数据共有 ${p.dataBytes} 字节）`,
  CHECKPOINTS_TOKENIZERS: (p) =>
    `${p.first} 使用分词器 ${p.firstTokenizer}，而 ${p.second} 使用分词器 ${p.secondTokenizer}：这两个检查点无法配对使用`,
  CHECKPOINTS_SHAPES: (p) =>
    `${p.first}（词表 ${p.firstVocab}，上下文 ${p.firstContext}）与 ${p.second}（词表 ${p.secondVocab}，上下文 ${p.secondContext}）不匹配`,
  REWARD_NORMALISATION: (p) =>
    `奖励模型的分数在训练中超出了范围（均值 ${p.mean}，标准差 ${p.std}），所以无法保存；请重新训练它，或许可以调低学习率。`,
  NOT_A_BACKUP: (p) => `这不是 RLHF 演练场的工作区备份（元数据“format”是 ${p.got}，应为 "${p.expected}"）`,
  BACKUP_VERSION: (p) => `不支持备份格式版本 ${p.got}（这个版本的应用读取的是版本 ${p.supported}）`,
  BACKUP_MANIFEST_MISSING: () => '缺少元数据字段“manifest”',
  BACKUP_MANIFEST_NOT_JSON: (p) => `清单不是有效的 JSON（${p.detail}）`,
  BACKUP_SCHEMA: (p) =>
    `这个版本的应用无法恢复 schemaVersion 为 ${p.got} 的备份（它能读取 ${p.oldest} 到 ${p.newest}）`,
  BACKUP_STRAY_TENSOR: (p) => `出现了意外的张量 ${p.tensor}；附件的名称应为 "${p.prefix}<名称>"`,
  BACKUP_ATTACHMENT: (p) => `附件 ${p.tensor} 必须是秩为 1 的 U8 张量，实际为 ${p.dtype} ${shape(p.shape)}`,
  BACKUP_KEY_TWICE: (p) => `stores.${p.store}：键 ${p.key} 出现了两次`,
  BACKUP_POINTER: (p) =>
    `当前的${KIND_NAMES[p.kind]}指向检查点 ${p.checkpoint}，但备份中的这个检查点不是${KIND_NAMES[p.kind]}检查点`,
  BACKUP_ATTACHMENT_MISSING: (p) => `检查点 ${p.checkpoint} 提到了附件 ${p.attachment}，但文件中没有这个附件`,
};
