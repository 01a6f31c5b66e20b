/**
 * Reading untrusted JSON objects field by field. A file a user brings in (a preference log, a
 * config.json, a backup) is checked completely and every problem is reported at once, so one
 * round of fixing suffices; a reader therefore records problems instead of throwing at the first.
 */

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
 * otherwise, recording a problem such as `field "chosen" must be a string, got 42`.
 */
export class FieldReader {
  /**
   * `prefix` names the enclosing object in messages ("ratings." gives field "ratings.chosen");
   * `problems` is shared with the reader of the enclosing object.
   */
  constructor(
    private readonly obj: JsonObject,
    private readonly prefix = '',
    readonly problems: string[] = [],
  ) {}

  /** Records a problem found by the caller (a rule across fields). */
  problem(message: string): void {
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
    const value = this.present(name, opts, 'a string');
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.bad(name, 'must be a string', value);
    if (value.length > opts.maxChars) {
      return this.fail(`field "${this.path(name)}" is ${value.length} characters long; the limit is ${opts.maxChars}`);
    }
    if (opts.nonEmpty === true && value.length === 0) return this.fail(`field "${this.path(name)}" must not be empty`);
    return value;
  }

  integer(name: string, opts: Optional & { min: number; max: number }): number | undefined {
    const value = this.present(name, opts, 'an integer');
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < opts.min || value > opts.max) {
      return this.bad(name, `must be an integer from ${opts.min} to ${opts.max}`, value);
    }
    return value;
  }

  number(name: string, opts: Optional & { min?: number; positive?: boolean } = {}): number | undefined {
    const value = this.present(name, opts, 'a number');
    if (value === undefined) return undefined;
    const inRange =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (opts.positive !== true || value > 0) &&
      (opts.min === undefined || value >= opts.min);
    if (inRange) return value as number;
    const rule =
      opts.positive === true
        ? 'a positive number'
        : opts.min !== undefined
          ? `a number >= ${opts.min}`
          : 'a finite number';
    return this.bad(name, `must be ${rule}`, value);
  }

  boolean(name: string, opts: Optional = {}): boolean | undefined {
    const value = this.present(name, opts, 'true or false');
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.bad(name, 'must be true or false', value);
    return value;
  }

  oneOf<T extends string>(name: string, values: readonly T[], opts: Optional = {}): T | undefined {
    const value = this.present(name, opts, `one of ${values.map((v) => `"${v}"`).join(', ')}`);
    if (value === undefined) return undefined;
    if (!values.includes(value as T))
      return this.bad(name, `must be one of ${values.map((v) => `"${v}"`).join(', ')}`, value);
    return value as T;
  }

  /** A reader of the nested object `name`, reporting into the same problem list. */
  object(name: string, opts: Optional = {}): FieldReader | undefined {
    const value = this.present(name, opts, 'an object');
    if (value === undefined) return undefined;
    if (!isJsonObject(value)) return this.bad(name, 'must be an object', value);
    return new FieldReader(value, `${this.prefix}${name}.`, this.problems);
  }

  /** Absent is a problem unless optional; null counts as absent for optional fields only. */
  private present(name: string, opts: Optional, what: string): unknown {
    const value = this.raw(name);
    if (opts.optional === true && (value === undefined || value === null)) return undefined;
    if (value === undefined) return this.fail(`field "${this.path(name)}" is missing (expected ${what})`);
    return value;
  }

  private bad(name: string, rule: string, value: unknown): undefined {
    return this.fail(`field "${this.path(name)}" ${rule}, got ${show(value)}`);
  }

  private fail(message: string): undefined {
    this.problems.push(message);
    return undefined;
  }
}
