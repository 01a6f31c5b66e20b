/** What the page calls each built-in simulated labeler, by the engine's id. */
import type { BuiltinLabelerId } from '../../engine/labelers/builtins';

const BUILTIN: Record<BuiltinLabelerId, { title: string; description: string }> = {
  'happy-endings': {
    title: 'Likes happy endings',
    description:
      'Counts happy words (happy, smiled, friends, hug...) minus sad ones (sad, cried, hurt, lost...) in the last two sentences, and a quarter as much before them; "not sad" counts as happy.',
  },
  animals: {
    title: 'Likes stories about animals',
    description:
      'Counts the different animals a response mentions (dog, cat, bird, bunny, frog...), each new one adding less.',
  },
  'short-sentences': {
    title: 'Likes short simple sentences',
    description: 'Prefers fewer words per sentence (down to 4) and dislikes words longer than 9 letters.',
  },
  'no-repetition': {
    title: 'Dislikes repetition',
    description:
      'Penalises word triples and whole sentences that already appeared earlier in the prompt or the response.',
  },
  dialogue: {
    title: 'Likes dialogue',
    description: 'Counts the quoted things characters say ("Let\'s play!"), each new quotation adding less.',
  },
  food: {
    title: 'Likes food',
    description:
      'Counts the different foods a response names (cake, apple, cookie, soup, milk...), each new one adding less; most stories name none.',
  },
};

function builtin(id: string): { title: string; description: string } | null {
  return Object.hasOwn(BUILTIN, id) ? BUILTIN[id as BuiltinLabelerId] : null;
}

export const labelerNames = {
  /** A labeler's name: a built-in's title, a keyword rule as written, else its id. */
  title: (id: string): string => {
    if (id.startsWith('keyword:')) return `keywords ${id.slice('keyword:'.length)}`;
    return builtin(id)?.title ?? id;
  },
  /** What a built-in labeler rewards; empty for others. */
  description: (id: string): string => builtin(id)?.description ?? '',
};
