/**
 * The Chinese strings tables against the English ones: every string and every function's result,
 * for sample arguments, reads as Chinese (or is an acronym, symbol or formula on purpose), names the
 * values it was given, and leaves no English word outside the allowed ones.
 */
import { describe, expect, it } from 'vitest';
import type { MessageCode } from '../../src/contract/messages';
import * as enCli from '../../src/ui/strings/cli-messages';
import * as enCharts from '../../src/ui/strings/charts';
import * as enCompare from '../../src/ui/strings/compare';
import * as enEngine from '../../src/ui/strings/engine-messages';
import * as enExplain from '../../src/ui/strings/explain';
import * as enLabelerNames from '../../src/ui/strings/labeler-names';
import * as enInput from '../../src/ui/strings/input-messages';
import * as enInspect from '../../src/ui/strings/inspect';
import * as enLabelers from '../../src/ui/strings/labelers';
import * as enMessages from '../../src/ui/strings/messages';
import * as zhCli from '../../src/ui/strings/zh-CN/cli-messages';
import * as zhCharts from '../../src/ui/strings/zh-CN/charts';
import * as zhCompare from '../../src/ui/strings/zh-CN/compare';
import * as zhEngine from '../../src/ui/strings/zh-CN/engine-messages';
import * as zhExplain from '../../src/ui/strings/zh-CN/explain';
import * as zhLabelerNames from '../../src/ui/strings/zh-CN/labeler-names';
import * as zhInput from '../../src/ui/strings/zh-CN/input-messages';
import * as zhInspect from '../../src/ui/strings/zh-CN/inspect';
import * as zhLabelers from '../../src/ui/strings/zh-CN/labelers';
import * as zhMessages from '../../src/ui/strings/zh-CN/messages';
import { LABELER_MODULE_FORMS, SAMPLES, TOKENIZER_JSON_FORMS, valuesOf } from '../helpers/message-samples';
import { CALLS } from '../helpers/string-samples';

const EN = {
  compare: enCompare.compare,
  explain: enExplain.explain,
  labelers: enLabelers.labelers,
  labelerNames: enLabelerNames.labelerNames,
  charts: enCharts.charts,
  inspect: enInspect.inspect,
  ENGINE_MESSAGES: enEngine.ENGINE_MESSAGES,
  INPUT_MESSAGES: enInput.INPUT_MESSAGES,
  CLI_MESSAGES: enCli.CLI_MESSAGES,
  MESSAGES: enMessages.MESSAGES,
  messageText: enMessages.messageText,
};
const ZH: typeof EN = {
  compare: zhCompare.compare,
  explain: zhExplain.explain,
  labelers: zhLabelers.labelers,
  labelerNames: zhLabelerNames.labelerNames,
  charts: zhCharts.charts,
  inspect: zhInspect.inspect,
  ENGINE_MESSAGES: zhEngine.ENGINE_MESSAGES,
  INPUT_MESSAGES: zhInput.INPUT_MESSAGES,
  CLI_MESSAGES: zhCli.CLI_MESSAGES,
  MESSAGES: zhMessages.MESSAGES,
  messageText: zhMessages.messageText,
};

/** Latin words a Chinese string may carry even with no Chinese around them: acronyms, names, formula symbols. */
const SYMBOLS = [
  ...['RLHF', 'PPO', 'DPO', 'GRPO', 'RLOO', 'SFT', 'KTO', 'KL', 'GAE', 'REINFORCE', 'GPT', 'TRL'],
  ...['CSV', 'SVG', 'PNG', 'WebGPU', 'WebGL', 'TensorFlow', 'js', 'IndexedDB', 'HTTP', 'HTML', 'JSON', 'UTF', 'NUL'],
  // Formula symbols: log π_ref, softmax, clip(ρ, …), mean(r_group), std, r_RM, r_chosen.
  ...['log', 'ln', 'softmax', 'clip', 'min', 'mean', 'std', 'ref', 'old', 'group', 'RM', 'chosen', 'rejected', 'KL_i'],
];

