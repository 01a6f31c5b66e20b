/**
 * The interface language of the page, as reactive state: every string read through
 * src/ui/strings.ts reads `locale.current`, so switching it re-renders the page in the other
 * language without a reload and without touching anything else (a running tuning carries on).
 */
import type { Locale } from './strings/intl';

class LocaleState {
  current = $state<Locale>('en');
}

/** The page's one interface language. The Node commands never read it: they speak English. */
export const locale = new LocaleState();
