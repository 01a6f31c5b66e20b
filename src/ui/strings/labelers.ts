/** Strings about who labelled: the labeler name, second opinions, and what a label import noticed. */
import type { ImportNotice } from '../../storage/label-matches';
import { counted, plural } from './format';

const kappaText = (kappa: number | null): string =>
  `Cohen's kappa ${kappa === null ? 'undefined (no variation)' : kappa.toFixed(2)}`;

export const labelers = {
  name: 'Your labeler name',
  nameHint:
    'Written on every label you give, and kept in exports and backups. Two people at one machine: each sets their own name before labelling.',
  nameRefused: (why: 'empty' | 'tooLong'): string =>
    why === 'empty'
      ? 'A labeler name cannot be empty; the name was not changed.'
      : 'A labeler name can be at most 200 characters; the name was not changed.',
  secondOpinion: 'Second opinion: ask again pairs already labelled',
  secondOpinionHint:
    'Pairs are drawn from the stored labels (sides may be swapped) and saved marked as second opinions. Answer them yourself later, let another person set their name and answer, or turn autopilot on for the simulated labeler; the Data stage shows Cohen’s kappa between first answers and second opinions.',
  nothingToReask:
    'Every labelled pair has been asked again of this labeler. Label new pairs first, or change the name.',
  reaskMark: 'Asked again: this pair was labelled before. Answer as if it were new.',
  agreementHeading: 'Second opinions',
  agreementNone: 'No pair has been asked again yet: turn on "Second opinion" in the Label stage.',
  agreementRow: (first: string, second: string, pairs: number, observed: number, kappa: number | null): string =>
    `${first === second ? `${first}, asked again later` : `${second} on pairs first labelled by ${first}`}: ${counted(pairs, { one: 're-asked pair', other: 're-asked pairs' })}, same answer ${(observed * 100).toFixed(0)}%, ${kappaText(kappa)}.`,
  exportHint:
    'Export writes up to three files for TRL: preferences.jsonl (strict preferences as prompt, chosen, rejected, for the DPO and reward trainers), preferences-ties.jsonl (ties, kept apart so no trainer reads them as preferences) and ratings.jsonl (stars in TRL’s unpaired format for KTO: label true for 4–5 stars, false for 1–2, none for 3; the "stars" field keeps the count). Import takes any of them, several at once.',
  imported: (comparisons: number, ratings: number, notices: readonly ImportNotice[]): string => {
    const skipped = notices.filter((n) => n.code === 'DUPLICATE_LABEL').length;
    const conflicts = notices.length - skipped;
    return [
      `Imported ${counted(comparisons, { one: 'comparison', other: 'comparisons' })} and ${counted(ratings, { one: 'rating', other: 'ratings' })}.`,
      skipped > 0 ? `${skipped} already stored from the same labeler, skipped.` : '',
      conflicts > 0 ? `${conflicts} contradict a stored label of the same labeler; both kept.` : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
  },
  pending: (comparisons: number, ratings: number, notices: readonly ImportNotice[]): string => {
    const skipped = notices.filter((n) => n.code === 'DUPLICATE_LABEL').length;
    const marking = notices.filter((n) => n.code === 'DUPLICATE_LABEL' && (n.marksAdded ?? 0) > 0).length;
    const marks =
      marking > 0
        ? ` ${marking} of them ${plural(marking, { one: 'carries', other: 'carry' })} marked words the stored ${plural(marking, { one: 'label lacks', other: 'labels lack' })}; those marks will be added.`
        : '';
    return `Nothing imported yet: ${skipped} ${plural(skipped, { one: 'label is', other: 'labels are' })} already stored from the same labeler and would be skipped; ${counted(comparisons, { one: 'comparison', other: 'comparisons' })} and ${counted(ratings, { one: 'rating', other: 'ratings' })} are new.${marks}`;
  },
  confirmImport: 'Import the new labels, skip the stored ones',
  cancelImport: 'Cancel the import',
  notice: (n: ImportNotice): string => {
    const where = `${n.file} line ${n.line}`;
    if (n.code === 'DUPLICATE_LABEL')
      return `${where}: this ${n.kind} by ${n.labeler} is already stored; skipped.${(n.marksAdded ?? 0) > 0 ? ` Its ${counted(n.marksAdded ?? 0, { one: 'marked word was', other: 'marked words were' })} added to the stored one.` : ''}`;
    if (n.code === 'CONFLICTING_COMPARISON')
      return `${where}: ${n.labeler} answered this pair differently before; both answers kept.`;
    return `${where}: ${n.labeler} gave this response ${counted(n.stored, { one: 'star', other: 'stars' })} before and ${n.imported} here; both kept.`;
  },
};
