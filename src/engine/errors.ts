/**
 * Every error the engine raises on bad input is an EngineError: a stable `code` a caller can
 * branch on (the worker turns it into a typed protocol error) and a message written for a person,
 * saying what is wrong and where.
 */
export type EngineErrorCode =
  | 'BAD_CONFIG' // a model/training config has a wrong, missing or unknown field
  | 'BAD_CHECKPOINT' // a checkpoint file is truncated, corrupt or inconsistent
  | 'BAD_TOKENIZER' // a tokenizer file is malformed, or does not match a checkpoint
  | 'BAD_PROMPT' // empty prompt, or a prompt that does not fit in the context
  | 'BAD_CORPUS' // a training text that is empty, binary or too short
  | 'BAD_ARGUMENT' // any other argument outside its allowed range
  | 'NOT_ENOUGH_LABELS' // the labels do not yet form what was asked for (a pair to train on)
  | 'NUMERICAL'; // a NaN or Inf where a finite number is required

export class EngineError extends Error {
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** Throws `EngineError(code, message)` unless `condition` holds. */
export function check(condition: unknown, code: EngineErrorCode, message: string): asserts condition {
  if (!condition) throw new EngineError(code, message);
}
