/**
 * Turning anything thrown inside the worker into the protocol's `error` event. Engine input
 * errors keep their code; the worker's own failures (missing files, cancelled requests) carry
 * theirs in a WorkerFailure; anything else is a bug and is reported as INTERNAL with its message.
 */
import { EngineError } from '../engine/errors';
import type { WorkerErrorCode, WorkerEvent } from '../contract/protocol';

export class WorkerFailure extends Error {
  readonly code: WorkerErrorCode;

  constructor(code: WorkerErrorCode, message: string) {
    super(message);
    this.name = 'WorkerFailure';
    this.code = code;
  }
}

export function toErrorEvent(id: number, err: unknown): WorkerEvent {
  if (err instanceof WorkerFailure || err instanceof EngineError) {
    return { type: 'error', id, code: err.code, message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { type: 'error', id, code: 'INTERNAL', message: `Unexpected error in the engine worker: ${message}` };
}
