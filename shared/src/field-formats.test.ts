import { describe, expect, it } from 'vitest';
import { fieldFormats, readFieldFormat, todayUtc } from './field-formats.js';

const problemOf = (result: ReturnType<typeof readFieldFormat>) => (result.ok ? null : result.problem);

describe('provider field formats', () => {
  it('When a phone is checked, then only E.164 passes, trimmed', () => {
    expect(readFieldFormat('e164_phone', ' +14155552671 ')).toEqual({ ok: true, value: '+14155552671' });
    for (const bad of ['(415) 555-2671', '4155552671', '+04155552671', '+1415555267123456', ''])
      expect(problemOf(readFieldFormat('e164_phone', bad))).toMatch(/E\.164/);
  });

  it('When a date is checked, then expiry dates lie after today and issue dates not after it (UTC)', () => {
    const today = todayUtc();
    const next = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
    expect(readFieldFormat('future_date', next).ok).toBe(true);
    expect(problemOf(readFieldFormat('future_date', today))).toBe('must be a date in the future');
    expect(readFieldFormat('past_date', today).ok).toBe(true);
    expect(problemOf(readFieldFormat('past_date', next))).toBe('must not be in the future');
    expect(problemOf(readFieldFormat('future_date', '2031-02-30'))).toMatch(/YYYY-MM-DD/);
  });

  it('When a country is checked, then only assigned ISO 3166-1 codes pass, in the case providers write them', () => {
    expect(readFieldFormat('alpha3_country', 'USA').ok).toBe(true);
    expect(readFieldFormat('alpha3_country', 'US').ok).toBe(false);
    expect(readFieldFormat('alpha3_country', 'usa').ok).toBe(false);
    expect(readFieldFormat('country_code', 'US').ok).toBe(true);
    expect(readFieldFormat('country_code', 'DEU').ok).toBe(true);
    expect(readFieldFormat('country_code', 'UK').ok).toBe(false);
  });

  it('When text, email and document numbers are checked, then each holds to its rule', () => {
    expect(readFieldFormat('latin_text', 'Salary').ok).toBe(true);
    expect(problemOf(readFieldFormat('latin_text', 'Gehalt für Arbeit'))).toMatch(/Latin/);
    expect(problemOf(readFieldFormat('latin_text', '   '))).toMatch(/empty/);
    expect(readFieldFormat('lowercase_email', 'maria@example.com').ok).toBe(true);
    expect(problemOf(readFieldFormat('lowercase_email', 'Maria@Example.com'))).toBe('must be all lowercase');
    expect(readFieldFormat('document_number', 'X1234567').ok).toBe(true);
    expect(readFieldFormat('document_number', 'X!').ok).toBe(false);
  });

  it('When any format meets an empty value, then it is refused with a reason', () => {
    for (const format of fieldFormats) expect(problemOf(readFieldFormat(format, ''))).toBeTruthy();
  });
});
