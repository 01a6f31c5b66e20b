/** Strings about who labelled (Chinese): the labeler name, second opinions, and what a label import noticed. */
import type * as en from '../labelers';

const kappaText = (kappa: number | null): string =>
  `科恩 κ 系数${kappa === null ? '无定义（答案没有变化）' : ` ${kappa.toFixed(2)}`}`;

const KINDS = { comparison: '比较', rating: '评分' } as const;

export const labelers: typeof en.labelers = {
  name: '你的标注者名称',
  nameHint: '写在你给出的每条标注上，并保留在导出文件和备份中。两人共用一台机器时：各自在标注前设置自己的名称。',
  nameRefused: (why) =>
    why === 'empty' ? '标注者名称不能为空；名称未更改。' : '标注者名称最多 200 个字符；名称未更改。',
  secondOpinion: '第二意见：重新询问已标注过的回复对',
  secondOpinionHint:
    '回复对从已保存的标注中抽取（左右可能互换），保存时标记为第二意见。你可以稍后自己回答，也可以让另一个人设置自己的名称后回答，或为模拟标注者打开自动标注；“数据”阶段会显示首次回答与第二意见之间的科恩 κ 系数。',
  nothingToReask: '所有已标注的回复对都已向这位标注者重新询问过。请先标注新的回复对，或更换名称。',
  reaskMark: '重新询问：这一对以前标注过。请当作新的一对来回答。',
  agreementHeading: '第二意见',
  agreementNone: '还没有重新询问过任何回复对：请在“标注”阶段打开“第二意见”。',
  agreementRow: (first, second, pairs, observed, kappa) =>
    `${first === second ? `${first} 再次回答自己标注过的回复对` : `${second} 回答 ${first} 首次标注过的回复对`}：重新询问 ${pairs} 对，答案相同的占 ${(observed * 100).toFixed(0)}%，${kappaText(kappa)}。`,
  exportHint:
    '导出会为 TRL 写出最多三个文件：preferences.jsonl（严格偏好，字段为 prompt、chosen、rejected，供 DPO 和奖励模型的训练器使用）、preferences-ties.jsonl（平局，单独存放，以免训练器把它们当作偏好）和 ratings.jsonl（星级评分，采用 TRL 为 KTO 定义的非成对格式：4–5 星的 label 为 true，1–2 星为 false，3 星不设；"stars" 字段保留星数）。文件名和字段名是数据格式，保持英文。导入可以读取其中任意文件，也可以一次导入多个。',
  imported: (comparisons, ratings, notices) => {
    const skipped = notices.filter((n) => n.code === 'DUPLICATE_LABEL').length;
    const conflicts = notices.length - skipped;
    return [
      `已导入 ${comparisons} 条比较和 ${ratings} 条评分。`,
      skipped > 0 ? `其中 ${skipped} 条已由同一标注者保存过，已跳过。` : '',
      conflicts > 0 ? `${conflicts} 条与同一标注者已保存的标注相矛盾；两者都保留。` : '',
    ].join('');
  },
  pending: (comparisons, ratings, notices) => {
    const skipped = notices.filter((n) => n.code === 'DUPLICATE_LABEL').length;
    const marking = notices.filter((n) => n.code === 'DUPLICATE_LABEL' && (n.marksAdded ?? 0) > 0).length;
    const marks = marking > 0 ? `其中 ${marking} 条带有已保存标注所没有的标记词语，这些标记将补到已保存的标注上。` : '';
    return `尚未导入：有 ${skipped} 条标注已由同一标注者保存过，将被跳过；${comparisons} 条比较和 ${ratings} 条评分是新的。${marks}`;
  },
  confirmImport: '导入新标注，跳过已保存的',
  cancelImport: '取消导入',
  notice: (n) => {
    const where = `${n.file} 第 ${n.line} 行`;
    if (n.code === 'DUPLICATE_LABEL')
      return `${where}：${n.labeler} 的这条${KINDS[n.kind]}已保存过；已跳过。${(n.marksAdded ?? 0) > 0 ? `它的 ${n.marksAdded} 个标记词语已补到已保存的那条上。` : ''}`;
    if (n.code === 'CONFLICTING_COMPARISON') return `${where}：${n.labeler} 以前对这一对的回答不同；两个回答都保留。`;
    return `${where}：${n.labeler} 以前给这条回复 ${n.stored} 星，这里给了 ${n.imported} 星；两者都保留。`;
  },
};