/** Latin words allowed inside Chinese sentences: names, data formats, protocol names, the model's own English. */
const NAMES_AND_DATA = [
  ...['TinyStories', 'Bradley', 'Terry', 'Cohen', 'kappa'],
  // File names and keys of exports and files: data formats stay in English.
  ...['preferences', 'ties', 'ratings', 'jsonl', 'prompt', 'label', 'true', 'false', 'stars', 'tokenizer', 'json'],
  ...['format', 'models', 'default', 'nEmbd', 'nHead', 'init', 'loadModel'],
  // The English words the simulated labelers count, and keyword-rule examples: the model writes English.
  ...['happy', 'smiled', 'friends', 'hug', 'sad', 'cried', 'hurt', 'lost', 'not', 'dog', 'cat', 'bird', 'bunny'],
  ...['frog', 'ball', 'word'],
  // Keys as printed on the keyboard.
  'Enter',
  // What a user types or reads in a file: commands, flags, fields of tokenizer.json and labeler modules.
  ...['npm', 'run', 'evaluate', 'lm', 'corpus', 'FILE', 'checkpoint', 'PATH', 'heldout', 'txt', 'Node', 'CPU'],
  ...['Hugging', 'Face', 'gram', 'vocabSize', 'model', 'vocab', 'added_tokens', 'type', 'ByteLevel', 'BPE', 'null'],
  ...['left', 'right', 'score', 'function', 'response', 'Promise', 'Infinity', 'rationality', 'tieMargin'],
  ...['ratingCutpoints', 'id', 'ids'],
];

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;
/** A Latin word; a snake_case name (added_tokens, KL_i) counts as one. */
const LATIN_WORD = /[A-Za-z]{2,}(?:_[A-Za-z]+)*/g;

/** Every string inside sample arguments, so a value given to a sentence may appear in it. */
function argText(args: unknown): string {
  if (typeof args === 'string' || typeof args === 'number') return `${args} `;
  if (args instanceof Map) return argText([...args.values()]);
  if (Array.isArray(args)) return args.map(argText).join('');
  if (args !== null && typeof args === 'object') return Object.values(args).map(argText).join('');
  return '';
}

/** The Latin words of `zh` that are neither allowed nor among the arguments. */
function strayEnglish(zh: string, allowed: readonly string[], args: string): string[] {
  return (zh.match(LATIN_WORD) ?? []).filter((w) => !allowed.includes(w) && !args.includes(w));
}

