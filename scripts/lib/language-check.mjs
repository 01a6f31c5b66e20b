// What counts as English in a Chinese interface: the one allow-list, shared by the string tests
// (test/node/strings-locales.test.ts) and the page walkthrough (scripts/e2e-locale.mjs).
//
// A Latin word may stand in Chinese text when it is
//  - a symbol: an acronym or name of an algorithm, format, library, model or product, a unit, a
//    key on the keyboard, or a formula symbol (SYMBOLS; any all-capitals word counts as an acronym);
//  - data as written: a file name, JSON key or field, code identifier, command or flag (shaped
//    like one: with `_`, `.`, a digit or an inner capital; a `--flag`; the script after `npm run`;
//    code in straight quotes "…"; a single word in “…”), or one of the few plain words that data
//    formats and the page address use (DATA_WORDS);
//  - one of the English words the simulated labelers count (LABELER_WORDS): the model writes English;
//  - a value the sentence was given (a name, a file, a detail), passed as `given`.
// Everything else is English left in a Chinese sentence.

/** Acronyms, names, units, keys and formula symbols: these may also stand with no Chinese around them. */
export const SYMBOLS = new Set(
  [
    // algorithms, formats, hardware, libraries, products and models
    ...['RLHF', 'PPO', 'GRPO', 'RLOO', 'DPO', 'SFT', 'KTO', 'KL', 'GAE', 'GPT', 'GPT-2', 'nanoGPT', 'TRL', 'A/B'],
    ...['WASM', 'WebGPU', 'WebGL', 'CPU', 'GPU', 'TensorFlow.js', 'TensorFlow', 'js', 'IndexedDB', 'Node'],
    ...['JSONL', 'JSON', 'CSV', 'SVG', 'PNG', 'HTML', 'HTTP', 'UTF-8', 'UTF', 'NUL', 'ISO', 'README'],
    ...['Hugging', 'Face', 'safetensors', 'TinyStories', 'BPE', 'AdamW', 'SwiftShader', 'OffscreenCanvas'],
    ...['Playground', 'Bradley-Terry', 'Bradley', 'Terry', 'Cohen', "Cohen's", 'Cohen’s', 'kappa', 'n-gram'],
    // keys on the keyboard
    ...['Ctrl', 'Cmd', 'Enter', 'Tab', 'Shift', 'Esc', 'Delete', 'Del'],
    // units
    ...['kB', 'KB', 'MB', 'GB', 'ms'],
    // formula symbols and functions, sampling settings
    ...['ln', 'log', 'exp', 'min', 'max', 'clip', 'softmax', 'tanh', 'mean', 'std', 'ref', 'old', 'group'],
    ...['beta', 'epsilon', 'lr', 'Top-k', 'Top-p'],
  ].map((w) => w.toLowerCase()),
);

/** Plain words that data formats and the page address use as they are: keys, flags, literals. */
export const DATA_WORDS = new Set([
  // keys of the exported label files and of tokenizer.json (named outside quotes in running text)
  ...['preferences', 'ties', 'ratings', 'jsonl', 'prompt', 'chosen', 'rejected', 'label', 'stars', 'txt'],
  ...['true', 'false', 'null', 'endoftext', 'json', 'tokenizer', 'manifest', 'npm', 'run'],
  // the page address (?backend=, ?lang=en) and the glossed term reward hacking
  ...['backend', 'lang', 'en', 'zh-cn', 'reward', 'hacking'],
]);

/** The English words the built-in labelers count, as the Chinese descriptions quote them. */
export const LABELER_WORDS = new Set(
  ['happy', 'smiled', 'friends', 'hug', 'sad', 'cried', 'hurt', 'lost', 'not', 'dog', 'cat', 'bird', 'bunny'].concat([
    'frog',
    'ball',
    'word',
  ]),
);

/** True when `s` has a Han character (the page's Chinese). @param {string} s */
export function hasHan(s) {
  return /\p{Script=Han}/u.test(s);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A word shaped like data rather than prose: an identifier, a path, a file name, an acronym. */
const DATA_SHAPED = [
  /_/, // snake_case keys and formula subscripts (r_A, π_ref, lm_head)
  /[A-Za-z]\.[A-Za-z0-9]/, // dotted paths and file names (config.json, stores.ratings)
  /[0-9]/, // GPT2LMHeadModel, BF16, F32
  /[a-z][A-Z]/, // camelCase keys (schemaVersion, nEmbd)
  /^[A-Z]{2,}(?:[-/][A-Z]+)?$/, // acronyms (MLP, GELU, FILE)
];

/**
 * The Latin words of `s` that are neither allowed nor part of one of the `given` phrases. With
 * `symbolsOnly`, only SYMBOLS and data-shaped words are allowed (text with no Chinese in it).
 * @param {string} s
 * @param {readonly string[]} [given]
 * @param {boolean} [symbolsOnly]
 */
export function englishWords(s, given = [], symbolsOnly = false) {
  let rest = s;
  // A given value becomes an identifier-shaped stand-in, so a path around it (stores.<name>) stays one.
  for (const g of [...given].filter((g) => g !== '').sort((a, b) => b.length - a.length))
    rest = rest.replace(new RegExp(`(?<![A-Za-z])${escape(g)}(?![A-Za-z])`, 'g'), 'x_0');
  // Commands, flags and quoted code are data: npm run evaluate-lm, --json, "left right", “architectures”.
  rest = rest
    .replace(/npm run [\w-]+|--[a-z][a-z0-9-]*/g, ' ')
    .replace(/"[^"\p{Script=Han}]*"|“[^”\s]*”|`[^`]*`/gu, ' ');
  const words = rest.match(/[A-Za-z][A-Za-z0-9'’._/-]*[A-Za-z0-9]|[A-Za-z]/g) ?? [];
  const allowed = (w) => SYMBOLS.has(w) || (!symbolsOnly && (DATA_WORDS.has(w) || LABELER_WORDS.has(w)));
  return words
    .filter((w) => w.length > 1 && !DATA_SHAPED.some((shape) => shape.test(w)))
    .filter((w) => !allowed(w.toLowerCase()) && !allowed(w.replace(/[.’']+$/, '').toLowerCase()));
}
