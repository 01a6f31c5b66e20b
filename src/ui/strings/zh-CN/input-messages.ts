/** The sentences for input given to the engine's tools (Chinese): token ids, tokenizers, baselines, labelers, pretraining state. */
import type * as en from '../input-messages';
import type {
  InputMessages,
  LabelerModuleProblem,
  NgramDocs,
  TokenizerJsonProblem,
} from '../../../contract/input-messages';

const NGRAM_DOCS: Record<NgramDocs, string> = {
  ngramTraining: 'n-gram 基线的训练文档',
  ngramValidation: 'n-gram 基线的验证文档',
  ngramHistory: 'n-gram 查询的历史',
};

function tokenSource(p: InputMessages['TOKEN_ID_OUT_OF_RANGE']): string {
  if (p.source === 'ngramNext') return 'n-gram 查询的下一个词元';
  if (p.source === 'ngramEndOfText') return 'n-gram 基线的文本结束符编号';
  if (p.source === 'decode') return `解码：ids[${p.position ?? '?'}]`;
  if (p.source === 'idToToken') return '词元编号';
  return `${NGRAM_DOCS[p.source]}：第 ${p.document ?? '?'} 篇文档，位置 ${p.position ?? '?'}：词元`;
}

/** What is wrong with a tokenizer.json, after its "tokenizer.json：" prefix. */
function tokenizerJson(p: TokenizerJsonProblem): string {
  switch (p.problem) {
    case 'notObject':
      return p.field === null ? '文件必须是一个 JSON 对象' : `${p.field} 必须是 JSON 对象`;
    case 'notArray':
      return `${p.field} 必须是数组`;
    case 'unsupported':
      return `${p.field} 必须为 null（不支持），实际为 ${p.got}`;
    case 'notByteLevelStage':
      return `${p.field}.type 必须是 "ByteLevel"${p.optional ? '（或整个阶段为 null）' : ''}，实际为 ${p.got}`;
    case 'notBpe':
      return `model.type 必须是 "BPE"，实际为 ${p.got}`;
    case 'mustBe':
      return p.value ? `${p.field} 必须为 true（GPT-2 的切分方式）` : `${p.field} 必须为 false（不支持）`;
    case 'notBoolean':
      return `${p.field} 必须是布尔值，实际为 ${p.got}`;
    case 'badId':
      return `${p.field} 不是 [0, ${p.limit}) 中的整数编号，实际为 ${p.got}`;
    case 'sharedId':
      return `${p.other} 和 ${p.field} 共用编号 ${p.id}`;
    case 'emptyContent':
      return `${p.field} 必须是非空字符串，实际为 ${p.got}`;
    case 'idDisagrees':
      return `${p.field} ${p.content} 的编号为 ${p.id}，但 model.vocab 给它的编号是 ${p.vocabId}`;
    case 'idTaken':
      return `${p.field} ${p.id} 已属于 model.vocab[${p.holder}]`;
    case 'repeats':
      return `${p.field} 与 ${p.earlier} 重复`;
    case 'emptyToken':
      return 'model.vocab 中有一个空词元 ""';
    case 'notByteLevelChar':
      return `model.vocab[${p.token}] 含有 ${p.char}，它不是字节级字符`;
    case 'missingByte':
      return `model.vocab 缺少 ${p.char}，即字节 0x${p.byte.toString(16).padStart(2, '0')} 对应的词元`;
    case 'idGap':
      return `编号必须从 0 开始连续不断，但 model.vocab 和 added_tokens 中都没有编号为 ${p.id} 的词元`;
    case 'badMerge':
      return `${p.field} 必须是 ["left", "right"] 或 "left right"，实际为 ${p.got}`;
    case 'notInVocab':
      return p.merged
        ? `${p.field}：合并得到的词元 ${p.token} 不在 model.vocab 中`
        : `${p.field}：${p.token} 不在 model.vocab 中`;
    case 'missingEos':
      return `缺少 ${p.token}：added_tokens 和 model.vocab 中都没有它`;
  }
}

/** What is wrong with a labeler module, after "标注者模块 PATH". */
function labelerModule(p: LabelerModuleProblem): string {
  switch (p.problem) {
    case 'notFound':
      return ` 找不到（查找的位置：${p.absolute}）。`;
    case 'loadFailed':
      return ` 无法加载：${p.detail}`;
    case 'noScore':
      return ' 没有导出 "score"；请导出 function score(prompt, response)，返回一个数。';
    case 'badExport':
      return `：导出项 "${p.name}" 必须是 ${p.expected}，实际是 ${p.got}。`;
    case 'threw':
      return ` 在为提示词 ${p.prompt} 的回复 ${p.response} 打分时抛出了错误：${p.detail}`;
    case 'notFinite': {
      const returned =
        p.returned === 'promise'
          ? '一个 Promise（score 必须是同步的）'
          : p.returned === 'number'
            ? ` ${p.value}`
            : `一个 ${p.value}`;
      return ` 为提示词 ${p.prompt} 的回复 ${p.response} 返回了${returned}；score 必须返回有限的数。`;
    }
  }
}

