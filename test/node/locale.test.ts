import { afterEach, describe, expect, it } from 'vitest';
import { LanguageChoice, type LanguageDeps } from '../../src/ui/language.svelte';
import { locale } from '../../src/ui/locale.svelte';
import { app, counted, formatBytes, formatCount, messageText, rail } from '../../src/ui/strings';
import { browserLocale, chooseLocale, parseLocale, type Locale } from '../../src/ui/strings/intl';

afterEach(() => {
  locale.current = 'en';
});

describe('which language the page opens in', () => {
  it('reads the tags people and browsers write', () => {
    expect(parseLocale('zh-CN')).toBe('zh-CN');
    expect(parseLocale('zh')).toBe('zh-CN');
    expect(parseLocale('zh-Hans-CN')).toBe('zh-CN');
    expect(parseLocale('EN-gb')).toBe('en');
    expect(parseLocale('zh-TW')).toBeNull();
    expect(parseLocale('fr')).toBeNull();
    expect(parseLocale(null)).toBeNull();
  });

  it('takes the link first, then the saved choice, then the browser, then English', () => {
    expect(chooseLocale('en', 'zh-CN', ['zh-CN'])).toBe('en');
    expect(chooseLocale('zh-CN', 'en', ['en'])).toBe('zh-CN');
    expect(chooseLocale(null, 'zh-CN', ['en-US'])).toBe('zh-CN');
    expect(chooseLocale('klingon', 'garbage', ['fr', 'zh-CN'])).toBe('zh-CN');
    expect(browserLocale(['fr', 'de'])).toBe('en');
  });
});

function deps(query: string, saved: string | null, languages: string[] = ['en-US']) {
  const state = { query, saved: [] as Locale[] };
  const d: LanguageDeps = {
    load: () => Promise.resolve(saved),
    save: (l) => {
      state.saved.push(l);
      return Promise.resolve();
    },
    readQuery: () => state.query,
    writeQuery: (q) => {
      state.query = q;
    },
    languages,
  };
  return { d, state };
}

describe('the language switch', () => {
  it('opens in the saved language, switches without touching an address that has no lang=', async () => {
    const { d, state } = deps('?stage=tune&seed=3', 'zh-CN');
    const choice = new LanguageChoice(d);
    await choice.start();
    expect(choice.current).toBe('zh-CN');
    await choice.choose('en');
    expect(locale.current).toBe('en');
    expect(state.saved).toEqual(['en']);
    expect(state.query).toBe('?stage=tune&seed=3');
  });

  it('keeps lang= in the address in step with the choice', async () => {
    const { d, state } = deps('?stage=label&lang=en&seed=2', null, ['zh-CN']);
    const choice = new LanguageChoice(d);
    await choice.start();
    expect(choice.current).toBe('en');
    await choice.choose('zh-CN');
    expect(state.query).toBe('?stage=label&lang=zh-CN&seed=2');
  });

  it('opens in the browser language when the saved choice cannot be read, and says when a choice is not kept', async () => {
    const { d } = deps('', null, ['zh-CN', 'en']);
    const choice = new LanguageChoice({
      ...d,
      load: () => Promise.reject(new Error('blocked')),
      save: () => Promise.reject(new Error('quota')),
    });
    await choice.start();
    expect(choice.current).toBe('zh-CN');
    await choice.choose('en');
    expect(choice.current).toBe('en');
    expect(choice.notSaved).toBe('quota');
  });
});

describe('strings follow the page language', () => {
  it('reads each string in the language current at the time of reading', () => {
    expect(app.title).toBe('RLHF Playground');
    expect(rail.count('label', 1)).toBe('1 label');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
    locale.current = 'zh-CN';
    expect(app.title).toContain('演练场');
    expect(rail.count('label', 1)).not.toContain('label');
    expect(formatCount(123456)).toBe('12.3万');
    expect(counted(2, { one: 'x', other: '个' })).toBe('2 个');
    locale.current = 'en';
    expect(app.title).toBe('RLHF Playground');
  });

  it('iterates a string table of the current language', () => {
    locale.current = 'zh-CN';
    expect(Object.keys(rail.names)).toEqual(['model', 'label', 'reward', 'tune', 'compare', 'data']);
    expect(Object.values(rail.names).join('')).not.toMatch(/[A-Za-z]/);
  });

  it('words engine messages in the page language', () => {
    const m = { code: 'NO_REWARD_MODEL', params: {} } as const;
    const english = messageText(m);
    expect(english).toMatch(/reward model/);
    locale.current = 'zh-CN';
    // English until the Chinese message table is plugged in; then a different sentence.
    expect(typeof messageText(m)).toBe('string');
  });
});
