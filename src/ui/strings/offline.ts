/** Strings of the installed app: which models open offline, and the offer of a new version. */
import { formatList, plural } from './format';

export const offline = {
  models: (titles: string[]): string => `Available offline: ${formatList(titles)}.`,
  notYet: (titles: string[]): string =>
    `${formatList(titles)} ${plural(titles.length, { one: 'is', other: 'are' })} kept for offline use once loaded here.`,
  updateReady: 'A new version is ready',
  reload: 'Reload',
};
