import { describe, expect, it } from 'vitest';
import { birthDateSchema, calendarDateSchema, dateTimeSchema, instantQuerySchema } from './instants.js';

describe('instants', () => {
  it.each([
    ['1900-01-01', true],
    ['9999-12-31', true],
    ['9999-12-31T23:59:59.999Z', true],
    ['2026-06-01T12:00:00+02:00', true],
    ['1899-12-31', false],
    ['0000-01-01', false],
    // Year 10000 once the offset is applied.
    ['9999-12-31T23:00:00-02:00', false],
    ['1900-01-01T00:30:00+01:00', false],
    ['2026-02-30', false],
    ['tomorrow', false],
  ])('When a query instant is %s, then it is accepted: %s', (value, accepted) => {
    expect(instantQuerySchema.safeParse(value).success).toBe(accepted);
  });

  it('When a body date-time or calendar date is out of range, then there is one message, and valid ones stay strings', () => {
    expect(dateTimeSchema.parse('2030-01-01T00:00:00Z')).toBe('2030-01-01T00:00:00Z');
    expect(dateTimeSchema.safeParse('9999-12-31T23:59:59-00:01').error?.issues.map((i) => i.message)).toEqual([
      'must be between the years 1900 and 9999',
    ]);
    expect(dateTimeSchema.safeParse('soon').error?.issues).toHaveLength(1);
    expect(calendarDateSchema.safeParse('0001-01-01').success).toBe(false);
    expect(calendarDateSchema.parse('2031-05-01')).toBe('2031-05-01');
  });

  it('When a birth date makes the applicant younger than 18 or older than 120, then it is refused', () => {
    const now = new Date();
    const yearsAgo = (years: number, days = 0) =>
      new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() + days))
        .toISOString()
        .slice(0, 10);
    // A day's margin either side of each limit, so the check cannot straddle midnight UTC.
    expect(birthDateSchema.safeParse(yearsAgo(18, -1)).success).toBe(true);
    expect(birthDateSchema.safeParse(yearsAgo(18, 2)).success).toBe(false);
    expect(birthDateSchema.safeParse(yearsAgo(121, 2)).success).toBe(true);
    expect(birthDateSchema.safeParse(yearsAgo(121, -1)).success).toBe(false);
    expect(birthDateSchema.safeParse('1980-02-30').error?.issues).toHaveLength(1);
  });
});
