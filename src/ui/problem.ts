/**
 * A failure as the page shows it: a code that picks the title and the advice, and the sentence
 * for the detail raised where it happened (the engine, the worker or storage), which says what
 * exactly. The sentence is worded each time it is read, so it follows the interface language.
 */
import { EngineError } from '../engine/errors';
import type { Message } from '../contract/messages';
import { importProblemText, importSummary, messageText } from './strings';
import { StorageError, type StorageErrorCode } from '../storage/errors';
import { WorkerRequestError } from '../workers/client';
import type { WorkerErrorCode } from '../contract/protocol';

export type StorageProblemCode = `STORAGE_${StorageErrorCode}`;
/** Another tab of the app holds the training lock; the run's base model cannot be found again. */
export type PageProblemCode = 'TRAINING_ELSEWHERE' | 'BASE_GONE';
export type ProblemCode = WorkerErrorCode | StorageProblemCode | PageProblemCode;

export interface Problem {
  code: ProblemCode;
  readonly message: string;
  /** An import's problems, one sentence each with its line or record; absent for other failures. */
  readonly items?: string[];
}

/** A problem whose sentence `words` gives in the page's language at the moment it is shown. */
export function problemOf(code: ProblemCode, words: () => string): Problem {
  return {
    code,
    get message() {
      return words();
    },
  };
}

/** The problem for `code` with the words of `detail`; an import's problems become a list. */
function worded(code: ProblemCode, detail: Message): Problem {
  if (detail.code === 'IMPORT_PROBLEMS') {
    const params = detail.params;
    return {
      code,
      get message() {
        return importSummary(params);
      },
      get items() {
        return params.problems.map(importProblemText);
      },
    };
  }
  return problemOf(code, () => messageText(detail));
}

export function toProblem(err: unknown): Problem {
  if (err instanceof WorkerRequestError) return worded(err.code, err.detail);
  if (err instanceof StorageError) return worded(`STORAGE_${err.code}`, err.detail);
  // Imports are checked on the page (storage calls the engine's parsers): a bad file lands here.
  if (err instanceof EngineError) return worded(err.code, err.detail);
  // Anything else is a bug or the browser's own failure: its text is all there is to show.
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** True when `err` is a request the person stopped (no failure to report). */
export function isCancelled(err: unknown): boolean {
  return err instanceof WorkerRequestError && err.code === 'CANCELLED';
}
