/**
 * Storage failures a person can act on, as typed errors with a plain message. The important one
 * is QUOTA: the browser has no room left. A failed write is a whole transaction rolled back, so
 * the message can promise that nothing saved before was lost.
 */
import { messageLogLine, type Message, type StoredThing } from '../contract/messages';
export type StorageErrorCode =
  | 'QUOTA' // the browser refused to store more
  | 'NOT_FOUND' // a record the caller named does not exist
  | 'IN_USE' // deleting something still needed (the current checkpoint)
  | 'BAD_BACKUP' // a backup file whose records are not what this version stores
  | 'FAILED'; // any other IndexedDB failure

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  /** What exactly failed, as a message code and its parameters. */
  readonly detail: Message;

  constructor(code: StorageErrorCode, detail: Message, options?: { cause?: unknown }) {
    const message = detail;
    super(messageLogLine(message), options);
    this.name = 'StorageError';
    this.code = code;
    this.detail = message;
  }
}

/** Chrome and Safari name it QuotaExceededError; old Firefox used its own name and code 22. */
function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

/**
 * The error to show for a failed write of `what` (a label, the checkpoint). `txError` is
 * the transaction's own error: when a commit fails for lack of space, the request error is only
 * an AbortError and the reason is on the transaction.
 */
export function toStorageError(error: unknown, what: StoredThing, txError?: unknown): unknown {
  if (error instanceof StorageError) return error;
  if (isQuotaError(error) || isQuotaError(txError)) {
    return new StorageError('QUOTA', { code: 'STORAGE_FULL', params: { what } }, { cause: error });
  }
  if (error instanceof DOMException) {
    const detail = error.message || error.name;
    return new StorageError('FAILED', { code: 'STORAGE_FAILED', params: { what, detail } }, { cause: error });
  }
  return error;
}
