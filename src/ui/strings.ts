/**
 * Every string the page shows, in one place, so wording stays consistent and can be reviewed
 * without reading the components. Strings that depend on values are functions.
 *
 * Each export reads the table of the page's current language (locale.svelte.ts) at the moment a
 * property is read or a function called, so `{app.title}` in a template re-renders when the
 * language is switched. The tables themselves are plain modules: English in ./strings/*.ts,
 * Chinese in ./strings/zh-CN/*.ts (listed in ./strings/zh-CN/index.ts).
 */
import { locale } from './locale.svelte';
import type { Locale } from './strings/intl';
import { english, type LanguageModules, type ModuleName, type StringModules } from './strings/modules';
import { zhCN } from './strings/zh-CN';

const TABLES: Record<Locale, LanguageModules> = { en: english, 'zh-CN': zhCN };

/** The current language's module `m`, or the English one while that language has none yet. */
function table<M extends ModuleName>(m: M): StringModules[M] {
  return TABLES[locale.current][m] ?? english[m];
}

/**
 * Export `k` of module `m` in whichever language is current when it is used: a function that
 * calls the current language's function, or an object whose property reads go to the current
 * language's object. The English value is the Proxy's target and fixes its type.
 */
function localized<M extends ModuleName, K extends keyof StringModules[M] & string>(m: M, k: K): StringModules[M][K] {
  const pick = (): unknown => table(m)[k];
  const target = english[m][k];
  // A Proxy keeps the target's type only through a cast; the handlers forward every read.
  if (typeof target === 'function') {
    return new Proxy(target, {
      apply: (_t, self, args) => Reflect.apply(pick() as (...a: unknown[]) => unknown, self, args),
    });
  }
  return new Proxy(target as object, {
    get: (_t, p) => Reflect.get(pick() as object, p),
    has: (_t, p) => Reflect.has(pick() as object, p),
    ownKeys: () => Reflect.ownKeys(pick() as object),
    getOwnPropertyDescriptor: (_t, p) => Reflect.getOwnPropertyDescriptor(pick() as object, p),
  }) as StringModules[M][K];
}

export const app = localized('shell', 'app');
export const backend = localized('shell', 'backend');
export const model = localized('shell', 'model');
export const progress = localized('shell', 'progress');
export const prompt = localized('shell', 'prompt');
export const settings = localized('shell', 'settings');
export const output = localized('shell', 'output');
export const problem = localized('shell', 'problem');
export const storage = localized('shell', 'storage');
export const lock = localized('shell', 'lock');
export const saved = localized('shell', 'saved');
export const pretrain = localized('shell', 'pretrain');
export const rail = localized('shell', 'rail');
export const language = localized('shell', 'language');

export const label = localized('stages', 'label');
export const shortcuts = localized('stages', 'shortcuts');
export const reward = localized('stages', 'reward');
export const tune = localized('tune', 'tune');
export const tokens = localized('tune', 'tokens');
export const data = localized('stages', 'data');
export const run = localized('stages', 'run');

export const compare = localized('compare', 'compare');
export const explain = localized('explain', 'explain');
export const labelers = localized('labelers', 'labelers');
export const labelerNames = localized('labelerNames', 'labelerNames');
export const charts = localized('charts', 'charts');
export const offline = localized('offline', 'offline');
export const inspect = localized('inspect', 'inspect');
export const lesson = localized('lesson', 'lesson');
export const experiments = localized('experiments', 'experiments');
export const EXPERIMENT_TEXT = localized('experiments', 'EXPERIMENT_TEXT');
export const whatHappened = localized('experiments', 'whatHappened');

export const formatCount = localized('format', 'formatCount');
export const formatBytes = localized('format', 'formatBytes');
export const formatSeconds = localized('format', 'formatSeconds');
export const formatPercent = localized('format', 'formatPercent');
export const formatDate = localized('format', 'formatDate');
export const formatList = localized('format', 'formatList');
export const plural = localized('format', 'plural');
export const counted = localized('format', 'counted');
export const winRateValue = localized('format', 'winRateValue');
export const formatMetric = localized('format', 'formatMetric');

/** The sentence for an engine, worker or storage message, in the page's language. */
export const messageText = localized('messages', 'messageText');
export const importSummary = localized('messages', 'importSummary');
export const importProblemText = localized('messages', 'importProblemText');
