// What counts as English in a Chinese interface, shared by the string tests
// (test/node/strings-locales.test.ts) and the page walkthrough (scripts/e2e-locale.mjs): Latin
// words except formula symbols, algorithm and format acronyms, units, model and product names.

export const ALLOWED_WORDS = new Set(
  [
    // algorithms, formats, hardware, libraries
    'RLHF',
    'PPO',
    'GRPO',
    'RLOO',
    'DPO',
    'SFT',
    'KTO',
    'KL',
    'GPT',
    'GPT-2',
    'WASM',
    'WebGPU',
    'WebGL',
    'CPU',
    'GPU',
    'TensorFlow.js',
    'TensorFlow',
    'js',
    'TRL',
    'JSONL',
    'JSON',
    'CSV',
    'SVG',
    'PNG',
    'HTML',
    'HTTP',
    'UTF-8',
    'UTF',
    'NUL',
    'IndexedDB',
    'Hugging',
    'Face',
    'safetensors',
    'config.json',
    'model.safetensors',
    'tokenizer.json',
    'manifest.json',
    'README',
    'public/models/manifest.json',
    'txt',
    'Bradley-Terry',
    'Bradley',
    'Terry',
    'Cohen',
    "Cohen's",
    'kappa',
    'AdamW',
    'GAE',
    'TinyStories',
    'BPE',
    'nanoGPT',
    'Ctrl',
    'Cmd',
    'Enter',
    'Tab',
    'Shift',
    'Esc',
    'S',
    'E',
    'Z',
    'A',
    'B',
    'p',
    'k',
    'n',
    'P',
    'Top-k',
    'Top-p',
    'top-k',
    'top-p',
    'Beta',
    'beta',
    'epsilon',
    'lr',
    'M',
    'kB',
    'KB',
    'MB',
    'GB',
    'ms',
    's',
    'endoftext',
    'reward',
    'hacking',
    'backend',
    'lang',
    'en',
    'zh-CN',
    'Playground',
    // browser APIs named in messages
    'navigator.gpu',
    'OffscreenCanvas',
    'SwiftShader',
    // formula functions
    'ln',
    'log',
    'exp',
    'min',
    'max',
    'clip',
  ].map((w) => w.toLowerCase()),
);

/** True when `s` has a Han character (the page's Chinese). @param {string} s */
export function hasHan(s) {
  return /\p{Script=Han}/u.test(s);
}

/**
 * The Latin words of `s` that are neither allowed nor part of one of the `given` phrases.
 * @param {string} s
 * @param {readonly string[]} given
 */
export function englishWords(s, given = []) {
  let rest = s;
  for (const g of [...given].sort((a, b) => b.length - a.length))
    rest = rest.replace(new RegExp(`(?<![A-Za-z])${g.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![A-Za-z])`, 'g'), ' ');
  const words = rest.match(/[A-Za-z][A-Za-z0-9'’._/-]*[A-Za-z0-9]|[A-Za-z]/g) ?? [];
  // Formula symbols: subscripted names (r_A, π_ref) and single letters (L, V, t).
  return words
    .filter((w) => !w.includes('_') && w.length > 1)
    .filter((w) => !ALLOWED_WORDS.has(w.toLowerCase()) && !ALLOWED_WORDS.has(w.replace(/[.’']+$/, '').toLowerCase()));
}
