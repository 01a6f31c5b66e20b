/** The sentence a person reads for an error: its message through the strings table. */
import type { Message } from '../../src/contract/messages';
import { EngineError } from '../../src/engine/errors';
import { StorageError } from '../../src/storage/errors';
import { messageText } from '../../src/ui/strings/messages';
import { WorkerFailure } from '../../src/workers/failure';

export function sentenceOf(err: unknown): string {
  if (err instanceof EngineError || err instanceof StorageError || err instanceof WorkerFailure)
    return messageText(err.detail);
  return err instanceof Error ? err.message : String(err);
}

/** The sentence for what `fn` throws; throws itself when `fn` returns. */
export function thrownSentence(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return sentenceOf(err);
  }
  throw new Error('expected an error, nothing was thrown');
}

/** The message code and parameters of the EngineError `fn` throws; throws itself otherwise. */
export function thrownDetail(fn: () => unknown): Message {
  try {
    fn();
  } catch (err) {
    if (err instanceof EngineError) return err.detail;
    throw err;
  }
  throw new Error('expected an EngineError, nothing was thrown');
}

/** The sentence for what `promise` rejects with; throws when it resolves. */
export async function rejectedSentence(promise: Promise<unknown>): Promise<string> {
  const outcome = await promise.then(
    () => ({ rejected: false, err: null as unknown }),
    (err: unknown) => ({ rejected: true, err }),
  );
  if (!outcome.rejected) throw new Error('expected a rejection, the promise resolved');
  return sentenceOf(outcome.err);
}
