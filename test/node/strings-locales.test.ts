/**
 * Every string of the page in English and in Chinese: each plain string, each string function
 * called with sample parameters (test/helpers/string-samples.ts) and each message code with its
 * sample and other forms (test/helpers/message-samples.ts, message-forms.ts). Both languages have
 * the same keys; nothing writes "undefined", "NaN" or "[object"; the English has no Chinese in
 * it; the Chinese reads as Chinese, with no English word outside the one allow-list
 * (scripts/lib/language-check.mjs) beyond the values it was given, and with Han characters unless
 * it is only symbols and values; and each value the English shows, the Chinese shows too.
 */
import { describe, expect, it } from 'vitest';
import type { Message, MessageCode } from '../../src/contract/messages';
import { english, type ModuleName } from '../../src/ui/strings/modules';
import { zhCN } from '../../src/ui/strings/zh-CN';
import { englishWords, hasHan } from '../../scripts/lib/language-check.mjs';
import { FORMS } from '../helpers/message-forms';
import { ENUMERATED, FILE_SAMPLES, SAMPLES, valuesOf } from '../helpers/message-samples';
import { STRING_SAMPLES } from '../helpers/string-samples';

const CODES = Object.keys(SAMPLES) as MessageCode[];

/** The message code a path renders (messages.MESSAGES.X, engineMessages.ENGINE_MESSAGES.X), if any. */
function codeOf(path: string): MessageCode | null {
  const m = /^(?:messages\.MESSAGES|engineMessages\.ENGINE_MESSAGES)\.([A-Z_]+)$/.exec(path);
  return m !== null && m[1] in SAMPLES ? (m[1] as MessageCode) : null;
}

/** The sample argument lists for the function at `path`. */
function argsFor(path: string): unknown[][] {
  const code = codeOf(path);
  if (code !== null) return [[SAMPLES[code]], ...(FORMS[code] ?? []).map((params) => [params])];
  if (path === 'messages.messageText') return CODES.map((c) => [{ code: c, params: SAMPLES[c] }]);
  if (path === 'messages.importProblemText') return FILE_SAMPLES.IMPORT_PROBLEMS.problems.map((p) => [p]);
  if (path === 'messages.importSummary') return [[FILE_SAMPLES.IMPORT_PROBLEMS]];
  return STRING_SAMPLES[path] ?? [];
}

/** Strings that are not Chinese on purpose. */
const NOT_CHINESE = new Set([
  // The example prompt in the prompt box (lang="en"): the model's English.
  'shell.prompt.placeholder',
  // The language switch names each language in its own words.
  'shell.language.names.en',
]);

interface Leaf {
  path: string;
  en: unknown;
  zh: unknown;
}

/** The strings, string lists and functions of both languages, side by side by path. */
function leaves(path: string, en: unknown, zh: unknown): Leaf[] {
  if (typeof en === 'function' || typeof en === 'string' || Array.isArray(en)) return [{ path, en, zh }];
  if (en === null || typeof en !== 'object' || zh === null || typeof zh !== 'object') return [{ path, en, zh }];
  const keys = [...new Set([...Object.keys(en), ...Object.keys(zh)])];
  return keys.flatMap((k) => leaves(`${path}.${k}`, Reflect.get(en, k), Reflect.get(zh, k)));
}

/** Every string and number inside sample arguments, as a sentence may write it. */
function argValues(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v === 'number') return [String(v)];
  if (v instanceof Map) return argValues([...v.values()]);
  if (Array.isArray(v)) return v.flatMap(argValues);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(argValues);
  return [];
}

