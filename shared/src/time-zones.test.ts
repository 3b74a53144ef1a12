import { describe, expect, it } from 'vitest';
import {
  formatCalendarDate,
  formatInstant,
  isTimeZone,
  staffPreferencesUpdateSchema,
  supportedTimeZones,
  timeZoneAbbreviation,
} from './time-zones.js';

describe('Writing an instant with its zone', () => {
  const winter = '2026-12-07T13:05:00.000Z';
  const summer = '2026-07-07T13:05:00.000Z';

  it('shows the instant in the chosen zone with the zone named, in one format', () => {
    expect(formatInstant(winter, 'Europe/Paris')).toBe('7 Dec 2026, 14:05 CET');
    expect(formatInstant(winter, 'UTC')).toBe('7 Dec 2026, 13:05 UTC');
    expect(formatInstant(winter, 'America/New_York')).toBe('7 Dec 2026, 08:05 GMT-5');
    expect(formatInstant(winter, 'Asia/Kolkata')).toBe('7 Dec 2026, 18:35 GMT+5:30');
  });

  it('follows daylight saving time: the same zone has its summer name and offset', () => {
    expect(formatInstant(summer, 'Europe/Paris')).toBe('7 Jul 2026, 15:05 CEST');
    expect(formatInstant(summer, 'Europe/London')).toBe('7 Jul 2026, 14:05 BST');
    expect(formatInstant(summer, 'UTC')).toBe('7 Jul 2026, 13:05 UTC');
    // Paris springs forward at 01:00 UTC on 29 March 2026: 01:59 CET, then 03:00 CEST.
    expect(formatInstant('2026-03-29T00:59:00Z', 'Europe/Paris')).toBe('29 Mar 2026, 01:59 CET');
    expect(formatInstant('2026-03-29T01:00:00Z', 'Europe/Paris')).toBe('29 Mar 2026, 03:00 CEST');
    // And falls back at 01:00 UTC on 25 October 2026: 02:30 happens twice, told apart by the zone.
    expect(formatInstant('2026-10-25T00:30:00Z', 'Europe/Paris')).toBe('25 Oct 2026, 02:30 CEST');
    expect(formatInstant('2026-10-25T01:30:00Z', 'Europe/Paris')).toBe('25 Oct 2026, 02:30 CET');
  });

  it('puts an instant on the day of the zone, which may differ from the UTC day', () => {
    const lateUtc = '2026-12-07T23:30:00Z';
    expect(formatInstant(lateUtc, 'UTC')).toBe('7 Dec 2026, 23:30 UTC');
    expect(formatInstant(lateUtc, 'Europe/Paris')).toBe('8 Dec 2026, 00:30 CET');
    expect(formatInstant(lateUtc, 'America/Los_Angeles')).toBe('7 Dec 2026, 15:30 GMT-8');
  });

  it('leaves the year out of the compact form only in the current year (of that zone), never the zone', () => {
    const now = new Date('2026-12-31T12:00:00Z');
    expect(formatInstant(winter, 'Europe/Paris', 'compact', now)).toBe('7 Dec, 14:05 CET');
    expect(formatInstant('2025-12-07T13:05:00Z', 'Europe/Paris', 'compact', now)).toBe('7 Dec 2025, 14:05 CET');
    // 31 Dec 23:30 UTC is already next year in Paris: its year is shown there.
    expect(formatInstant('2026-12-31T23:30:00Z', 'Europe/Paris', 'compact', now)).toBe('1 Jan 2027, 00:30 CET');
    expect(formatInstant(winter, 'UTC', 'time')).toBe('13:05 UTC');
  });

  it('takes a Date as well as an ISO string, and gives back what it cannot read', () => {
    expect(formatInstant(new Date(winter), 'UTC')).toBe('7 Dec 2026, 13:05 UTC');
    expect(formatInstant('not a time', 'UTC')).toBe('not a time');
  });

  it('falls back to UTC for a zone it does not know', () => {
    expect(formatInstant(winter, 'Mars/Olympus_Mons')).toBe('7 Dec 2026, 13:05 UTC');
  });

  it('writes calendar dates without a zone and without a shift', () => {
    expect(formatCalendarDate('1990-01-01')).toBe('1 Jan 1990');
    expect(formatCalendarDate('2026-12-31')).toBe('31 Dec 2026');
    expect(formatCalendarDate('someday')).toBe('someday');
  });

  it('names a zone by its short name at a given time', () => {
    expect(timeZoneAbbreviation('Europe/Paris', new Date(winter))).toBe('CET');
    expect(timeZoneAbbreviation('Europe/Paris', new Date(summer))).toBe('CEST');
    expect(timeZoneAbbreviation('UTC')).toBe('UTC');
  });
});

describe('Which zones a member may choose', () => {
  it('knows the IANA zones and UTC, and nothing else', () => {
    expect(supportedTimeZones()).toContain('UTC');
    expect(supportedTimeZones()).toContain('Europe/Paris');
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('europe/paris')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('accepts a zone or null, and refuses anything else naming timeZone', () => {
    expect(staffPreferencesUpdateSchema.parse({ timeZone: 'Europe/Paris' })).toEqual({ timeZone: 'Europe/Paris' });
    expect(staffPreferencesUpdateSchema.parse({ timeZone: null })).toEqual({ timeZone: null });
    for (const timeZone of ['Mars/Olympus_Mons', 'CET+1', 42, 'x'.repeat(100)]) {
      const result = staffPreferencesUpdateSchema.safeParse({ timeZone });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['timeZone']);
    }
    expect(staffPreferencesUpdateSchema.safeParse({}).success).toBe(false);
    expect(staffPreferencesUpdateSchema.safeParse({ timeZone: null, theme: 'dark' }).success).toBe(false);
  });
});
