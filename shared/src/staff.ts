import { z } from 'zod';

export const staffRoles = ['analyst', 'senior_analyst', 'support', 'auditor', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];
export const staffRoleSchema = z.enum(staffRoles);

export const staffSummarySchema = z
  .object({ id: z.uuid(), name: z.string(), email: z.string(), role: staffRoleSchema })
  .meta({ id: 'StaffSummary' });
export type StaffSummary = z.infer<typeof staffSummarySchema>;
