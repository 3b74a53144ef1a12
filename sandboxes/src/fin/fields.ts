/**
 * The field readers behind every body check: each reads one field of a JSON object, records
 * what is wrong with it under its dotted path, and returns the typed value (or undefined), so
 * a whole body is checked in one pass and every bad field is named at once. Messages follow
 * the guide's `"occupation_id is required"`: the field's own name, then the rule.
 */
import { type FieldErrors, FinError } from './http.js';

export type JsonObject = Record<string, unknown>;

export class FieldChecker {
  readonly errors: FieldErrors = {};

  add(path: string, message: string): void {
    const messages = this.errors[path] ?? [];
    messages.push(message);
    this.errors[path] = messages;
  }

  has(path: string): boolean {
    return path in this.errors;
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  /** Throws the 400 naming every bad field, if any. */
  throwIfAny(): void {
    if (!this.ok) throw FinError.validation(this.errors);
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const leaf = (path: string) => path.slice(path.lastIndexOf('.') + 1);
const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** Printable ASCII only: what the guide calls English (Latin) characters. */
export const isAscii = (value: string) => /^[\x20-\x7E]*$/.test(value);

type StringRule = { required: boolean; max?: number };

/** A string field: absent (or null) is fine unless required; blank counts as absent. */
export function readString(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  rule: StringRule,
): string | undefined {
  const path = join(prefix, key);
  const value = obj[key];
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (rule.required) c.add(path, `${key} is required`);
    return undefined;
  }
  if (typeof value !== 'string') {
    c.add(path, `${key} must be a string`);
    return undefined;
  }
  const max = rule.max ?? 255;
  if (value.length > max) {
    c.add(path, `${key} must be at most ${max} characters`);
    return undefined;
  }
  return value.trim();
}

/** A string field that must be one of `values`. */
export function readEnum<T extends string>(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  values: readonly T[],
  required: boolean,
): T | undefined {
  const value = readString(c, obj, prefix, key, { required });
  if (value === undefined) return undefined;
  const found = values.find((v) => v === value);
  if (!found) c.add(join(prefix, key), `${key} must be one of: ${values.join(', ')}`);
  return found;
}

/** An integer field (a JSON number with no fraction; "5000" or 5000.5 are refused). */
export function readInteger(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  required: boolean,
): number | undefined {
  const path = join(prefix, key);
  const value = obj[key];
  if (value === undefined || value === null) {
    if (required) c.add(path, `${key} is required`);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    c.add(path, `${key} must be an integer`);
    return undefined;
  }
  return value;
}

/** A nested object field. */
export function readObject(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  required: boolean,
): JsonObject | undefined {
  const path = join(prefix, key);
  const value = obj[key];
  if (value === undefined || value === null) {
    if (required) c.add(path, `${key} is required`);
    return undefined;
  }
  if (!isObject(value)) {
    c.add(path, `${key} must be an object`);
    return undefined;
  }
  return value;
}

/** An array field; `min` items at least (an empty required array is "required"). */
export function readArray(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  required: boolean,
): unknown[] | undefined {
  const path = join(prefix, key);
  const value = obj[key];
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    if (required) c.add(path, `${key} is required`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    c.add(path, `${key} must be an array`);
    return undefined;
  }
  return value;
}

/** A calendar date `YYYY-MM-DD` that exists (2023-02-30 does not). */
export function readDate(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  required: boolean,
): string | undefined {
  const value = readString(c, obj, prefix, key, { required, max: 10 });
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    c.add(join(prefix, key), `${key} must be a valid date in YYYY-MM-DD format`);
    return undefined;
  }
  return value;
}

/** Today's date in UTC as `YYYY-MM-DD`: dates compare as strings. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

/** Whole years from `dob` to `today` (both `YYYY-MM-DD`). */
export function ageOn(dob: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dob.slice(0, 4));
  return today.slice(5) < dob.slice(5) ? years - 1 : years;
}

export { join as fieldPath, leaf as fieldName };
