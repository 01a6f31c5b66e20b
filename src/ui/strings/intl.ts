/**
 * The languages the page speaks, and the `Intl` formatters each one writes numbers, dates, lists
 * and plurals with. Pure: the strings of each language call these with their own locale, so the
 * same code formats "1.2 k labels" in English and "1.2万 个标签" in Chinese.
 */

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** A locale as written in a link (`?lang=zh-CN`), in settings or by the browser; null when not spoken here. */
export function parseLocale(raw: string | null | undefined): Locale | null {
  if (raw === null || raw === undefined) return null;
  const tag = raw.trim().toLowerCase();
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  // Simplified Chinese: zh, zh-CN, zh-Hans, zh-SG. Traditional (zh-TW, zh-HK, zh-Hant) is not written here.
  if (tag === 'zh' || tag === 'zh-cn' || tag === 'zh-sg' || tag.startsWith('zh-hans')) return 'zh-CN';
  return null;
}

/** The first of the browser's preferred languages the page speaks, else English. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const locale = parseLocale(language);
    if (locale !== null) return locale;
  }
  return 'en';
}

/**
 * Which language the page opens in: a `lang=` in the link wins, then the choice saved in this
 * browser, then the browser's own preference.
 */
export function chooseLocale(fromLink: string | null, saved: string | null, languages: readonly string[]): Locale {
  return parseLocale(fromLink) ?? parseLocale(saved) ?? browserLocale(languages);
}

/** The words for each plural category a language has; `other` is always needed (Chinese has only it). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface Intls {
  /** A number with at most `digits` decimals (and at least `minDigits`), grouped as the language groups. */
  number: (x: number, digits?: number, minDigits?: number) => string;
  /** 0.62 → "62%". */
  percent: (x: number) => string;
  /** A count in the language's short form: "12.3K" / "1.2万". */
  compact: (n: number) => string;
  /** A time (ms since 1970) as a date and time. */
  date: (ms: number) => string;
  /** "a, b and c" / "a、b和c". */
  list: (items: readonly string[]) => string;
  /** The form of `forms` that the language uses for `n` (`n` itself is not written). */
  plural: (n: number, forms: PluralForms) => string;
}

/** The formatters of one locale; built once per locale. */
export function intls(locale: Locale): Intls {
  const numbers = new Map<string, Intl.NumberFormat>();
  const numberFormat = (digits: number, minDigits: number): Intl.NumberFormat => {
    const key = `${digits}/${minDigits}`;
    let f = numbers.get(key);
    if (f === undefined) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: minDigits });
      numbers.set(key, f);
    }
    return f;
  };
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const list = new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' });
  const plurals = new Intl.PluralRules(locale);
  return {
    number: (x, digits = 2, minDigits = 0) => numberFormat(digits, Math.min(minDigits, digits)).format(x),
    percent: (x) => percent.format(x),
    compact: (n) => compact.format(n),
    date: (ms) => date.format(new Date(ms)),
    list: (items) => list.format(items),
    plural: (n, forms) => forms[plurals.select(n)] ?? forms.other,
  };
}
