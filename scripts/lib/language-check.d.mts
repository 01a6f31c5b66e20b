export const ALLOWED_WORDS: Set<string>;
export function hasHan(s: string): boolean;
export function englishWords(s: string, given?: readonly string[]): string[];
