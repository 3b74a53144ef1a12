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
  })
  .meta({ id: 'StaffMember' });
export type StaffMember = z.infer<typeof staffMemberSchema>;

const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(1024, 'must be at most 1024 characters');

export const staffCreateSchema = z.strictObject({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email('must be an email address'))
    .pipe(z.string().max(254, 'must be at most 254 characters')),
  name: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  role: staffRoleSchema,
  password: passwordSchema,
});
export type StaffCreate = z.infer<typeof staffCreateSchema>;

export const staffUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters').optional(),
    role: staffRoleSchema.optional(),
    active: z.boolean().optional(),
    password: passwordSchema.optional(),
    version: z.number({ error: 'is required (the version you last saw)' }).int(),
  })
  .refine((v) => v.name !== undefined || v.role !== undefined || v.active !== undefined || v.password !== undefined, {
    message: 'nothing to change',
    path: ['(body)'],
  });
export type StaffUpdate = z.infer<typeof staffUpdateSchema>;

export const staffIdParamsSchema = z.strictObject({ id: z.uuid('must be a UUID') });
