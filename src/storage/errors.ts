/**
 * Storage failures a person can act on, as typed errors with a plain message. The important one
 * is QUOTA: the browser has no room left. A failed write is a whole transaction rolled back, so
 * the message can promise that nothing saved before was lost.
 */
export type StorageErrorCode =
  | 'QUOTA' // the browser refused to store more
  | 'NOT_FOUND' // a record the caller named does not exist
  | 'IN_USE' // deleting something still needed (the current checkpoint)
  | 'BAD_BACKUP' // a backup file whose records are not what this version stores
  | 'FAILED'; // any other IndexedDB failure

export class StorageError extends Error {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

/** Chrome and Safari name it QuotaExceededError; old Firefox used its own name and code 22. */
function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

/**
 * The error to show for a failed write of `what` ("this label", "the checkpoint"). `txError` is
 * the transaction's own error: when a commit fails for lack of space, the request error is only
 * an AbortError and the reason is on the transaction.
 */
export function toStorageError(error: unknown, what: string, txError?: unknown): unknown {
  if (error instanceof StorageError) return error;
  if (isQuotaError(error) || isQuotaError(txError)) {
    return new StorageError(
      'QUOTA',
      `The browser has no room left to save ${what}. Nothing saved before was lost. Free space by deleting old checkpoints, runs or generations, or export a backup and start afresh.`,
      { cause: error },
    );
  }
  if (error instanceof DOMException) {
    return new StorageError(
      'FAILED',
      `Could not save ${what}: ${error.message || error.name}. Nothing saved before was lost.`,
      { cause: error },
    );
  }
  return error;
}
