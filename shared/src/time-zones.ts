/**
 * Time zones and the desk's one way of writing an instant: "7 Dec 2026, 14:05 CET", always with
 * its zone, in the zone the reader chose (their browser's by default, or UTC). Calendar dates
 * (a date of birth, an expiry) are not instants: they are written without a zone and never
 * shifted.
 */
import { z } from 'zod';

/** UTC, named as the desk names it (ICU lists it only under its aliases). */
export const utcTimeZone = 'UTC';

/** The IANA zones this runtime knows, plus `UTC`, sorted. */
export function supportedTimeZones(): readonly string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add(utcTimeZone);
  return [...zones].sort();
}

let known: ReadonlySet<string> | null = null;

/** How an IANA name is written: `Area/Location[/More]` or a single name such as `UTC`, each part capitalised. */
const ianaShape = /^[A-Z][A-Za-z_]*(?:\/[A-Z][A-Za-z0-9_+-]*){0,2}$/;

/**
 * Whether `name` is an IANA zone this runtime knows: one it lists, `UTC`, or an alias of one it
 * lists (ICU lists `Asia/Calcutta` but a browser may report `Asia/Kolkata`).
 */
export function isTimeZone(name: string): boolean {
  known ??= new Set(supportedTimeZones());
  if (known.has(name)) return true;
  if (!ianaShape.test(name)) return false;
  try {
    return known.has(new Intl.DateTimeFormat('en-GB', { timeZone: name }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string({ error: 'must be an IANA time zone such as Europe/Paris, UTC, or null' })
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris, or UTC');

/** A staff member's own settings. `timeZone: null` means "my browser's zone". */
export const staffPreferencesSchema = z
  .object({ timeZone: timeZoneSchema.nullable() })
  .meta({ id: 'StaffPreferences' });
export type StaffPreferences = z.infer<typeof staffPreferencesSchema>;

export const staffPreferencesUpdateSchema = z.strictObject({
  timeZone: timeZoneSchema.nullable(),
});
export type StaffPreferencesUpdate = z.infer<typeof staffPreferencesUpdateSchema>;

export type InstantStyle = 'full' | 'compact' | 'time';

const clock = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
const styles: Record<InstantStyle | 'compactThisYear', Intl.DateTimeFormatOptions> = {
  full: { day: 'numeric', month: 'short', year: 'numeric', ...clock, timeZoneName: 'short' },
  compact: { day: 'numeric', month: 'short', year: 'numeric', ...clock, timeZoneName: 'short' },
  compactThisYear: { day: 'numeric', month: 'short', ...clock, timeZoneName: 'short' },
  time: { ...clock, timeZoneName: 'short' },
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(style: keyof typeof styles, timeZone: string): Intl.DateTimeFormat {
  const key = `${style} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { ...styles[style], timeZone });
    formats.set(key, format);
  }
  return format;
}

function yearIn(date: Date, timeZone: string): string {
  return formatOf('full', timeZone)
    .formatToParts(date)
    .filter((p) => p.type === 'year')
    .map((p) => p.value)
    .join('');
}

/**
 * An instant in `timeZone`, with the zone: `full` "7 Dec 2026, 14:05 CET"; `compact` the same
 * without the year when it is `now`'s year there ("7 Dec, 14:05 CET"); `time` "14:05 CET".
 * An unreadable value is returned as it came.
 */
export function formatInstant(
  value: string | Date,
  timeZone: string,
  style: InstantStyle = 'full',
  now: Date = new Date(),
): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const zone = isTimeZone(timeZone) ? timeZone : utcTimeZone;
  if (style === 'compact' && yearIn(date, zone) === yearIn(now, zone))
    return formatOf('compactThisYear', zone).format(date);
  return formatOf(style, zone).format(date);
}

const calendarFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: utcTimeZone,
});

/** A calendar date (`YYYY-MM-DD`, or the date part of an instant), never shifted: "7 Dec 2026". */
export function formatCalendarDate(value: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : calendarFormat.format(date);
}

/** The zone's short name at `at` ("CET", "CEST", "UTC", "GMT-5"). */
export function timeZoneAbbreviation(timeZone: string, at: Date = new Date()): string {
  const zone = isTimeZone(timeZone) ? timeZone : utcTimeZone;
  return (
    formatOf('time', zone)
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? zone
  );
}
