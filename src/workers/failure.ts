/**
 * Turning anything thrown inside the worker into the protocol's `error` event. Engine input
 * errors keep their code; the worker's own failures (missing files, cancelled requests) carry
 * theirs in a WorkerFailure; anything else is a bug and is reported as INTERNAL with its message.
 * Each carries a `detail` message (a code and typed parameters) that the page puts in words.
 */
import { messageLogLine, type Message } from '../contract/messages';
import { NoBackendError } from '../contract/backends';
import { EngineError } from '../engine/errors';
import type { WorkerErrorCode, WorkerEvent } from '../contract/protocol';

export class WorkerFailure extends Error {
  readonly code: WorkerErrorCode;
  /** What exactly failed, as a message code and its parameters. */
  readonly detail: Message;

  constructor(code: WorkerErrorCode, detail: Message) {
    const message = detail;
    super(messageLogLine(message));
    this.name = 'WorkerFailure';
    this.code = code;
    this.detail = message;
  }
}

export function toErrorEvent(id: number, err: unknown): WorkerEvent {
  return { type: 'error', id, ...describeError(err, 'INTERNAL') };
}

/** An error event's fields for `code` and `detail`. */
export function failure(
  code: WorkerErrorCode,
  detail: Message,
): { code: WorkerErrorCode; message: string; detail: Message } {
  return { code, message: messageLogLine(detail), detail };
}

/**
 * The code and message of anything thrown: a WorkerFailure's or EngineError's own, else
 * `fallback` with the thrown error's text (a bug, or a backend's own failure).
 */
export function describeError(
  err: unknown,
  fallback: 'INTERNAL' | 'NO_BACKEND',
): { code: WorkerErrorCode; message: string; detail: Message } {
  if (err instanceof WorkerFailure || err instanceof EngineError)
    return { code: err.code, message: err.message, detail: err.detail };
  if (err instanceof NoBackendError)
    return failure('NO_BACKEND', { code: 'NO_BACKEND', params: { attempts: err.attempts, detail: null } });
  const text = err instanceof Error ? err.message : String(err);
  const detail: Message =
    fallback === 'INTERNAL'
      ? { code: 'INTERNAL', params: { detail: text } }
      : { code: 'NO_BACKEND', params: { attempts: [], detail: text } };
  return failure(fallback, detail);
}
