import { z } from 'zod';
import { birthDateSchema, dateTimeSchema } from './instants.js';
import { providerActionPhases } from './lifecycles/provider-actions.js';
import { providerSchema } from './providers.js';

/**
 * Creates an application at a provider for a new applicant (what an onboarding flow, a demo or
 * a test does); the provider's own validation applies on top of this shape.
 */
export const newApplicationSchema = z
  .strictObject({
    provider: providerSchema,
    applicant: z.strictObject({
      firstName: z.string().trim().min(1).max(100),
      lastName: z.string().trim().min(1).max(100),
      // RFC 5321's limit, and short enough for the email indexes (a btree row holds ~2.7 kB).
      email: z.email().max(254, 'must be at most 254 characters'),
      phone: z.string().regex(/^\+[1-9][0-9]{7,14}$/, 'must be E.164, e.g. +15105551234'),
      dateOfBirth: birthDateSchema,
      identificationNumber: z.string().regex(/^[0-9]{9}$/, 'must be 9 digits'),
      address: z.strictObject({
        street: z.string().trim().min(1).max(250),
        city: z.string().trim().min(1).max(250),
        postalCode: z.string().trim().min(1).max(50),
        state: z.string().trim().min(1).max(50).nullable(),
        country: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code'),
      }),
    }),
    consent: z.strictObject({ agreementVersion: z.string().min(1).max(20), consentedAt: dateTimeSchema }),
    investmentProfile: z.strictObject({
      income: z.string().min(1).max(100),
      netWorth: z.string().min(1).max(100),
      occupation: z.string().min(1).max(100),
      employmentStatus: z.string().min(1).max(100),
    }),
  })
  .meta({ id: 'NewApplication' });
export type NewApplication = z.infer<typeof newApplicationSchema>;

export const createdApplicationSchema = z
  .object({ id: z.uuid(), providerApplicationId: z.string() })
  .meta({ id: 'CreatedApplication' });

/** The `Idempotency-Key` header of an intake: the same key on every retry of one application. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters');

/** The headers an intake reads: a retry sends the first request's key again. */
export const intakeHeadersSchema = z.object({
  'Idempotency-Key': idempotencyKeySchema
    .optional()
    .meta({ description: 'The same key on every retry of one application; another application with it is a 409' }),
});

/** An intake the provider has not answered yet: the desk keeps delivering it. */
export const pendingIntakeSchema = z
  .object({
    intakeId: z.uuid(),
    state: z.enum(providerActionPhases),
    attempts: z.int(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'PendingIntake' });
export type PendingIntake = z.infer<typeof pendingIntakeSchema>;
