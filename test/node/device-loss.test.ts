// What the worker keeps for a lost GPU (RecoveryPoint) and what it tells the person: the policy's
// last checkpoint follows saves and loads, a save after the loss is refused until the policy
// changes again, and the interrupted request's message says what happened and what to do.
import { describe, expect, it } from 'vitest';
import type { DeviceLoss } from '../../src/engine/backend';
import { RecoveryPoint, interrupted } from '../../src/workers/device-loss';
import { messageText } from '../../src/ui/strings/messages';
import { WorkerFailure } from '../../src/workers/failure';
import type { Request, RequestResult } from '../../src/contract/protocol';

const loss: DeviceLoss = { backend: 'webgpu', reason: 'unknown', message: 'GPU reset' };
const config = {
  vocabSize: 8,
  blockSize: 4,
  nLayer: 1,
  nHead: 1,
  nEmbd: 4,
  layerNormEpsilon: 1e-5,
  initializerRange: 0.02,
};
const done: RequestResult = { kind: 'done' };

function saved(bytes: number[]): [Request, RequestResult] {
  return [
    { id: 1, type: 'savePolicy', name: 'p' },
    { kind: 'checkpoint', bytes: new Uint8Array(bytes).buffer, config },
  ];
}

function refusal(point: RecoveryPoint): WorkerFailure | null {
  try {
    point.checkSave();
    return null;
  } catch (err) {
    if (err instanceof WorkerFailure) return err;
    throw err;
  }
}

describe('RecoveryPoint', () => {
  it('hands over the loaded model and the last saved policy, a copy the transfer cannot empty', () => {
    const point = new RecoveryPoint();
    const base = new Uint8Array([1, 2, 3]);
    point.modelLoaded(base);
    const [request, result] = saved([7, 8]);
    point.note(request, result);
    if (result.kind === 'checkpoint') structuredClone(result.bytes, { transfer: [result.bytes] });
    const kept = point.lost(loss);
    expect(kept.base).toBe(base);
    expect([...new Uint8Array(kept.policy ?? new ArrayBuffer(0))]).toEqual([7, 8]);
  });

  it('forgets the policy when the session starts again, is reset, or a new model loads', () => {
    for (const request of [
      { id: 2, type: 'startSession', seed: 1 },
      { id: 3, type: 'reset' },
    ] satisfies Request[]) {
      const point = new RecoveryPoint();
      point.modelLoaded(new Uint8Array([1]));
      point.note(...saved([5]));
      point.note(request, done);
      expect(point.lost(loss).policy).toBeNull();
    }
    const point = new RecoveryPoint();
    point.note(...saved([5]));
    point.modelLoaded(new Uint8Array([9]));
    expect(point.lost(loss).policy).toBeNull();
  });

  it('a loaded policy becomes the checkpoint to go back to', () => {
    const point = new RecoveryPoint();
    const bytes = new Uint8Array([4, 4]).buffer;
    point.note({ id: 4, type: 'loadPolicy', bytes }, done);
    expect(point.lost(loss).policy).toBe(bytes);
  });

  it('refuses a save after a loss, with DEVICE_LOST, until the policy changes again', () => {
    const point = new RecoveryPoint();
    expect(refusal(point)).toBeNull();
    point.lost(loss);
    const err = refusal(point);
    expect(err?.code).toBe('DEVICE_LOST');
    expect(err === null ? '' : messageText(err.detail)).toMatch(/last saved checkpoint/);
    point.note({ id: 5, type: 'iterate', prompts: ['p'], iterations: 1 }, { kind: 'tuned', iterations: 1 });
    expect(refusal(point)).toBeNull();
  });
});

describe('interrupted', () => {
  it('tells a tuning run it can resume, and any other request to try again', () => {
    const tuning = interrupted('iterate', loss);
    expect(tuning.code).toBe('DEVICE_LOST');
    expect(messageText(tuning.detail)).toMatch(/^Tuning was interrupted because the graphics card/);
    expect(messageText(tuning.detail)).toMatch(/press Play to resume/);
    const other = interrupted('samplePair', { ...loss, reason: 'destroyed' });
    expect(messageText(other.detail)).toMatch(/switched off/);
    expect(messageText(other.detail)).toMatch(/try again/);
    expect(messageText(other.detail)).toMatch(/labels are all kept/);
  });

  it('names the API the lost GPU was used through', () => {
    expect(messageText(interrupted('iterate', loss).detail)).toMatch(
      /graphics card \(WebGPU\) stopped working.*restarting without WebGPU/,
    );
    const webgl = interrupted('iterate', { backend: 'webgl', reason: 'destroyed', message: 'lost' });
    expect(messageText(webgl.detail)).toMatch(
      /graphics card \(WebGL\) was switched off.*restarting without WebGL from/,
    );
  });
});