/** What a missing parameter leaves in a sentence (“kappa undefined (no variation)” is a sentence). */
const BROKEN = /undefined(?! \(no variation)|\[object |\bNaN\b|\$\{/;

/**
 * Whether `text` writes `value` as a whole, or (`within`) anywhere, as a message writes 3.25 as
 * 3.2500. A count may carry thousands separators: 124,439,808.
 */
function shows(text: string, value: string, within = false): boolean {
  const forms = [value, Number.isFinite(Number(value)) ? Number(value).toLocaleString('en') : value];
  if (within) return forms.some((f) => text.includes(f));
  const edge = (s: string) => (/^[A-Za-z0-9]/.test(s) ? '(?<![A-Za-z0-9.])' : '');
  const end = (s: string) => (/[A-Za-z0-9]$/.test(s) ? '(?![A-Za-z0-9])' : '');
  return forms.some((f) => new RegExp(`${edge(f)}${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${end(f)}`).test(text));
}

/**
 * The values a sentence must show as given. A message names every free value of its code that the
 * English names (messages.test.ts holds the English to naming all of them for the samples); another
 * string each number and each value that is not a lone lowercase word (one of those picks from a
 * closed set, a stage or a kind, that the English may write as its own word and the Chinese in Chinese).
 */
function shownValues(en: string, args: unknown[], message: Message | null): string[] {
  if (message !== null) {
    const { byte } = message.params as { byte?: number };
    return valuesOf(message.code, message.params).filter((v) => v !== String(byte) && shows(en, v, true));
  }
  return argValues(args).filter((v) => /[A-Za-z0-9]/.test(v) && !/^[a-z]+$/.test(v) && shows(en, v));
}

/** What is wrong with one rendered sample: `en` and `zh` are one string each. */
function problems(path: string, en: string, zh: string, args: unknown[], message: Message | null): string[] {
  const out: string[] = [];
  // A message's enumerated parameters (a kind, a problem) are worded, not given.
  const enumerated = message === null ? [] : (ENUMERATED[message.code] ?? []);
  const given =
    message === null
      ? argValues(args)
      : Object.entries(message.params).flatMap(([k, v]) => (enumerated.includes(k) ? [] : argValues(v)));
  if (BROKEN.test(en)) out.push(`English broken: ${en}`);
  if (BROKEN.test(zh)) out.push(`Chinese broken: ${zh}`);
  if (hasHan(en) && path !== 'shell.language.names.zh-CN') out.push(`English has Chinese: ${en}`);
  if (NOT_CHINESE.has(path)) return out;
  if (en.trim() !== '' && zh.trim() === '') out.push('Chinese empty');
  if (zh === en && englishWords(en, argValues(args)).length > 0) out.push(`same as the English: ${zh}`);
  // A plain string keeps the English's numbers and symbols (50%, β, π_ref, distinct-2).
  if (args.length === 0)
    for (const kept of en.match(/\d+(?:\.\d+)?%?|β|π_ref|top-k|distinct-2/g) ?? [])
      if (!zh.includes(kept)) out.push(`${kept} missing in: ${zh}`);
  const stray = englishWords(zh, given, !hasHan(zh));
  if (stray.length > 0) out.push(`English words ${stray.join(', ')} in: ${zh}`);
  for (const v of shownValues(en, args, message))
    if (!shows(zh, v, message !== null)) out.push(`value ${v} missing in: ${zh}`);
  return out;
}

/** Calls `f` with `args`: a string list comes back as its items, another value (null, a yes or no) as it is. */
function call(f: unknown, args: unknown[]): string[] | unknown {
  const r: unknown = Reflect.apply(f as (...a: unknown[]) => unknown, undefined, args);
  if (typeof r === 'string') return [r];
  return Array.isArray(r) ? r.map(String) : r;
}

/** The message a path renders with `args`, if it renders one. */
function messageOf(path: string, args: unknown[]): Message | null {
  const code = codeOf(path);
  if (code !== null) return { code, params: args[0] } as Message;
  return path === 'messages.messageText' ? (args[0] as Message) : null;
}

const MODULES = Object.keys(english) as ModuleName[];
const ROWS = MODULES.flatMap((m) => leaves(m, english[m], zhCN[m] ?? english[m]));

describe('every string in both languages', () => {
  it('has the same keys in Chinese as in English, and the same kind of value under each', () => {
    for (const { path, en, zh } of ROWS) {
      expect(typeof zh, path).toBe(typeof en);
      expect(Array.isArray(zh), path).toBe(Array.isArray(en));
      if (Array.isArray(en) && Array.isArray(zh)) expect(zh.length, path).toBe(en.length);
    }
  });

  it('has sample parameters for every string function and every message code', () => {
    const fns = ROWS.filter((r) => typeof r.en === 'function').map((r) => r.path);
    expect(fns.filter((p) => argsFor(p).length === 0)).toEqual([]);
    // A sample for a function that is gone is a sample no test renders.
    const known = new Set(fns);
    expect(Object.keys(STRING_SAMPLES).filter((p) => !known.has(p))).toEqual([]);
  });

  for (const m of MODULES) {
    const present = zhCN[m] !== null;
    it(`renders ${m}${present ? '' : ' (no Chinese module yet: English shows)'}`, () => {
      const found: string[] = [];
      for (const { path, en, zh } of ROWS.filter((r) => r.path.startsWith(`${m}.`))) {
        const samples = typeof en === 'function' ? argsFor(path) : [[]];
        const outputs: [string, string][] = [];
        for (const args of samples) {
          const [ens, zhs] =
            typeof en === 'function'
              ? [call(en, args), call(zh, args)]
              : [[en].flat().map(String), [zh].flat().map(String)];
          if (!Array.isArray(ens) || !Array.isArray(zhs)) {
            if (ens !== zhs) found.push(`${path}: ${String(ens)} in English, ${String(zhs)} in Chinese`);
            continue;
          }
          if (ens.length !== zhs.length)
            found.push(`${path}: ${ens.length} items in English, ${zhs.length} in Chinese`);
          if (typeof en === 'function') outputs.push([ens.join('\n'), zhs.join('\n')]);
          const message = messageOf(path, args);
          ens.forEach((e, i) => {
            // With no Chinese module the English shows in both places: only the English is checked.
            const all = problems(path, e, present ? zhs[i] : '', args, message);
            found.push(...(present ? all : all.filter((p) => p.startsWith('English'))).map((p) => `${path}: ${p}`));
          });
        }
        // What the English words differently (a kind, a branch), the Chinese words differently too.
        const distinct = (i: 0 | 1) => new Set(outputs.map((o) => o[i])).size;
        if (present && distinct(1) < distinct(0)) found.push(`${path}: branches the English tells apart read the same`);
      }
      expect(found).toEqual([]);
    });
  }

  it('keeps names, keys and the note that the model writes English', () => {
    const zh = zhCN.backendFailures ?? english.backendFailures;
    expect(zh.BACKEND_NAMES).toEqual(english.backendFailures.BACKEND_NAMES);
    const lesson = (zhCN.lesson ?? english.lesson).lesson;
    expect(lesson.skipKey).toBe(english.lesson.lesson.skipKey);
    if (zhCN.lesson !== null)
      for (const s of [lesson.steps.generate.body, lesson.tastesIntro]) expect(s).toContain('英文');
  });

  it('says which way each measurement of an experiment went', () => {
    const { moved } = (zhCN.experiments ?? english.experiments).experiments;
    if (zhCN.experiments === null) return;
    expect(moved('objective/scores', 'beta0', 0.1, 1.52, 1)).toContain('上升');
    expect(moved('gold/score', 'beta0', 0.5, -0.2, 2)).toContain('下降');
    expect(moved('objective/kl', 'lr10', 3, 3, 1)).toContain('保持在');
  });

  it('keeps keyword rules as written and gives other labelers no description', () => {
    const zh = zhCN.labelerNames ?? english.labelerNames;
    expect(zh.labelerNames.title('keyword:+dog -sad')).toBe('关键词 +dog -sad');
    expect(zh.labelerNames.description('keyword:+dog')).toBe('');
    expect(zh.labelerNames.title('alice')).toBe('alice');
    expect((zhCN.compare ?? english.compare).compare.scores(null, null)).toBe('');
    expect((zhCN.charts ?? english.charts).charts.metricTitle('custom/metric')).toBeNull();
  });
});
