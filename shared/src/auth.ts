/**
 * Staff identity beyond the password: sessions a member (or an admin) can see and end, the
 * second factor (TOTP with recovery codes), and single sign-on through an OpenID provider.
 */
import { z } from 'zod';
import { meSchema } from './access.js';
import { listResponseSchema } from './pagination.js';

/** A live session: where and when it signed in, and when it was last used. */
export const staffSessionSchema = z
  .object({
    /** The session's handle (never the cookie's token or its hash). */
    id: z.uuid(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    /** The session this request came with. */
    current: z.boolean(),
  })
  .meta({ id: 'StaffSession' });
export type StaffSession = z.infer<typeof staffSessionSchema>;

export const staffSessionListSchema = listResponseSchema(staffSessionSchema).meta({ id: 'StaffSessionList' });

export const sessionIdParamsSchema = z.strictObject({ id: z.uuid('must be a UUID') });
export const staffSessionParamsSchema = z.strictObject({
  id: z.uuid('must be a UUID'),
  sessionId: z.uuid('must be a UUID'),
});

// ---- Second factor (TOTP, RFC 6238) ----

/**
 * Who must sign in with a second factor: `optional` — members who enrolled one; `required-roles`
 * — also every privileged role (`privilegedRoles`), who enrol before getting a session; `all` —
 * everyone.
 */
export const secondFactorPolicies = ['optional', 'required-roles', 'all'] as const;
export type SecondFactorPolicy = (typeof secondFactorPolicies)[number];

/** The sign-in step a password led to (202): a code from the member's authenticator, or enrolling one first. */
export const signInStepSchema = z
  .object({
    next: z.enum(['second_factor', 'enrol_second_factor']),
    /** The step must be completed by then (sign in with the password again after). */
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'SignInStep' });
export type SignInStep = z.infer<typeof signInStepSchema>;

export const totpCodeSchema = z
  .string({ error: 'is required (the 6 digits your authenticator app shows)' })
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'must be the 6 digits your authenticator app shows'));

const recoveryCodeSchema = z.string().trim().min(1, 'is required').max(64, 'is not a recovery code this desk issued');

/** The second step of a sign-in: a current code, or one of the member's recovery codes (used up). */
export const secondFactorRequestSchema = z
  .strictObject({ code: totpCodeSchema.optional(), recoveryCode: recoveryCodeSchema.optional() })
  .refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), {
    message: 'send either code or recoveryCode',
    path: ['(body)'],
  });
export type SecondFactorRequest = z.infer<typeof secondFactorRequestSchema>;

export const totpCodeRequestSchema = z.strictObject({ code: totpCodeSchema });
export type TotpCodeRequest = z.infer<typeof totpCodeRequestSchema>;

/** An authenticator to add: shown once; the enrolment holds once a first code from it is confirmed. */
export const totpEnrolmentSchema = z
  .object({
    /** The shared secret in base32, for typing into an authenticator app. */
    secret: z.string(),
    /** The `otpauth://totp/…` URI the QR code holds. */
    otpauthUri: z.string(),
    /** The URI as a QR code, a `data:image/png;base64,…` URL. */
    qrCode: z.string(),
  })
  .meta({ id: 'TotpEnrolment' });
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>;

/** One-time recovery codes: shown once, each signs in once instead of a code. */
export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) }).meta({ id: 'RecoveryCodes' });
export type RecoveryCodes = z.infer<typeof recoveryCodesSchema>;

export const secondFactorStatusSchema = z
  .object({
    enrolled: z.boolean(),
    confirmedAt: z.iso.datetime().nullable(),
    recoveryCodesLeft: z.number().int(),
    /** The policy asks this member for a second factor. */
    required: z.boolean(),
  })
  .meta({ id: 'SecondFactorStatus' });
export type SecondFactorStatus = z.infer<typeof secondFactorStatusSchema>;

/** Enrolment finished during sign-in: the session is started, and the recovery codes are shown once. */
export const enrolledSignInSchema = z
  .object({ me: meSchema, recoveryCodes: z.array(z.string()) })
  .meta({ id: 'EnrolledSignIn' });
export type EnrolledSignIn = z.infer<typeof enrolledSignInSchema>;

// ---- Single sign-on (OpenID Connect) ----

/** What the sign-in page offers. */
export const signInOptionsSchema = z
  .object({
    /** False when only single sign-on is allowed. */
    passwordSignIn: z.boolean(),
    /** Shown as "Sign in with <name>"; null when single sign-on is not configured. */
    singleSignOn: z.object({ name: z.string() }).nullable(),
  })
  .meta({ id: 'SignInOptions' });
export type SignInOptions = z.infer<typeof signInOptionsSchema>;

/** Where to send the browser: the identity provider's authorization page (state, nonce and PKCE inside). */
export const singleSignOnStartSchema = z.object({ authorizationUrl: z.string() }).meta({ id: 'SingleSignOnStart' });
export type SingleSignOnStart = z.infer<typeof singleSignOnStartSchema>;

/** The page the identity provider sent the browser back to hands on what it received. */
export const singleSignOnCallbackSchema = z.strictObject({
  /** The redirect's query string as received (`location.search`), with `code` and `state` (or `error`). */
  query: z
    .string({ error: 'is required (the query string the identity provider sent back)' })
    .min(1, 'is required (the query string the identity provider sent back)')
    .max(8192, 'must be at most 8192 characters'),
});
export type SingleSignOnCallback = z.infer<typeof singleSignOnCallbackSchema>;

/** The web client's page the identity provider redirects to (the default redirect URL's path). */
export const singleSignOnCallbackPagePath = '/sso/callback';
