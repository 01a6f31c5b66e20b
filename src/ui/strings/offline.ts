/** Strings of the installed app: which models open offline, and the offer of a new version. */
export const offline = {
  models: (titles: string[]): string => `Available offline: ${titles.join(', ')}.`,
  notYet: (titles: string[]): string =>
    `${titles.join(', ')} ${titles.length === 1 ? 'is' : 'are'} kept for offline use once loaded here.`,
  updateReady: 'A new version is ready',
  reload: 'Reload',
};
