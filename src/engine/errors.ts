/**
 * Every error the engine raises on bad input is an EngineError: a stable `code` a caller can
 * branch on (the worker turns it into a typed protocol error) and a `detail` message, a code with
 * typed parameters saying what is wrong and where, which `src/ui/strings` turns into a sentence.
 */
import { messageLogLine, type Message, type NumberRule } from '../contract/messages';

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
  /** What exactly is wrong, as a message code and its parameters. */
  readonly detail: Message;

  constructor(code: EngineErrorCode, detail: Message) {
    const message = detail;
    super(messageLogLine(message));
    this.name = 'EngineError';
    this.code = code;
    this.detail = message;
  }
}

/** The OUT_OF_RANGE message for `field` (read from `file`, or null for an argument) holding `got`. */
export function outOfRange(file: string | null, field: string, got: unknown, rule: NumberRule): Message {
  const written = typeof got === 'number' ? String(got) : String(JSON.stringify(got));
  return { code: 'OUT_OF_RANGE', params: { file, field, got: written, rule } };
}

/** Throws `EngineError(code, message)` unless `condition` holds. */
export function check(condition: unknown, code: EngineErrorCode, message: Message): asserts condition {
  if (!condition) throw new EngineError(code, message);
}

/**
 * Throws a plain Error unless `condition` holds. For invariants between engine modules (shapes of
 * tensors the engine built itself, ids it assigned): a break is a bug, never a person's input, so
 * it carries no message code and the page reports it as unexpected.
 */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