function labelerOption(p: InputMessages['LABELER_OPTION']): string {
  const where = `标注者“${p.labeler}”`;
  if (p.option === 'id') return `标注者的 id 必须是非空字符串，实际为“${p.got}”。`;
  if (p.option === 'rationality') return `${where}：rationality ${p.got} 必须不小于 0（Infinity 表示没有噪声）。`;
  if (p.option === 'tieMargin') return `${where}：tieMargin ${p.got} 必须在 [0, 0.5] 范围内。`;
  return `${where}：ratingCutpoints ${p.got} 必须是 4 个严格递增的有限数。`;
}

function numberBetween(p: InputMessages['NUMBER_BETWEEN']): string {
  const kind = p.integer ? '整数' : '数';
  const range = p.max === null ? `不小于 ${p.min} 的${kind}` : `从 ${p.min} 到 ${p.max} 的${kind}`;
  const off = p.zeroTurnsOff ? '（或用 0 关闭它）' : '';
  return `${p.file === null ? '' : `${p.file}：`}${p.field} 必须是${range}${off}，实际为 ${p.got}。`;
}

export const INPUT_MESSAGES: typeof en.INPUT_MESSAGES = {
  TOKEN_ID_OUT_OF_RANGE: (p) => `${tokenSource(p)} ${p.token} 不是 [0, ${p.vocabSize}) 中的词元编号。`,
  NGRAM_NO_TOKENS: (p) => `${NGRAM_DOCS[p.source]}${p.reason === 'noDocuments' ? '缺失' : '不含任何词元'}。`,
  NGRAM_VOCAB: (p) =>
    `n-gram 基线需要的词表大小必须是正整数，且 vocabSize^${p.order} 是安全整数，实际为 ${p.vocabSize}。`,
  NGRAM_LAMBDAS: (p) =>
    p.problem === 'shape'
      ? `插值权重 [${p.lambdas.join(', ')}] 必须是 1 到 ${p.maxOrder} 个非负数，且第一个大于 0（它们的和为 ${p.sum}）。`
      : `插值权重 [${p.lambdas.join(', ')}] 的和为 ${p.sum}，而不是 1（最多 ${p.maxOrder} 个）。`,
  NUMBER_BETWEEN: numberBetween,
  WIN_RATE_NO_PAIRS: () => '计算胜率至少需要一对已评判的回复。',
  NO_PROMPTS: () => '生成至少需要一个提示词。',
  TOKENIZER_CORPUS: (p) =>
    p.problem === 'notText'
      ? '用于训练分词器的文本必须是字符串或字符串列表。'
      : p.problem === 'empty'
        ? '用于训练分词器的文本是空的。'
        : '用于训练分词器的文本除特殊词元外是空的。',
  TOKENIZER_VOCAB_UNREACHABLE: (p) =>
    `训练文本只能支撑 ${p.reachable} 个词元的词表，达不到 ${p.asked} 个：每个预切分单元都已经是一个词元；请提供更多文本，或减小词表大小。`,
  TOKENIZER_JSON: (p) => `tokenizer.json：${tokenizerJson(p)}。`,
  LABELER_OPTION: labelerOption,
  LABELER_SCORE: (p) => `标注者“${p.labeler}”：回复 ${p.response} 的金标准分数 ${p.score} 不是有限的数。`,
  LABELER_MODULE: (p) => `标注者模块 ${p.path}${labelerModule(p)}`,
  PRETRAIN_STATE_FORMAT: (p) => `${p.file}：不是预训练状态文件（format 为 ${p.got}）。`,
  AVERAGING_CHANGED: (p) =>
    `${p.file}：这次运行在第 ${p.step} 步${p.reason === 'averaged' ? `已经从第 ${p.from} 步起每 ${p.every} 步平均了 ${p.averaged} 个快照` : `将从第 ${p.startFrom} 步开始平均，而这一步已经过去`}；请用开始时的权重平均设置继续这次运行，或从更晚的一步开始平均。`,
  AVERAGE_SUM_MISSING: (p) => `${p.file}：声明平均了 ${p.averaged} 个快照，但没有 ${p.tensor}。`,
};
