/**
 * Reading untrusted JSON objects field by field. A file a user brings in (a preference log, a
 * config.json, a backup) is checked completely and every problem is reported at once, so one
 * round of fixing suffices; a reader therefore records problems (message codes naming the field)
 * instead of throwing at the first.
 */
import type { FieldKind } from '../../contract/file-messages';
import type { Message } from '../../contract/messages';

/** Longest rendering of a bad value inside a message. */
const SHOWN_CHARS = 40;

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value quoted for an error message, cut short when long. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}... (${text.length} characters)` : text;
}

interface Optional {
  /** Absent (or null) is allowed and reads as undefined. */
  optional?: boolean;
}

/**
 * Reads fields of one JSON object; each method returns the value when it is valid and undefined
 * otherwise, recording a problem such as FIELD_TYPE { field: "chosen", expected: "string", got: "42" }.
 */
export class FieldReader {
  /**
   * `prefix` names the enclosing object in messages ("ratings." gives field "ratings.chosen");
   * `problems` is shared with the reader of the enclosing object.
   */
  constructor(
    private readonly obj: JsonObject,
    private readonly prefix = '',
    readonly problems: Message[] = [],
  ) {}

  /** Records a problem found by the caller (a rule across fields). */
  problem(message: Message): void {
    this.problems.push(message);
  }

  /** The field's full name for messages, e.g. "ratings.chosen". */
  path(name: string): string {
    return `${this.prefix}${name}`;
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.obj, name) && this.obj[name] !== undefined && this.obj[name] !== null;
  }

  /** The raw value, own properties only (a "__proto__" key is just a key here). */
  raw(name: string): unknown {
    return Object.hasOwn(this.obj, name) ? this.obj[name] : undefined;
  }

  string(name: string, opts: Optional & { maxChars: number; nonEmpty?: boolean }): string | undefined {
    const value = this.present(name, opts, 'string');
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.bad(name, 'string', value);
    if (value.length > opts.maxChars) {
      return this.fail({
        code: 'FIELD_TOO_LONG',
        params: { field: this.path(name), length: value.length, limit: opts.maxChars },
      });
    }
    if (opts.nonEmpty === true && value.length === 0)
      return this.fail({ code: 'FIELD_EMPTY', params: { field: this.path(name) } });
    return value;
  }

  integer(name: string, opts: Optional & { min: number; max: number }): number | undefined {
    const value = this.present(name, opts, 'integer');
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < opts.min || value > opts.max) {
      return this.fail({
        code: 'FIELD_INTEGER',
        params: { field: this.path(name), min: opts.min, max: opts.max, got: show(value) },
      });
    }
    return value;
  }

  number(name: string, opts: Optional & { min?: number; positive?: boolean } = {}): number | undefined {
    const value = this.present(name, opts, 'number');
    if (value === undefined) return undefined;
    const inRange =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (opts.positive !== true || value > 0) &&
      (opts.min === undefined || value >= opts.min);
    if (inRange) return value as number;
    const rule = opts.positive === true ? 'positive' : opts.min !== undefined ? 'atLeast' : 'finite';
    return this.fail({
      code: 'FIELD_NUMBER',
      params: { field: this.path(name), rule, min: opts.min ?? null, got: show(value) },
    });
  }

  boolean(name: string, opts: Optional = {}): boolean | undefined {
    const value = this.present(name, opts, 'boolean');
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.bad(name, 'boolean', value);
    return value;
  }

  oneOf<T extends string>(name: string, values: readonly T[], opts: Optional = {}): T | undefined {
    const value = this.present(name, opts, 'choice', values);
    if (value === undefined) return undefined;
    if (!values.includes(value as T)) return this.bad(name, 'choice', value, values);
    return value as T;
  }

  /** A reader of the nested object `name`, reporting into the same problem list. */
  object(name: string, opts: Optional = {}): FieldReader | undefined {
    const value = this.present(name, opts, 'object');
    if (value === undefined) return undefined;
    if (!isJsonObject(value)) return this.bad(name, 'object', value);
    return new FieldReader(value, `${this.prefix}${name}.`, this.problems);
  }

  /** Records that field `name` holds `value`, which is not `expected`. */
  bad(name: string, expected: FieldKind, value: unknown, choices: readonly string[] = []): undefined {
    return this.fail({
      code: 'FIELD_TYPE',
      params: { field: this.path(name), expected, choices: [...choices], got: show(value) },
    });
  }

  /** Absent is a problem unless optional; null counts as absent for optional fields only. */
  private present(name: string, opts: Optional, expected: FieldKind, choices: readonly string[] = []): unknown {
    const value = this.raw(name);
    if (opts.optional === true && (value === undefined || value === null)) return undefined;
    if (value === undefined)
      return this.fail({ code: 'FIELD_MISSING', params: { field: this.path(name), expected, choices: [...choices] } });
    return value;
  }

  private fail(message: Message): undefined {
    this.problems.push(message);
    return undefined;
  }
}
