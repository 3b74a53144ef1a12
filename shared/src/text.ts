/**
 * The one rule for text the desk takes in: no U+0000 and no unpaired UTF-16 surrogate.
 *
 * Postgres refuses both — NUL in any text value, a lone surrogate in JSON (`jsonb`) — and a
 * string holding either cannot be stored, audited or sent on as UTF-8 without being changed.
 * So they are refused where text comes in (request parameters, query, bodies, multipart parts
 * and file names, provider webhooks), with a 400 naming each field, and never reach the
 * database. Everything else, control characters included, is a question for each field's
 * schema, not for this rule.
 */

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a field holding unsafe text is told. */
export const unsafeTextMessage = 'must not contain NUL characters or unpaired UTF-16 surrogates';

/** True when `s` has no U+0000 and no unpaired UTF-16 surrogate. */
export function isSafeText(s: string): boolean {
  return !s.includes('\u0000') && !unpairedSurrogate.test(s);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the code units refused
const unsafeCodeUnit = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A key as it can be shown in a field path: unsafe code units written as `\uXXXX`, so a name
 * that is itself the problem can be reported without carrying it along; the empty key as `""`.
 */
export function printableKey(key: string): string {
  if (key === '') return '""';
  return key.replace(unsafeCodeUnit, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Paths (`items.0.note`, `prefix.key`) of the unsafe strings in a parsed value (JSON, a query
 * object, multipart fields), object keys included: a key that is unsafe is named by its own
 * path. The walk keeps its own stack, so however deep the input nests it cannot overflow the
 * call stack, and stops at `limit` paths (enough to name the problem, never a body's worth).
 * An unsafe string at the top is named by `prefix`, or `(value)` without one.
 */
export function unsafeTextPaths(value: unknown, prefix?: string, limit = 100): string[] {
  const found: string[] = [];
  const join = (path: string | undefined, key: string) => (path ? `${path}.${key}` : key);
  const stack: { value: unknown; path: string | undefined }[] = [{ value, path: prefix }];
  for (let next = stack.pop(); next !== undefined && found.length < limit; next = stack.pop()) {
    const { value: current, path } = next;
    if (typeof current === 'string') {
      if (!isSafeText(current)) found.push(path ?? '(value)');
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: join(path, String(i)) });
    } else if (typeof current === 'object' && current !== null) {
      // Own enumerable keys only: works on null-prototype objects (query strings, multipart
      // fields) and never reads an inherited member such as `constructor`.
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        const keyPath = join(path, printableKey(key));
        if (!isSafeText(key)) found.push(keyPath);
        else stack.push({ value: (current as Record<string, unknown>)[key], path: keyPath });
      }
    }
  }
  return found.slice(0, limit);
}
