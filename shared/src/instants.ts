/**
 * Dates and instants the desk takes in, each with a range: a value outside it is a 400 naming
 * the field, never a query the database refuses or an export cut off mid-stream.
 *
 * Instants are held to the years 1900–9999 in UTC (after applying any offset): later years
 * need more than four digits, which ISO 8601 strings, CSV readers and `toISOString` do not
 * agree on, and nothing the desk records predates 1900. Birth dates follow the providers'
 * guides: the applicant is at least 18 (every provider) and at most 120 years old (Fin.com).
 */
import { z } from 'zod';

export const earliestYear = 1900;
export const latestYear = 9999;
const rangeMessage = `must be between the years ${earliestYear} and ${latestYear}`;

/** True for a valid Date whose UTC year lies in the desk's range. */
export function isInstantInRange(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= earliestYear && year <= latestYear;
}

/** `YYYY-MM-DD` → midnight UTC of that day; anything longer is read as an ISO date-time. */
const toInstant = (value: string): Date => new Date(value.length === 10 ? `${value}T00:00:00Z` : value);

/**
 * A query instant: an ISO date-time with offset, or a plain date (midnight UTC), parsed into a
 * Date and checked against the range.
 */
export const instantQuerySchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 date or date-time' })
  .transform(toInstant)
  .refine(isInstantInRange, rangeMessage);

/**
 * True when the value is no instant (its format check names it already) or one in range; a
 * refinement on a format runs even when the format failed, and must not add a second message.
 */
const inRangeOrUnreadable = (value: string): boolean => {
  const date = toInstant(value);
  return Number.isNaN(date.getTime()) || isInstantInRange(date);
};

/** An instant in a JSON body: an ISO date-time with offset, kept as the string sent. */
export const dateTimeSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
  .refine(inRangeOrUnreadable, rangeMessage);

/** A calendar date (`YYYY-MM-DD`) in the same range, kept as the string sent. */
export const calendarDateSchema = z.iso.date('must be a date (YYYY-MM-DD)').refine(inRangeOrUnreadable, rangeMessage);

export const minimumApplicantAge = 18;
export const maximumApplicantAge = 120;

/** The calendar date `years` before `now`'s UTC date (29 February falls back to 1 March). */
function yearsBefore(now: Date, years: number): string {
  return new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()))
    .toISOString()
    .slice(0, 10);
}

const isDateShaped = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** A date of birth: an applicant aged 18 to 120 on the day it is checked. */
export const birthDateSchema = z.iso
  .date('must be a date (YYYY-MM-DD)')
  .refine(
    (value) => !isDateShaped(value) || value <= yearsBefore(new Date(), minimumApplicantAge),
    `must make the applicant at least ${minimumApplicantAge} years old`,
  )
  .refine(
    (value) => !isDateShaped(value) || value > yearsBefore(new Date(), maximumApplicantAge + 1),
    `must make the applicant at most ${maximumApplicantAge} years old`,
  );
