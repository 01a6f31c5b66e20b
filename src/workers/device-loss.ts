/**
 * What the worker keeps so it can get over a lost GPU. Every tensor on a lost WebGPU device or
 * WebGL context is gone, weights included, so the worker keeps on the CPU the bytes it would need
 * to start again:
 * the loaded model's checkpoint and the policy's last checkpoint (saved or loaded). Tuning done
 * since that checkpoint cannot be saved any more, and the messages here tell the person so.
 */
import type { GpuApi, InterruptedWork } from '../contract/messages';
import type { DeviceLoss } from '../engine/backend';
import { WorkerFailure } from './failure';
import type { Request, RequestResult, RequestType } from '../contract/protocol';

export class RecoveryPoint {
  /** Checkpoint bytes of the loaded model, to build it again on another backend. */
  private base: Uint8Array | null = null;
  /** The policy's last checkpoint, or null while the policy is the loaded model itself. */
  private policy: ArrayBuffer | null = null;
  /** The loss that sent the policy back to `policy`, until the policy changes again. */
  private rolledBackBy: DeviceLoss | null = null;

  /** A model was loaded (or retrained in place): its bytes, and a policy that starts from it. */
  modelLoaded(bytes: Uint8Array): void {
    this.base = bytes;
    this.policy = null;
    this.rolledBackBy = null;
  }

  /** Notes what a request that succeeded did to the policy. */
  note(request: Request, result: RequestResult): void {
    if (request.type === 'savePolicy' && result.kind === 'checkpoint') {
      // A copy: the result's own buffer is transferred to the page, which empties it here.
      this.policy = result.bytes.slice(0);
    } else if (request.type === 'loadPolicy') {
      this.policy = request.bytes;
    } else if (request.type === 'startSession' || request.type === 'reset') {
      this.policy = null;
    }
    if (['loadPolicy', 'startSession', 'reset', 'iterate'].includes(request.type)) this.rolledBackBy = null;
  }

  /** Throws when the policy was rolled back by a loss and not changed since: saving it would lie. */
  checkSave(): void {
    const loss = this.rolledBackBy;
    if (loss === null) return;
    const params = { gpu: gpuOf(loss), reason: loss.reason };
    throw new WorkerFailure('DEVICE_LOST', { code: 'DEVICE_LOST_NOTHING_TO_SAVE', params });
  }

  /** Marks the loss and hands over what to rebuild from. */
  lost(loss: DeviceLoss): { base: Uint8Array | null; policy: ArrayBuffer | null } {
    this.rolledBackBy = loss;
    return { base: this.base, policy: this.policy };
  }
}

/** The API the lost GPU was used through. */
function gpuOf(loss: DeviceLoss): GpuApi {
  return loss.backend === 'webgl' ? 'webgl' : 'webgpu';
}

const WORK: Partial<Record<RequestType, InterruptedWork>> = {
  iterate: 'iterate',
  pretrain: 'pretrain',
  trainReward: 'trainReward',
  generate: 'generate',
  evaluate: 'evaluate',
  samplePolicies: 'samplePolicies',
};

/** The error a request gets when the GPU is lost under it. */
export function interrupted(type: RequestType, loss: DeviceLoss): WorkerFailure {
  const params = { work: WORK[type] ?? 'other', gpu: gpuOf(loss), reason: loss.reason };
  return new WorkerFailure('DEVICE_LOST', { code: 'DEVICE_LOST', params });
}
