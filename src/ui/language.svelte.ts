/**
 * The person's choice of interface language: opened from the link (`?lang=zh-CN`), else the
 * choice saved in this browser, else the browser's own preference; switched from the header
 * without a reload. A `lang=` already in the address follows the switch, so a reload or a shared
 * link keeps the language; an address without one is left without one.
 */
import { locale } from './locale.svelte';
import { chooseLocale, LOCALES, type Locale } from './strings/intl';

export interface LanguageDeps {
  /** The saved choice as stored (checked here), or null; rejects when storage fails. */
  load(): Promise<string | null>;
  save(locale: Locale): Promise<void>;
  /** The page address's query string now, and a replacement for it. */
  readQuery(): string;
  writeQuery(query: string): void;
  /** The browser's preferred languages (navigator.languages). */
  languages: readonly string[];
}

const LANG_PARAM = /([?&]lang=)([^&#]*)/;

export class LanguageChoice {
  readonly locales = LOCALES;
  /** Why the last choice will not survive a reload, or null. */
  notSaved = $state<string | null>(null);

  constructor(private readonly deps: LanguageDeps) {}

  get current(): Locale {
    return locale.current;
  }

  /** Picks the opening language; the page renders in it from the first paint. */
  async start(): Promise<void> {
    const fromLink = LANG_PARAM.exec(this.deps.readQuery())?.[2] ?? null;
    // An unreadable setting is no reason not to open: the browser's language then decides.
    const saved = await this.deps.load().catch(() => null);
    locale.current = chooseLocale(fromLink, saved, this.deps.languages);
  }

  /** Switches the whole page to `next` at once and remembers the choice. */
  async choose(next: Locale): Promise<void> {
    locale.current = next;
    const query = this.deps.readQuery();
    if (LANG_PARAM.test(query)) this.deps.writeQuery(query.replace(LANG_PARAM, `$1${next}`));
    try {
      await this.deps.save(next);
      this.notSaved = null;
    } catch (err) {
      this.notSaved = err instanceof Error ? err.message : String(err);
    }
  }
}
