import { WorkerRequestError } from '../../src/workers/client';

/** The typed error a worker request was rejected with; throws if it resolved or failed otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<WorkerRequestError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkerRequestError)) throw new Error(`expected a WorkerRequestError, got ${String(err)}`);
  return err;
}
