import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FieldErrors, fieldErrors } from './errors.js';
import { isSafeText, printableKey, unsafeTextPaths } from './text.js';

describe('isSafeText', () => {
  it.each([
    ['', true],
    ['plain', true],
    ['emoji 🙂 (a surrogate pair)', true],
    ['tab\tand newline\n', true],
    ['NUL \u0000', false],
    ['high alone \ud83d', false],
    ['low alone \ude42', false],
    ['pair reversed \ude42\ud83d', false],
  ])('When the text is %j, then it is safe: %s', (text, safe) => {
    expect(isSafeText(text)).toBe(safe);
  });
});

describe('unsafeTextPaths', () => {
  it('When unsafe strings sit in values and keys at any depth, then each is named by its path, keys escaped', () => {
    const value = {
      note: 'a\u0000',
      items: [{ label: 'ok' }, { label: '\ud800' }],
      'k\u0000': 'fine',
      nested: { deeper: ['\udc00'] },
    };
    expect(unsafeTextPaths(value).sort()).toEqual(['items.1.label', 'k\\u0000', 'nested.deeper.0', 'note']);
    expect(unsafeTextPaths('\u0000')).toEqual(['(value)']);
    expect(unsafeTextPaths({ a: 'b' }, 'query')).toEqual([]);
  });

  it('When the value has no prototype or keys named like built-in members, then only its own keys are read', () => {
    const query = Object.assign(Object.create(null) as Record<string, string>, {
      constructor: '\u0000',
      toString: 'ok',
    });
    expect(unsafeTextPaths(query)).toEqual(['constructor']);
    expect(unsafeTextPaths(JSON.parse('{"__proto__": {"x": "\\u0000"}}'))).toEqual(['__proto__.x']);
  });

  it('When the value nests far deeper than the call stack allows, or holds many unsafe strings, then the walk ends with at most the limit', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unsafeTextPaths(deep)).toHaveLength(1);
    expect(
      unsafeTextPaths(
        Array.from({ length: 1000 }, () => '\u0000'),
        undefined,
        10,
      ),
    ).toHaveLength(10);
  });

  it('When a key is printed, then unsafe code units become \\u escapes and the empty key is ""', () => {
    expect(printableKey('a\u0000\ud800b')).toBe('a\\u0000\\ud800b');
    expect(printableKey('')).toBe('""');
    expect(printableKey('plain')).toBe('plain');
  });
});

describe('FieldErrors', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'When a field is named %s, then it is collected like any other',
    (name) => {
      const errors = new FieldErrors().add(name, 'first').add(name, 'second').add('other', 'third');
      expect(errors.fields).toEqual([name, 'other']);
      const record = errors.toRecord();
      expect(Object.hasOwn(record, name)).toBe(true);
      expect(JSON.parse(JSON.stringify(record)) as unknown).toEqual(
        JSON.parse(`{"${name}":["first","second"],"other":["third"]}`),
      );
    },
  );

  it('When zod names unknown keys like built-in members, then fieldErrors names each', () => {
    const parsed = z.strictObject({ a: z.string() }).safeParse(JSON.parse('{"a":"x","constructor":1,"__proto__":2}'));
    expect(parsed.success).toBe(false);
    expect(Object.keys(fieldErrors(parsed.error?.issues ?? [], 'body')).sort()).toEqual([
      'body.__proto__',
      'body.constructor',
    ]);
  });
});
