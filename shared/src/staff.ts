import { z } from 'zod';

export const staffRoles = ['analyst', 'senior_analyst', 'support', 'auditor', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];
export const staffRoleSchema = z.enum(staffRoles);

export const staffSummarySchema = z
  .object({ id: z.uuid(), name: z.string(), email: z.string(), role: staffRoleSchema })
  .meta({ id: 'StaffSummary' });
export type StaffSummary = z.infer<typeof staffSummarySchema>;

/** A staff member as the admin page shows them. */
export const staffMemberSchema = staffSummarySchema
  .extend({
    active: z.boolean(),
    lastSignInAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    version: z.number().int(),
    /** When the member's open set-password link expires; null when none is open. */
    invitationExpiresAt: z.iso.datetime().nullable(),
    /** The member has a confirmed second factor (an admin can reset it, never see it). */
    secondFactorEnrolled: z.boolean(),
  })
  .meta({ id: 'StaffMember' });
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** The rules a staff password follows, wherever one is set. */
export const staffPasswordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(1024, 'must be at most 1024 characters');

const staffEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be an email address'))
  .pipe(z.string().max(254, 'must be at most 254 characters'));

const staffNameSchema = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');

/**
 * A new member. No password: the answer carries a one-time set-password link for the admin to
 * pass on, so only the member ever knows their password.
 */
export const staffCreateSchema = z.strictObject({
  email: staffEmailSchema,
  name: staffNameSchema,
  role: staffRoleSchema,
});
export type StaffCreate = z.infer<typeof staffCreateSchema>;

/** A change to a member. Passwords are never set by an admin: reissue the member's link instead. */
export const staffUpdateSchema = z
  .strictObject({
    name: staffNameSchema.optional(),
    role: staffRoleSchema.optional(),
    active: z.boolean().optional(),
    version: z.number({ error: 'is required (the version you last saw)' }).int(),
  })
  .refine((v) => v.name !== undefined || v.role !== undefined || v.active !== undefined, {
    message: 'nothing to change',
    path: ['(body)'],
  });
export type StaffUpdate = z.infer<typeof staffUpdateSchema>;

export const staffIdParamsSchema = z.strictObject({ id: z.uuid('must be a UUID') });

// ---- Invitations (set-password links) ----

/** Where the web client's set-password page lives; the link carries the token in its fragment (never sent to a server). */
export const setPasswordPagePath = '/set-password';

/** A set-password link, shown once to the admin who issued it to pass on; only its hash is kept. */
export const staffInvitationSchema = z
  .object({
    /** The one-time token (also in `link`). */
    token: z.string(),
    /** The web client's page with the token in the fragment, on the address the admin reached the desk at. */
    link: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'StaffInvitation' });
export type StaffInvitation = z.infer<typeof staffInvitationSchema>;

const invitationTokenSchema = z
  .string({ error: 'is required (the token of the set-password link)' })
  .trim()
  .min(1, 'is required (the token of the set-password link)')
  .max(200, 'is not a link this desk issued');

export const invitationTokenRequestSchema = z.strictObject({ token: invitationTokenSchema });
export type InvitationTokenRequest = z.infer<typeof invitationTokenRequestSchema>;

/** Whom an open link is for: what the set-password page shows before the member chooses a password. */
export const invitationDetailSchema = z
  .object({ email: z.string(), name: z.string(), expiresAt: z.iso.datetime() })
  .meta({ id: 'InvitationDetail' });
export type InvitationDetail = z.infer<typeof invitationDetailSchema>;

export const invitationAcceptSchema = z.strictObject({ token: invitationTokenSchema, password: staffPasswordSchema });
export type InvitationAccept = z.infer<typeof invitationAcceptSchema>;

export const invitationAcceptedSchema = z
  .object({
    email: z.string(),
    /** The member's role still waits for a second admin's approval: sign-in opens once it is approved. */
    awaitingApproval: z.boolean(),
  })
  .meta({ id: 'InvitationAccepted' });
export type InvitationAccepted = z.infer<typeof invitationAcceptedSchema>;

// ---- Role grants (separation of duties) ----

export const roleGrantStates = ['pending', 'approved', 'refused'] as const;
export type RoleGrantState = (typeof roleGrantStates)[number];

/**
 * What a request waiting for a second admin asks for: a privileged `role`, or — for a member who
 * holds one — a new set-password link (`invitation`) or a `second_factor_reset`, either of which
 * would let one admin sign in as that member.
 */
export const staffGrantKinds = ['role', 'invitation', 'second_factor_reset'] as const;
export type StaffGrantKind = (typeof staffGrantKinds)[number];

/**
 * A privileged role asked for by one admin, waiting for another's decision (see
 * `privilegedRoles` in access.ts). `activates`: the member is (re)activated by it too.
 */
export const roleGrantSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(staffGrantKinds),
    staff: staffSummarySchema,
    /** The role granted; for the other kinds, the member's role when asked. */
    role: staffRoleSchema,
    activates: z.boolean(),
    state: z.enum(roleGrantStates),
    requestedBy: staffSummarySchema,
    requestedAt: z.iso.datetime(),
    decidedBy: staffSummarySchema.nullable(),
    decidedAt: z.iso.datetime().nullable(),
    reason: z.string().nullable(),
    /** An approved `invitation`: whether its requester may still take the link (shown to them once). */
    linkAvailable: z.boolean(),
  })
  .meta({ id: 'RoleGrant' });
export type RoleGrant = z.infer<typeof roleGrantSchema>;

export const roleGrantIdParamsSchema = z.strictObject({ id: z.uuid('must be a UUID') });

export const roleGrantListQuerySchema = z.strictObject({
  state: z
    .enum([...roleGrantStates, 'all'], { error: `must be one of ${[...roleGrantStates, 'all'].join(', ')}` })
    .default('pending'),
});

export const roleGrantRefusalSchema = z.strictObject({
  reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});

/** The answer to creating a member: the member, the link to pass on, and the grant their role waits for. */
export const staffCreatedSchema = z
  .object({
    member: staffMemberSchema,
    /** Null when password sign-in is off (members sign in through single sign-on). */
    invitation: staffInvitationSchema.nullable(),
    /** Set when the role needs a second admin's approval; the member stays inactive until then. */
    grant: roleGrantSchema.nullable(),
  })
  .meta({ id: 'StaffCreated' });
export type StaffCreated = z.infer<typeof staffCreatedSchema>;

/** A change whose role part waits for a second admin (202): the member as changed so far, and the grant. */
export const staffChangePendingSchema = z
  .object({ member: staffMemberSchema, grant: roleGrantSchema })
  .meta({ id: 'StaffChangePending' });
export type StaffChangePending = z.infer<typeof staffChangePendingSchema>;

/** A new set-password link or second-factor reset for a privileged member, waiting for a second admin (202). */
export const staffAccessPendingSchema = z.object({ grant: roleGrantSchema }).meta({ id: 'StaffAccessPending' });
export type StaffAccessPending = z.infer<typeof staffAccessPendingSchema>;
