/**
 * The formats providers document for the values they take (E.164 phones, calendar dates,
 * ISO 3166-1 countries, document numbers, Latin text), each one zod schema. An adapter tags
 * every field its provider asks for in an RFI with the format the provider documents for it,
 * and builds the provider's request from values parsed with these schemas; the desk checks an
 * answer with the same schemas before anything is sent (400 naming each field), and the web
 * client checks each input with them as it is typed.
 */
import { z } from 'zod';
import { birthDateSchema, calendarDateSchema } from './instants.js';
import { isAlpha2, isAlpha3 } from './iso-countries.js';

export const fieldFormats = [
  'e164_phone',
  'lowercase_email',
  'birth_date',
  'future_date',
  'past_date',
  'alpha3_country',
  'country_code',
  'document_number',
  'latin_text',
] as const;
export type FieldFormat = (typeof fieldFormats)[number];

/** Today's calendar date in UTC, the day providers judge expiry and issue dates by. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const isDateShaped = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Printable ASCII: what providers call English (Latin) characters. */
export const isLatinText = (value: string): boolean => /^[\x20-\x7E]*$/.test(value);

/** A phone number in E.164: `+`, a country code and the number, 15 digits at most. */
export const e164PhoneSchema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{1,14}$/, 'must be in E.164 format, e.g. +14155552671');

/** An email address written all in lower case. */
export const lowercaseEmailSchema = z
  .string()
  .trim()
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address')
  .refine((value) => value === value.toLowerCase(), 'must be all lowercase');

/** A date (YYYY-MM-DD) after today (UTC): a document's expiry date. */
export const futureDateSchema = calendarDateSchema.refine(
  (value) => !isDateShaped(value) || value > todayUtc(),
  'must be a date in the future',
);

/** A date (YYYY-MM-DD) not after today (UTC): a document's issue date. */
export const pastDateSchema = calendarDateSchema.refine(
  (value) => !isDateShaped(value) || value <= todayUtc(),
  'must not be in the future',
);

/** An assigned ISO 3166-1 alpha-3 code (USA). */
export const alpha3CountrySchema = z
  .string()
  .trim()
  .refine(isAlpha3, 'must be an ISO 3166-1 alpha-3 country code such as USA');

/** An assigned ISO 3166-1 code, alpha-2 (US) or alpha-3 (USA). */
export const countryCodeSchema = z
  .string()
  .trim()
  .refine((value) => isAlpha2(value) || isAlpha3(value), 'must be an ISO 3166-1 country code such as US or USA');

/** An identity document's number. */
export const documentNumberSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]{2,29}$/, 'must be 3 to 30 letters, digits, spaces, ".", "/" or "-"');

/** Non-blank English (Latin) text of at most 255 characters. */
export const latinTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine(isLatinText, 'must use English (Latin) characters only');

/** Each format's schema: a trimmed string in, the value to send out. */
export const fieldFormatSchemas: Record<FieldFormat, z.ZodType<string, string>> = {
  e164_phone: e164PhoneSchema,
  lowercase_email: lowercaseEmailSchema,
  birth_date: birthDateSchema,
  future_date: futureDateSchema,
  past_date: pastDateSchema,
  alpha3_country: alpha3CountrySchema,
  country_code: countryCodeSchema,
  document_number: documentNumberSchema,
  latin_text: latinTextSchema,
};

/** How each format is written, for a field's hint. */
export const fieldFormatHints: Record<FieldFormat, string> = {
  e164_phone: 'E.164, e.g. +14155552671',
  lowercase_email: 'an all-lowercase email address',
  birth_date: 'YYYY-MM-DD, an applicant aged 18 to 120',
  future_date: 'YYYY-MM-DD, in the future',
  past_date: 'YYYY-MM-DD, not in the future',
  alpha3_country: 'ISO 3166-1 alpha-3, e.g. USA',
  country_code: 'ISO 3166-1 code, e.g. US or USA',
  document_number: '3 to 30 letters, digits, spaces, ".", "/" or "-"',
  latin_text: 'English (Latin) characters, at most 255',
};

/** Formats whose values are calendar dates (a date picker). */
export const dateFieldFormats: readonly FieldFormat[] = ['birth_date', 'future_date', 'past_date'];

/** The value as the provider is to get it, or what is wrong with it (the schema's messages). */
export function readFieldFormat(
  format: FieldFormat,
  value: string,
): { ok: true; value: string } | { ok: false; problem: string } {
  const parsed = fieldFormatSchemas[format].safeParse(value.trim());
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: parsed.error.issues.map((issue) => issue.message).join('; ') };
}
