import { describe, expect, it } from 'vitest';
import type { MessageCode } from '../../src/contract/messages';
import { BUILTIN_LABELER_IDS } from '../../src/engine/labelers/builtins';
import { labelerNames } from '../../src/ui/strings/labeler-names';
import { label } from '../../src/ui/strings/stages';
import { MESSAGES, importProblemText, messageText } from '../../src/ui/strings/messages';
import {
  FILE_SAMPLES,
  LABELER_MODULE_FORMS,
  SAMPLES,
  TOKENIZER_JSON_FORMS,
  valuesOf,
} from '../helpers/message-samples';

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
    // A count may be written with thousands separators (124,439,808).
    for (const value of valuesOf(code, SAMPLES[code]))
      expect(
        [value, Number(value).toLocaleString('en')].some((v) => text.includes(v)),
        `${text} names ${value}`,
      ).toBe(true);
  });

  it('says why each backend failed, from the failure as data', () => {
    const text = messageText({
      code: 'NO_BACKEND',
      params: { attempts: [{ backend: 'webgpu', failure: { kind: 'softwareAdapter' } }], detail: null },
    });
    expect(text).toBe(
      'No TensorFlow.js backend could start: WebGPU: the only WebGPU adapter is a software one (SwiftShader, the GPU emulated on the CPU), slower than WASM',
    );
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

describe('import problems', () => {
  const { problems } = FILE_SAMPLES.IMPORT_PROBLEMS;

  it('lists every problem with its line or record, in words', () => {
    const text = messageText({ code: 'IMPORT_PROBLEMS', params: FILE_SAMPLES.IMPORT_PROBLEMS });
    expect(text.split('\n')).toEqual([
      'labels.jsonl: 2 problems, nothing was imported:',
      '  line 3: field "chosen" must be a string, got 42',
      '  stores.ratings[0]: field "labeler" must not be empty',
    ]);
    expect(importProblemText(problems[0])).toBe('line 3: field "chosen" must be a string, got 42');
  });

  it('writes out the first 20 problems and counts the rest', () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ ...problems[0], line: i + 1 }));
    const text = messageText({ code: 'IMPORT_PROBLEMS', params: { file: 'big.jsonl', problems: many } });
    expect(text).toContain('big.jsonl: 23 problems, nothing was imported:');
    expect(text).toContain('line 20:');
    expect(text).not.toContain('line 21:');
    expect(text.endsWith('...and 3 more')).toBe(true);
  });
});

describe('why a pair was asked', () => {
  it('words each rule with the reward model numbers it carries', () => {
    expect(label.why({ kind: 'random' })).toBe('Why this pair: a random prompt, two samples from the current policy.');
    expect(label.why({ kind: 'uncertain', heads: 3, spread: 0.4567, candidates: 4 })).toBe(
      "Why this pair: the reward model's 3 heads disagree most about this pair (spread 0.46) among 4 candidates.",
    );
    expect(label.why({ kind: 'contrast', pA: 0.912, candidates: 8 })).toContain(
      '(P(A better) 0.91) among 8 candidates',
    );
    expect(label.why({ kind: 'secondOpinion' })).toContain('second opinion');
  });
});

describe('messages with several forms', () => {
  it.each(Object.values(TOKENIZER_JSON_FORMS))('TOKENIZER_JSON $problem names its values', (params) => {
    const text = messageText({ code: 'TOKENIZER_JSON', params });
    expect(text).toMatch(/^tokenizer\.json: .{10,}\.$/);
    const values = valuesOf('TOKENIZER_JSON', params).filter((v) => !('byte' in params && v === String(params.byte)));
    for (const value of values) expect(text).toContain(value);
  });

  it('writes a missing byte in hex, as the byte-level alphabet lists it', () => {
    expect(messageText({ code: 'TOKENIZER_JSON', params: TOKENIZER_JSON_FORMS.missingByte })).toContain(
      'the token for byte 0x0a',
    );
  });

  it.each(Object.values(LABELER_MODULE_FORMS))('LABELER_MODULE $problem names the module and its values', (form) => {
    const params = { path: 'labelers/mine.mjs', ...form };
    const text = messageText({ code: 'LABELER_MODULE', params });
    expect(text).toMatch(/^Labeler module labelers\/mine\.mjs/);
    for (const value of valuesOf('LABELER_MODULE', params)) expect(text).toContain(value);
  });

  it('names every kind of token id, path and number range', () => {
    const sources = [
      'ngramTraining',
      'ngramValidation',
      'ngramHistory',
      'ngramNext',
      'ngramEndOfText',
      'decode',
      'idToToken',
    ] as const;
    const texts = sources.map((source) =>
      messageText({
        code: 'TOKEN_ID_OUT_OF_RANGE',
        params: { source, document: source.startsWith('ngram') ? 2 : null, position: 3, token: 999, vocabSize: 512 },
      }),
    );
    expect(new Set(texts).size).toBe(sources.length);
    for (const text of texts) expect(text).toContain('999 is not a token id in [0, 512)');
    const kinds = ['checkpoint', 'tokenizer', 'manifest', 'runFile', 'directory', 'heldout'] as const;
    const missing = kinds.map((what) => messageText({ code: 'CLI_MISSING', params: { path: 'p/x', what } }));
    expect(new Set(missing).size).toBe(kinds.length);
    expect(
      messageText({
        code: 'NUMBER_BETWEEN',
        params: { file: null, field: 'averageFrom', got: '41', min: 1, max: 40, integer: true, zeroTurnsOff: true },
      }),
    ).toBe('averageFrom must be an integer from 1 to 40 (or 0 to turn it off), got 41.');
    expect(
      messageText({
        code: 'NUMBER_BETWEEN',
        params: { file: null, field: '--vocab', got: '"12"', min: 258, max: null, integer: true, zeroTurnsOff: false },
      }),
    ).toBe('--vocab must be an integer of at least 258, got "12".');
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