function expectChinese(zh: string, args: unknown[]): void {
  const given = argText(args);
  expect(zh.trim()).not.toBe('');
  expect(zh).not.toMatch(/undefined|NaN|\[object|\$\{/);
  expect(strayEnglish(zh, [...SYMBOLS, ...NAMES_AND_DATA], given)).toEqual([]);
  // Without Chinese, a string is an acronym, a symbol, a formula, a number or a value it was given.
  if (!CJK.test(zh)) expect(strayEnglish(zh, SYMBOLS, given)).toEqual([]);
}

function expectEnglish(en: string): void {
  // "Cohen's kappa undefined (no variation)" is a word the English means.
  expect(en.replace('undefined (no variation)', '')).not.toMatch(/undefined|NaN|\[object|\$\{/);
  expect(en).not.toMatch(CJK);
}

interface Leaf {
  path: string;
  en: unknown;
  zh: unknown;
}

/** The strings, string lists and functions of both tables, side by side by path. */
function leaves(path: string, en: unknown, zh: unknown): Leaf[] {
  if (typeof en === 'function' || typeof en === 'string' || Array.isArray(en)) return [{ path, en, zh }];
  if (en === null || typeof en !== 'object' || zh === null || typeof zh !== 'object') return [{ path, en, zh }];
  const keys = [...new Set([...Object.keys(en), ...Object.keys(zh)])];
  return keys.flatMap((k) => leaves(path === '' ? k : `${path}.${k}`, Reflect.get(en, k), Reflect.get(zh, k)));
}

const CODES = Object.keys(SAMPLES) as MessageCode[];
const TABLES = ['MESSAGES', 'ENGINE_MESSAGES', 'INPUT_MESSAGES', 'CLI_MESSAGES'];

/** Every form of the codes whose parameters come in several shapes, besides the one in SAMPLES. */
const FORMS: Partial<Record<MessageCode, object[]>> = {
  TOKENIZER_JSON: Object.values(TOKENIZER_JSON_FORMS),
  LABELER_MODULE: Object.values(LABELER_MODULE_FORMS).map((form) => ({ path: 'labelers/mine.mjs', ...form })),
};

/** The sample argument lists for the function at `path`. */
function argsFor(path: string): unknown[][] {
  const [table, code] = path.split('.');
  if (TABLES.includes(table) && code in SAMPLES) {
    const c = code as MessageCode;
    return [[SAMPLES[c]], ...(FORMS[c] ?? []).map((params) => [params])];
  }
  if (path === 'messageText') return CODES.map((c) => [{ code: c, params: SAMPLES[c] }]);
  return CALLS[path] ?? [];
}

const ALL = leaves('', EN, ZH);
const FUNCTIONS = ALL.filter((l) => typeof l.en === 'function').map((l) => l.path);
const TEXTS = ALL.filter((l) => typeof l.en !== 'function').map((l) => l.path);
const byPath = new Map(ALL.map((l) => [l.path, l]));

describe('zh-CN strings', () => {
  it('has the same keys as English, and the same kind of value under each', () => {
    for (const { path, en, zh } of ALL) {
      expect(typeof zh, path).toBe(typeof en);
      expect(Array.isArray(zh), path).toBe(Array.isArray(en));
      if (Array.isArray(en) && Array.isArray(zh)) expect(zh.length, path).toBe(en.length);
    }
  });

  it('has sample arguments for every function', () => {
    expect(FUNCTIONS.filter((p) => argsFor(p).length === 0)).toEqual([]);
  });

  it.each(TEXTS)('%s reads as Chinese', (path) => {
    const { en, zh } = byPath.get(path) as Leaf;
    const [ens, zhs] = [en, zh].map((v) => (Array.isArray(v) ? v : [v]) as string[]);
    ens.forEach(expectEnglish);
    zhs.forEach((s) => expectChinese(s, []));
  });

  it.each(FUNCTIONS)('%s renders every sample in both languages', (path) => {
    const { en, zh } = byPath.get(path) as Leaf;
    for (const args of argsFor(path)) {
      const [enOut, zhOut] = [en, zh].map((f) => Reflect.apply(f as (...a: unknown[]) => unknown, undefined, args));
      if (enOut === null) {
        expect(zhOut, path).toBeNull();
        continue;
      }
      const [ens, zhs] = [enOut, zhOut].map((v) => (Array.isArray(v) ? v : [v]) as string[]);
      expect(zhs.length, path).toBe(ens.length);
      ens.forEach(expectEnglish);
      // TEXT carries a sentence raised as it was written; it passes through untranslated.
      if (path.endsWith('.TEXT') || (path === 'messageText' && (args[0] as { code: string }).code === 'TEXT')) {
        expect(zhs).toEqual(ens);
        continue;
      }
      zhs.forEach((s) => expectChinese(s, args));
    }
  });

  it.each(CODES)('message %s names its values in Chinese too', (code) => {
    const text = zhMessages.messageText({ code, params: SAMPLES[code] } as Parameters<
      typeof zhMessages.messageText
    >[0]);
    for (const value of valuesOf(code, SAMPLES[code])) expect(text).toContain(value);
  });

  it('keeps keyword rules as written and gives other labelers no description', () => {
    expect(zhLabelerNames.labelerNames.title('keyword:+dog -sad')).toBe('关键词 +dog -sad');
    expect(zhLabelerNames.labelerNames.description('keyword:+dog')).toBe('');
    expect(zhLabelerNames.labelerNames.title('alice')).toBe('alice');
    expect(zhCompare.compare.scores(null, null)).toBe('');
    expect(zhCharts.charts.metricTitle('custom/metric')).toBeNull();
  });
});
