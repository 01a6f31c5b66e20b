/**
 * The labelling keys: 1 A better, 2 B better, 3 tie, S skip, Ctrl/Cmd+Z
 * undo, E edit a response, ? the cheat-sheet; in star mode 1-5 give stars. Marking words on a pair
 * has its own keys (M, arrows, G, B, Delete, Escape: mark-state.svelte.ts). In a blind A/B round
 * of the Compare stage, 1 2 3 say first better, second better, tie. Keys are ignored while
 * the person types in a text field, and when another modifier is held (so browser shortcuts such
 * as Ctrl+1 keep working).
 */
export type LabelAction =
  | { kind: 'choose'; choice: 'a' | 'b' | 'tie' | 'skip' }
  | { kind: 'stars'; stars: 1 | 2 | 3 | 4 | 5 }
  | { kind: 'undo' }
  | { kind: 'edit' }
  | { kind: 'help' };

/** What a key event looks like to this module: the fields of a KeyboardEvent it reads. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Read by word marking only (Shift+arrows extend a selection); absent reads as not held. */
  shiftKey?: boolean;
  target: unknown;
}

const TEXT_INPUTS = new Set(['text', 'search', 'number', 'email', 'url', 'password', 'tel']);

/** True when focus is somewhere the key is typed, not a command. */
export function isTyping(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const el: { tagName?: unknown; isContentEditable?: unknown; type?: unknown } = target;
  if (el.isContentEditable === true) return true;
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : '';
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && (typeof el.type !== 'string' || TEXT_INPUTS.has(el.type));
}

const STAR_KEYS: Record<string, 1 | 2 | 3 | 4 | 5> = { '1': 1, '2': 2, '3': 3, '4': 4, '5': 5 };
const PAIR_KEYS: Record<string, 'a' | 'b' | 'tie'> = { '1': 'a', '2': 'b', '3': 'tie' };

/** The blind A/B verdict a key press gives (the labelling keys: 1 first, 2 second, 3 tie), or null. */
export function blindShortcut(press: KeyPress): 'first' | 'second' | 'tie' | null {
  if (isTyping(press.target) || press.altKey || press.ctrlKey || press.metaKey) return null;
  return press.key === '1' ? 'first' : press.key === '2' ? 'second' : press.key === '3' ? 'tie' : null;
}

/** The action a key press asks for in the label stage, or null when it is not a shortcut. */
export function labelShortcut(press: KeyPress, mode: 'pair' | 'stars'): LabelAction | null {
  if (isTyping(press.target) || press.altKey) return null;
  const command = press.ctrlKey || press.metaKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (command) return key === 'z' ? { kind: 'undo' } : null;
  if (key === '?') return { kind: 'help' };
  if (key === 's') return { kind: 'choose', choice: 'skip' };
  if (key === 'e') return { kind: 'edit' };
  if (mode === 'stars') return key in STAR_KEYS ? { kind: 'stars', stars: STAR_KEYS[key] } : null;
  return key in PAIR_KEYS ? { kind: 'choose', choice: PAIR_KEYS[key] } : null;
}
