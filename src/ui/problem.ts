/** A failure as the page shows it: the protocol's code and the message written by the engine. */
import { WorkerRequestError } from '../workers/client';
import type { WorkerErrorCode } from '../workers/protocol';

export interface Problem {
  code: WorkerErrorCode;
  message: string;
}

export function toProblem(err: unknown): Problem {
  if (err instanceof WorkerRequestError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
