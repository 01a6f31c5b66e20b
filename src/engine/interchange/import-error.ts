/**
 * The error every importer throws: all the problems found in a file, so a person can fix them in
 * one go, and the promise that nothing was imported.
 */
import { EngineError, type EngineErrorCode } from '../errors';

/** Problems listed in the message; `problems` keeps all of them. */
const LISTED_PROBLEMS = 20;

export class ImportError extends EngineError {
  /** Every problem, each naming where it is ("line 12: field \"chosen\" must be a string"). */
  readonly problems: readonly string[];

  constructor(code: EngineErrorCode, source: string, problems: readonly string[]) {
    const listed = problems.slice(0, LISTED_PROBLEMS).join('\n  ');
    const more = problems.length > LISTED_PROBLEMS ? `\n  ...and ${problems.length - LISTED_PROBLEMS} more` : '';
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(code, `${source}: ${count}, nothing was imported:\n  ${listed}${more}`);
    this.name = 'ImportError';
    this.problems = problems;
  }
}

/** Throws an ImportError when `problems` is not empty. */
export function throwIfProblems(code: EngineErrorCode, source: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new ImportError(code, source, problems);
}
