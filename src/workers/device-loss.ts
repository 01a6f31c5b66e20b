/**
 * What the worker keeps so it can get over a lost GPU. Every tensor on a lost WebGPU device or
 * WebGL context is gone, weights included, so the worker keeps on the CPU the bytes it would need
 * to start again:
 * the loaded model's checkpoint and the policy's last checkpoint (saved or loaded). Tuning done
 * since that checkpoint cannot be saved any more, and the words here tell the person so.
 */
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
    const message = `Nothing new could be saved: ${happened(loss)}, and the policy tuned since the last saved checkpoint was on it. The engine carries on without ${gpuName(loss)} from that checkpoint: press Play to tune again from there.`;
    throw new WorkerFailure('DEVICE_LOST', message);
  }

  /** Marks the loss and hands over what to rebuild from. */
  lost(loss: DeviceLoss): { base: Uint8Array | null; policy: ArrayBuffer | null } {
    this.rolledBackBy = loss;
    return { base: this.base, policy: this.policy };
  }
}

/** What happened, in words for someone who has never heard of a GPU device. */
export function happened(loss: DeviceLoss): string {
  return loss.reason === 'destroyed'
    ? `the graphics card (${gpuName(loss)}) was switched off for this tab`
    : `the graphics card (${gpuName(loss)}) stopped working for this tab, as happens when it runs out of memory or its driver restarts`;
}

/** The API the lost GPU was used through, as the browser's settings name it. */
function gpuName(loss: DeviceLoss): string {
  return loss.backend === 'webgl' ? 'WebGL' : 'WebGPU';
}

const WHAT: Partial<Record<RequestType, string>> = {
  iterate: 'Tuning',
  pretrain: 'Training on your text',
  trainReward: 'Training the reward model',
  generate: 'Generation',
  evaluate: 'The comparison',
  samplePolicies: 'Sampling a blind round',
};

/** The error a request gets when the GPU is lost under it. */
export function interrupted(type: RequestType, loss: DeviceLoss): WorkerFailure {
  const what = WHAT[type] ?? 'This request';
  const next =
    type === 'iterate'
      ? `The engine is restarting without ${gpuName(loss)} from the last saved checkpoint: press Play to resume tuning from there.`
      : `The engine is restarting without ${gpuName(loss)}: try again in a moment.`;
  return new WorkerFailure(
    'DEVICE_LOST',
    `${what} was interrupted because ${happened(loss)}. ${next} Your labels are all kept.`,
  );
}
