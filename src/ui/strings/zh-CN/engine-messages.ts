/** The sentences for the engine's messages (Chinese): bad files, training text, prompts and labeler rules. */
import type * as en from '../engine-messages';
import type { KeywordProblem, NumberRule } from '../../../contract/messages';

/** Each name carries its own spacing, so a sentence reads "构建的 GPT 模型" and "构建的奖励模型". */
const MODEL_NAMES = { gpt: ' GPT 模型', reward: '奖励模型' } as const;

const KEYWORD_PROBLEMS: Record<Exclude<KeywordProblem, 'repeated'>, string> = {
  noSign: '必须以 +（奖励）或 -（惩罚）开头',
  noWord: '在符号后面没有单词',
  notAWord: '不是由字母组成的单词（可带权重，如 +2word 或 +word:2）',
  twoWeights: '给出了两个权重',
  zeroWeight: '的权重为 0',
};

const RULES: Record<NumberRule, string> = {
  positiveInteger: '必须是正整数',
  nonNegativeInteger: '必须是非负整数',
  positiveNumber: '必须是正数',
  nonNegativeNumber: '必须是不小于 0 的数',
  openUnit: '必须介于 0 和 1 之间',
  unitUpToOne: '必须在 (0, 1] 范围内',
  unitFromZero: '必须在 [0, 1) 范围内',
  finiteNumber: '必须是有限的数',
};

/** The example stays in English: the model writes English, so a rule names English words. */
const KEYWORD_EXAMPLE = '请写成类似 “+dog +2ball -sad:0.5” 的词项（模型写英文，所以用英文单词）';

const SPLITS = { training: '训练集', validation: '验证集' } as const;

const shape = (dims: number[]): string => `[${dims.join(', ')}]`;

const checkpointOr = (model: 'gpt' | 'reward'): string => (model === 'gpt' ? '检查点' : '奖励模型');

export const ENGINE_MESSAGES: typeof en.ENGINE_MESSAGES = {
  METADATA_MISSING: (p) => `${p.file}：缺少元数据字段“${p.field}”。`,
  METADATA_NOT_JSON: (p) => `${p.file}：元数据字段“${p.field}”不是有效的 JSON。`,
  METADATA_NOT_OBJECT: (p) => `${p.file}：元数据字段“${p.field}”必须是 JSON 对象。`,
  NOT_A_CHECKPOINT: (p) =>
    `${p.file}：不是 RLHF 演练场的${checkpointOr(p.model)}（元数据“format”为 ${p.got}，应为“${p.expected}”）。`,
  POLICY_NOT_REWARD: (p) => `${p.file}：这是策略检查点，不是奖励模型。`,
  FORMAT_VERSION: (p) =>
    `${p.file}：不支持${checkpointOr(p.model)}格式版本 ${p.got}（当前版本只能读取版本 ${p.supported}）。`,
  TENSOR_MISSING: (p) => `${p.file}：缺少张量 ${p.tensor}。`,
  TENSOR_SHAPE: (p) => `${p.file}：张量 ${p.tensor} 的形状为 ${shape(p.shape)}，但配置要求 ${shape(p.expected)}。`,
  UNEXPECTED_TENSORS: (p) =>
    `${p.file}：对于按此配置构建的${MODEL_NAMES[p.model]}，以下张量是多余的：${p.tensors.join('、')}。`,
  TOKENIZER_MISMATCH: (p) =>
    `${p.file}：此模型是用分词器 ${p.expected} 训练的，但提供的分词器是 ${p.given}；请加载随模型附带的 tokenizer.json。`,
  VOCAB_MISMATCH: (p) => `${p.file}：分词器有 ${p.tokenizer} 个词元，而模型的词表大小为 ${p.model}；两者必须相等。`,
  OUT_OF_RANGE: (p) => `${p.file === null ? '' : `${p.file}：`}${p.field} ${RULES[p.rule]}，实际为 ${p.got}。`,
  CONFIG_NOT_OBJECT: (p) => `${p.file}：模型配置必须是 JSON 对象。`,
  CONFIG_UNKNOWN_FIELDS: (p) =>
    `${p.file}：未知的配置字段 ${p.fields.map((f) => `“${f}”`).join('、')}；已知字段为 ${p.known.join('、')}。`,
  CONFIG_MISSING_FIELD: (p) => `${p.file}：缺少配置字段“${p.field}”。`,
  CONFIG_HEADS: (p) => `${p.file}：nEmbd（${p.nEmbd}）必须能被 nHead（${p.nHead}）整除。`,
  CORPUS_EMPTY: (p) => `${p.file} 是空的：请提供一个含有文字的 UTF-8 文本文件。`,
  CORPUS_BINARY: (p) =>
    `${p.file} 看起来是二进制文件，而不是 UTF-8 文本（${p.nulAt !== null ? `第 ${p.nulAt} 个字符处有一个 NUL 字节` : `有 ${p.invalidBytes ?? 0} 个字节不是有效的 UTF-8`}）；请提供纯文本文件。`,
  CORPUS_FEW_DOCUMENTS: (p) =>
    `${p.file} 中有 ${p.documents} 篇文档；至少需要 2 篇，才能留出一篇用于验证（用 ${p.separator} 或空行分隔文档）。`,
  CORPUS_SPLIT_SHORT: (p) =>
    `${SPLITS[p.split]}只有 ${p.tokens} 个词元，少于所需的 ${p.needed} 个；请提供更长的文本，或减小上下文长度。`,
  PROMPT_EMPTY: (p) => `提示词 ${p.index} 是空的：请至少给出一个词元（空的文本提示词可以从文本结束符开始）。`,
  PROMPT_TOO_LONG: (p) =>
    `提示词 ${p.index} 有 ${p.tokens} 个词元，但模型的上下文长度是 ${p.context} 个词元：提示词最多只能有 ${p.context - 1} 个词元，好给一个新词元留出位置。`,
  PROMPT_BAD_TOKEN: (p) => `提示词 ${p.index} 含有编号为 ${p.token} 的词元，超出了词表范围 [0, ${p.vocabSize})。`,
  CONTEXT_OVERFLOW: (p) => `${p.tokens} 个词元放不进模型长度为 ${p.context} 的上下文。`,
  NO_ROOM_FOR_RESPONSE: (p) => `最长的提示词有 ${p.tokens} 个词元；长度为 ${p.context} 的上下文没有给回复留下空间。`,
  UNKNOWN_LABELER: (p) => `未知的标注者“${p.id}”；内置标注者有：${p.known.join('、')}。`,
  KEYWORD_RULE_EMPTY: () => `关键词规则是空的；${KEYWORD_EXAMPLE}。`,
  KEYWORD_TERM: (p) =>
    `关键词规则：第 ${p.index} 个词项“${p.term}”（在第 ${p.column} 个字符处）${p.problem === 'repeated' ? `与第 ${p.earlier ?? '?'} 个词项的单词重复` : KEYWORD_PROBLEMS[p.problem]}；${KEYWORD_EXAMPLE}。`,
};
