// The rollout's top-k / top-p / minimum length as tune settings: an optional part of TuneSettings that a configure
// request may carry, checked like every other setting, and mapped onto the engine's PPOConfig.
import { describe, expect, it } from 'vitest';
import { isRequest } from '../../src/contract/protocol';
import { DEFAULT_TUNE, isTuneSettings, sanitizeTune, toPPOConfig } from '../../src/contract/tune-settings';

const rollout = { topK: 10, topP: 0.9, matchedLogProbs: false };

describe('rollout sampling in the tune settings', () => {
  it('a configure request with or without a rollout passes; a bad one is refused', () => {
    const configure = (settings: unknown) => isRequest({ id: 1, type: 'configure', settings });
    expect(configure(DEFAULT_TUNE)).toBe(true);
    expect(configure({ ...DEFAULT_TUNE, rollout })).toBe(true);
    expect(configure({ ...DEFAULT_TUNE, rollout: { ...rollout, topP: 0 } })).toBe(false);
    expect(configure({ ...DEFAULT_TUNE, rollout: { ...rollout, topP: 1.5 } })).toBe(false);
    expect(configure({ ...DEFAULT_TUNE, rollout: { ...rollout, topK: 2.5 } })).toBe(false);
    expect(configure({ ...DEFAULT_TUNE, rollout: { ...rollout, topK: -1 } })).toBe(false);
    expect(configure({ ...DEFAULT_TUNE, rollout: { topK: 10, topP: 1 } })).toBe(false);
    expect(isTuneSettings({ ...DEFAULT_TUNE, rollout: null })).toBe(false);
    expect(configure({ ...DEFAULT_TUNE, rollout: { ...rollout, minNewTokens: 48 } })).toBe(true);
    for (const minNewTokens of [-1, 2.5, 97, '48'])
      expect(configure({ ...DEFAULT_TUNE, rollout: { ...rollout, minNewTokens } }), String(minNewTokens)).toBe(false);
  });

  it('sanitizeTune makes any rollout valid and leaves an absent one absent', () => {
    expect(sanitizeTune(DEFAULT_TUNE).rollout).toBeUndefined();
    expect(sanitizeTune({ ...DEFAULT_TUNE, rollout: { topK: -3, topP: 7, matchedLogProbs: 'yes' } }).rollout).toEqual({
      topK: 0,
      topP: 1,
      matchedLogProbs: true,
    });
    expect(isTuneSettings(sanitizeTune({ ...DEFAULT_TUNE, rollout: { topK: 1e9 } }))).toBe(true);
    const long = sanitizeTune({ ...DEFAULT_TUNE, rollout: { ...rollout, minNewTokens: 500 } }).rollout;
    expect(long).toEqual({ ...rollout, minNewTokens: 96 });
    expect(sanitizeTune({ ...DEFAULT_TUNE, rollout: { ...rollout, minNewTokens: -2 } }).rollout).toEqual(rollout);
  });

  it('toPPOConfig hands top-k, top-p, the minimum length and matched log-probs to the engine', () => {
    expect(toPPOConfig({ ...DEFAULT_TUNE, rollout })).toMatchObject(rollout);
    expect(toPPOConfig({ ...DEFAULT_TUNE, rollout: { ...rollout, minNewTokens: 8 } })).toMatchObject({
      minNewTokens: 8,
    });
    expect(toPPOConfig(DEFAULT_TUNE)).not.toHaveProperty('topK');
  });
});
