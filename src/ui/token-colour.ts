/**
 * Colours of the token view. Each token's background says how one number compares across the
 * sample: log-probability on a light-to-dark scale (dark = the model was sure), per-token KL and
 * advantage on a two-sided scale (orange below zero, blue above). The colour is never the only
 * signal: the page shows every value as text too, on hover and focus and in the token list.
 */
export type TokenMeasure = 'logProb' | 'kl' | 'advantage';

export interface TokenColour {
  background: string;
  /** Text colour with enough contrast on that background. */
  ink: string;
}

/** Beyond these magnitudes the colour stays at full strength. */
const SCALE: Record<TokenMeasure, number> = { logProb: 6, kl: 1, advantage: 2 };

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** How strong the colour is, 0 to 1, and on which side of the scale. */
export function tokenStrength(measure: TokenMeasure, value: number): { strength: number; side: 'low' | 'high' } {
  if (!Number.isFinite(value)) return { strength: 1, side: 'low' };
  // Log-probabilities are <= 0: 0 is a certain token (strong), very negative a surprise (pale).
  if (measure === 'logProb') return { strength: clamp01(1 + value / SCALE.logProb), side: 'high' };
  return { strength: clamp01(Math.abs(value) / SCALE[measure]), side: value < 0 ? 'low' : 'high' };
}

export function tokenColour(measure: TokenMeasure, value: number): TokenColour {
  const { strength, side } = tokenStrength(measure, value);
  const hue = side === 'high' ? 215 : 28;
  // From near-white (lightness 97%) to a deep shade (35%); ink flips to white past the middle.
  const lightness = Math.round(97 - 62 * strength);
  return { background: `hsl(${hue} 75% ${lightness}%)`, ink: lightness < 60 ? '#ffffff' : '#111418' };
}
