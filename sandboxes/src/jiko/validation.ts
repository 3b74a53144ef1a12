/**
 * Edge validation of the sandbox's requests, one schema per endpoint, with failures reported
 * as FastAPI does: 422 `{ detail: [{ loc: ["body", "email"], msg, type }] }`, every bad field
 * listed. The submitted values are not echoed back (FastAPI adds `input`; here it could be
 * an SSN).
 *
 * Where the guides are silent the sandbox is strict, as a KYC API should be: every field of
 * the create body is required and non-blank; the identification number is exactly 9 digits;
 * the phone number 10–15 digits with an optional leading +; the date of birth a real
 * calendar date, after 1900, of someone at least 18; the consent timestamp an ISO 8601
 * date-time with a zone, not in the future; income, net worth and employment status come
 * from the closed lists below (the guide's examples included). Unknown fields are ignored.
 */

import { type DocumentType, documentTypes } from '@desk/shared';
import { z } from 'zod';
import { JikoError, type ValidationIssue } from './http.js';

export const jikoIncomes = [
  'LESS_THAN_25K',
  'BETWEEN_25K_AND_50K',
  'BETWEEN_50K_AND_100K',
  'BETWEEN_100K_AND_250K',
  'BETWEEN_250K_AND_500K',
  'MORE_THAN_500K',
] as const;

export const jikoNetWorths = [
  'LESS_THAN_50K',
  'BETWEEN_50K_AND_100K',
  'BETWEEN_100K_AND_250K',
  'BETWEEN_250K_AND_500K',
  'BETWEEN_500K_AND_1M',
  'BETWEEN_1M_AND_5M',
  'MORE_THAN_5M',
] as const;

export const jikoEmploymentStatuses = ['EMPLOYED', 'SELF_EMPLOYED', 'UNEMPLOYED', 'RETIRED', 'STUDENT'] as const;

/** How far in the future a consent timestamp may be (clock skew between partner and Jiko). */
const consentSkewMs = 5 * 60 * 1000;

const text = (max: number) => z.string().trim().min(1).max(max);

function customIssue(ctx: z.core.$RefinementCtx<string>, message: string, type: string): void {
  ctx.addIssue({ code: 'custom', message, params: { type } });
}

const dateOfBirth = z.string().superRefine((value, ctx) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = new Date(`${value}T00:00:00Z`);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    customIssue(ctx, 'Input should be a valid date in the format YYYY-MM-DD', 'date_from_datetime_parsing');
    return;
  }
  const today = new Date();
  const eighteenYearsAgo = Date.UTC(today.getUTCFullYear() - 18, today.getUTCMonth(), today.getUTCDate());
  if (value < '1900-01-01') customIssue(ctx, 'Date of birth must be after 1900-01-01', 'value_error');
  else if (date.getTime() > eighteenYearsAgo)
    customIssue(ctx, 'The applicant must be at least 18 years old', 'value_error');
});

const consentTimestamp = z.iso
  .datetime({ offset: true, error: 'Input should be an ISO 8601 date-time with a time zone' })
  .superRefine((value, ctx) => {
    if (Date.parse(value) > Date.now() + consentSkewMs)
      customIssue(ctx, 'Consent cannot be given in the future', 'value_error');
  });

export const createApplicationSchema = z.object({
  identification_number: z.string().regex(/^[0-9]{9}$/, 'Identification number must be exactly 9 digits'),
  name: z.object({ first_name: text(100), last_name: text(100) }),
  email: z.email({ error: 'value is not a valid email address' }).max(254),
  phone_number: z.string().regex(/^\+?[0-9]{10,15}$/, 'Phone number must be 10 to 15 digits, optionally after a +'),
  date_of_birth: dateOfBirth,
  investment_profile: z.object({
    income: z.enum(jikoIncomes),
    net_worth: z.enum(jikoNetWorths),
    occupation: text(100),
    employment_status: z.enum(jikoEmploymentStatuses),
  }),
  agreement_consent: z.object({ version: text(20), timestamp: consentTimestamp }),
  address: z.object({
    street_address: text(200),
    city: text(100),
    postal_code: text(20),
    state: text(100),
    country: text(100),
  }),
});
export type CreateApplicationBody = z.output<typeof createApplicationSchema>;

export const loginSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

export const resolveSchema = z.object({ decision: z.enum(['APPROVED', 'REJECTED']) });
export type ResolveDecision = z.output<typeof resolveSchema>['decision'];

const quoted = (values: readonly unknown[]): string => {
  const parts = values.map((v) => `'${String(v)}'`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}` : (parts[0] ?? '');
};

/** One zod issue as FastAPI would word it. */
function toValidationIssue(issue: z.core.$ZodIssue, root: 'body' | 'path'): ValidationIssue {
  const loc = [root, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  // Parsed with reportInput, so an issue without an input is a field that was left out.
  if (issue.input === undefined) return { loc, msg: 'Field required', type: 'missing' };
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'object') {
        return {
          loc,
          msg: 'Input should be a valid dictionary or object to extract fields from',
          type: 'model_attributes_type',
        };
      }
      return { loc, msg: `Input should be a valid ${issue.expected}`, type: `${issue.expected}_type` };
    case 'invalid_value':
      return { loc, msg: `Input should be ${quoted(issue.values)}`, type: 'enum' };
    case 'too_small':
      return { loc, msg: `String should have at least ${String(issue.minimum)} character`, type: 'string_too_short' };
    case 'too_big':
      return { loc, msg: `String should have at most ${String(issue.maximum)} characters`, type: 'string_too_long' };
    case 'invalid_format':
      return { loc, msg: issue.message, type: issue.format === 'regex' ? 'string_pattern_mismatch' : 'value_error' };
    case 'custom': {
      const type = issue.params?.type;
      return { loc, msg: issue.message, type: typeof type === 'string' ? type : 'value_error' };
    }
    default:
      return { loc, msg: issue.message, type: 'value_error' };
  }
}

/** Parses with the schema; returns the value and the issues (empty when it parsed). */
export function checkBody<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; data: z.output<S> } | { ok: false; issues: ValidationIssue[] } {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, issues: result.error.issues.map((i) => toValidationIssue(i, 'body')) };
}

/** Parses with the schema or throws the 422. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const checked = checkBody(schema, value);
  if (!checked.ok) throw JikoError.validation(checked.issues);
  return checked.data;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path `{application_id}`: a UUID (lower-cased), else the 422 FastAPI gives for a UUID parameter. */
export function parseApplicationId(value: string | string[] | undefined): string {
  if (typeof value === 'string' && uuidPattern.test(value)) return value.toLowerCase();
  throw JikoError.validation([
    { loc: ['path', 'application_id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' },
  ]);
}

/** Path `{document_type}`: one of the documented types. */
export function parseDocumentType(value: string | string[] | undefined): DocumentType {
  const found = documentTypes.find((t) => t === value);
  if (found) return found;
  throw JikoError.validation([
    { loc: ['path', 'document_type'], msg: `Input should be ${quoted(documentTypes)}`, type: 'enum' },
  ]);
}
