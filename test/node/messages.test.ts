import { describe, expect, it } from 'vitest';
import type { MessageCode } from '../../src/contract/messages';
import { BUILTIN_LABELER_IDS } from '../../src/engine/labelers/builtins';
import { labelerNames } from '../../src/ui/strings/labeler-names';
import { MESSAGES, messageText } from '../../src/ui/strings/messages';
import { SAMPLES, valuesOf } from '../helpers/message-samples';

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
