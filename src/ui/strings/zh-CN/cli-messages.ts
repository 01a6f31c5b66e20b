/** The sentences for the Node commands' command lines and the files they name (Chinese). Flags and commands stay as typed. */
import type * as en from '../cli-messages';
import type { CliChoiceNote, CliPathKind } from '../../../contract/input-messages';

const withUsage = (sentence: string, usage: string | null): string =>
  usage === null ? sentence : `${sentence}\n\n用法：${usage}`;

const NOTES: Record<CliChoiceNote, string> = {
  hfDirectory: '（Hugging Face 的 GPT-2 目录）',
  sftNeedsDemonstrations: '（SFT 需要示范，而模拟标注者不会写示范；用 --best-of-n N 时由奖励模型挑选示范）',
  inNode: '（在 Node 中）',
  inBrowser: '（在浏览器中）',
};

function missing(path: string, what: CliPathKind): string {
  if (what === 'checkpoint') return `找不到检查点：${path}。`;
  if (what === 'tokenizer') return `找不到分词器：${path}（请传入 --tokenizer PATH）。`;
  if (what === 'manifest') return `没有自带的模型：缺少 ${path}。`;
  if (what === 'runFile') return `缺少 ${path}：预训练运行结束了吗？`;
  if (what === 'directory') return `不是目录：${path}。`;
  return `--heldout ${path}：没有这个文件（请提供留出的文本，例如预训练在模型旁边写出的 heldout.txt）。`;
}

const list = (flags: string[]): string => flags.join('、');

export const CLI_MESSAGES: typeof en.CLI_MESSAGES = {
  CLI_USAGE: (p) => withUsage(p.detail, p.usage),
  CLI_REQUIRED: (p) => withUsage(`必须提供 ${list(p.flags)}。`, p.usage),
  CLI_CHOICE: (p) => {
    const allowed = p.choices.length === 1 ? `“${p.choices[0]}”` : `${p.choices.join('、')} 之一`;
    return withUsage(`${p.flag} 必须是 ${allowed}${p.note === null ? '' : NOTES[p.note]}，实际为“${p.got}”。`, p.usage);
  },
  CLI_SEEDS: ({ got, problem }) => {
    if (problem.kind === 'withSeed') return '请给出 --seed S 或 --seeds A-B，不要同时给出。';
    const why =
      problem.kind === 'notSeed'
        ? `"${problem.part}" 不是种子，也不是由非负整数组成的范围 A-B`
        : problem.kind === 'backwards'
          ? `范围 ${problem.from}-${problem.to} 是倒着的`
          : `种子超过 ${problem.limit} 个`;
    return `--seeds "${got}"：${why}。`;
  },
  CLI_FLAG_NEEDS: (p) => `${p.flag} 只能与 ${p.needs} 一起使用：请同时给出两者。`,
  CLI_FLAG_EXCLUDES: (p) => `有了 ${p.flag}，${p.other} 就没有可设置的东西了：两者只能给出一个。`,
  CLI_NODE_ONLY: (p) =>
    p.why === 'cpuClock'
      ? `${list(p.flags)} 需要 Node：浏览器没有按进程计的 CPU 时间。`
      : `${list(p.flags)} 只用于 Node 基准测试；浏览器基准测试运行基础预设。`,
  CLI_MISSING: (p) => missing(p.path, p.what),
  EVALUATION_FIELD: (p) => `${p.path}：“${p.field}”应为数字；请用 npm run evaluate-lm -- --json 重新写出该文件。`,
  EVALUATION_OTHER_RUN: (p) =>
    `${p.path} 与这次运行的检查点和语料不符（${p.tokens} 个留出词元，损失 ${p.loss.toFixed(4)} 奈特；这次运行：${p.runTokens} 个，损失 ${p.runLoss.toFixed(4)}）；请用 npm run evaluate-lm -- --corpus FILE --checkpoint ${p.checkpoint} --json ${p.path} 重新写出。`,
};
