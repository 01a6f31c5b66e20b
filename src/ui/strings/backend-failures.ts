/** Why a tfjs backend could not be used, in words: shared by the backend badge and the NO_BACKEND message. */
import type { BackendAttempt, BackendChoice, BackendFailure, BackendName } from '../../contract/backends';

export const BACKEND_NAMES: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  wasm: 'WASM',
  webgl: 'WebGL',
  cpu: 'CPU',
};

export function backendFailureText(failure: BackendFailure): string {
  switch (failure.kind) {
    case 'noWebGPU':
      return 'this browser has no WebGPU (navigator.gpu is missing)';
    case 'noOffscreenCanvas':
      return 'this environment has no OffscreenCanvas, so no WebGL context';
    case 'noAdapter':
      return 'the browser offers WebGPU but found no GPU adapter';
    case 'softwareAdapter':
      return 'the only WebGPU adapter is a software one (SwiftShader, the GPU emulated on the CPU), slower than WASM';
    case 'initFailed':
      return 'it failed to initialise';
    case 'threw':
      return failure.detail;
    case 'lost':
      return `the graphics card was ${failure.reason === 'destroyed' ? 'switched off for this tab' : 'lost'}: ${failure.detail}`;
  }
}

/** "WebGPU: this browser has no WebGPU (navigator.gpu is missing)". */
export function backendAttemptText(attempt: BackendAttempt): string {
  return `${BACKEND_NAMES[attempt.backend]}: ${backendFailureText(attempt.failure)}`;
}

/** One sentence: why the engine runs on this backend and not on one above it. */
export function backendReason(choice: BackendChoice): string {
  const name = BACKEND_NAMES[choice.backend];
  if (choice.attempts.length === 0) return `${name} is the first choice and it started.`;
  const above = choice.attempts.map((a) => BACKEND_NAMES[a.backend]).join(', then ');
  return `${name} was chosen because ${above} could not be used.`;
}
