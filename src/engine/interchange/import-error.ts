/**
 * The error every importer throws: all the problems found in a file, so a person can fix them in
 * one go, and the promise that nothing was imported. Each problem is a message code with its
 * parameters and the line or record it was found in; the page lists them, the Node commands
 * print them, both through the one table of sentences.
 */
import type { ImportProblem } from '../../contract/file-messages';
import type { Message } from '../../contract/messages';
import { EngineError, type EngineErrorCode } from '../errors';

export type { ImportProblem } from '../../contract/file-messages';

export class ImportError extends EngineError {
  /** Every problem, each with where it is (a line, a record). */
  readonly problems: readonly ImportProblem[];

  constructor(code: EngineErrorCode, source: string, problems: readonly ImportProblem[]) {
    super(code, { code: 'IMPORT_PROBLEMS', params: { file: source, problems: [...problems] } });
    this.name = 'ImportError';
    this.problems = problems;
  }
}

/** Problems that concern the file as a whole, with no line or record to name. */
export function inFile(messages: readonly Message[]): ImportProblem[] {
  return messages.map((message) => ({ message }));
}

/** Throws an ImportError when `problems` is not empty. */
export function throwIfProblems(code: EngineErrorCode, source: string, problems: readonly ImportProblem[]): void {
  if (problems.length > 0) throw new ImportError(code, source, problems);
}
