/** Reading untrusted structured-clone data (a message, a stored record) field by field. */

/** The fields of an object as a record, or null for anything that is not a plain object. */
export function fieldsOf(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return { ...value };
}
