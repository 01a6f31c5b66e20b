export const SYMBOLS: Set<string>;
export const DATA_WORDS: Set<string>;
export const LABELER_WORDS: Set<string>;
export function hasHan(s: string): boolean;
export function englishWords(s: string, given?: readonly string[], symbolsOnly?: boolean): string[];
