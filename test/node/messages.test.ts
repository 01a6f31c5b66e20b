import { describe, expect, it } from 'vitest';
import type { MessageCode } from '../../src/contract/messages';
import { BUILTIN_LABELER_IDS } from '../../src/engine/labelers/builtins';
import { labelerNames } from '../../src/ui/strings/labeler-names';
import { MESSAGES, messageText } from '../../src/ui/strings/messages';
import { MESSAGE_SAMPLES as SAMPLES } from '../helpers/message-samples';

/**
 * Parameters that pick from a closed set (a kind, an algorithm, a GPU): the sentence puts them in
 * words of its own rather than writing the identifier. Every other value must appear as given.
 */
const ENUMERATED: Partial<Record<MessageCode, string[]>> = {
  NOT_A_CHECKPOINT: ['model'],
  FORMAT_VERSION: ['model'],
  UNEXPECTED_TENSORS: ['model'],
  CORPUS_SPLIT_SHORT: ['split'],
  OUT_OF_RANGE: ['rule'],
  KEYWORD_TERM: ['problem'],
  NO_MODEL: ['what'],
  ALGORITHM_NEEDS_REWARD_MODEL: ['algorithm'],
  ALGORITHM_NEEDS_GROUPS: ['algorithm'],
  NO_PAIRS_TO_TRAIN: ['algorithm', 'reason'],
  CANCELLED: ['work'],
  DEVICE_LOST: ['work', 'gpu', 'reason'],
  DEVICE_LOST_NOTHING_TO_SAVE: ['gpu', 'reason'],
  STORAGE_FULL: ['what'],
  STORAGE_FAILED: ['what'],
  RECORD_NOT_FOUND: ['kind'],
  CHECKPOINT_IN_USE: ['kind'],
  NEEDS_STORAGE: ['work'],
  NOT_A_POLICY: ['kind'],
};

/** Every free value inside `params`, as the sentence should write it. */
function valuesOf(code: MessageCode, params: object): string[] {
  const skip = ENUMERATED[code] ?? [];
  return Object.entries(params).flatMap(([key, v]: [string, unknown]): string[] => {
    if (skip.includes(key)) return [];
    // A shape is written as one list; every other list item by item.
    if (Array.isArray(v)) return key === 'shape' || key === 'expected' ? [`[${v.join(', ')}]`] : v.map(String);
    if (typeof v === 'string' || typeof v === 'number') return [String(v)];
    return [];
  });
}

describe('messages', () => {
  const codes = Object.keys(SAMPLES) as MessageCode[];

  it('has a sentence for every code, and a sample for every sentence', () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...codes].sort());
  });

  it.each(codes)('%s reads as a sentence naming its values', (code) => {
    const text = messageText({ code, params: SAMPLES[code] } as Parameters<typeof messageText>[0]);
    expect(text.trim().length).toBeGreaterThan(10);
    expect(text).not.toMatch(/undefined|NaN|\[object/);
    expect(text).not.toMatch(/\$\{/);
    for (const value of valuesOf(code, SAMPLES[code])) expect(text).toContain(value);
  });

  it('puts enumerated values in words rather than as identifiers', () => {
    expect(messageText({ code: 'ALGORITHM_NEEDS_GROUPS', params: { algorithm: 'rloo' } })).toContain('RLOO');
    expect(messageText({ code: 'STORAGE_FULL', params: { what: 'rewardCheckpoint' } })).toContain(
      'the reward checkpoint',
    );
    expect(
      messageText({ code: 'DEVICE_LOST', params: { work: 'iterate', gpu: 'webgl', reason: 'destroyed' } }),
    ).toMatch(/^Tuning was interrupted because the graphics card \(WebGL\) was switched off/);
  });

  it('writes optional and absent parameters without gaps', () => {
    expect(messageText({ code: 'RECORD_NOT_FOUND', params: { kind: 'run', id: 4 } })).toBe('There is no run 4.');
    expect(messageText({ code: 'WORKER_CRASHED', params: { reason: null } })).toContain('failed to load');
    expect(messageText({ code: 'DOWNLOAD_FAILED', params: { url: 'u', status: null, detail: 'offline' } })).toBe(
      'Could not download u: offline',
    );
  });
});

describe('labeler names', () => {
  it('names and describes every built-in labeler by id, and keyword rules by their rule', () => {
    for (const id of BUILTIN_LABELER_IDS) {
      expect(labelerNames.title(id)).not.toBe(id);
      expect(labelerNames.description(id).length).toBeGreaterThan(20);
    }
    expect(labelerNames.title('keyword:+dog -sad')).toBe('keywords +dog -sad');
    expect(labelerNames.description('keyword:+dog')).toBe('');
  });
});
