import { z } from 'zod';
import { instantQuerySchema } from './audit.js';
import { providerSchema } from './providers.js';

export const exportKinds = ['status_history', 'consents'] as const;
export type ExportKind = (typeof exportKinds)[number];
export const exportFormats = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const window = {
  format: z.enum(exportFormats).default('csv'),
  from: instantQuerySchema.optional(),
  to: instantQuerySchema.optional(),
  provider: providerSchema.optional(),
};
const ordered = { check: (q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from <= q.to, params: { path: ['to'], message: 'must not be before from' } };

export const statusHistoryExportQuerySchema = z
  .strictObject({ ...window, applicationId: z.uuid('must be a UUID').optional() })
  .refine(ordered.check, ordered.params);
export type StatusHistoryExportQuery = z.output<typeof statusHistoryExportQuerySchema>;

export const consentExportQuerySchema = z
  .strictObject({ ...window, agreementVersion: z.string().trim().min(1).max(20).optional() })
  .refine(ordered.check, ordered.params);
export type ConsentExportQuery = z.output<typeof consentExportQuerySchema>;

/** What an auditor checks a downloaded export against. */
export const exportManifestSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(exportKinds),
    format: z.enum(exportFormats),
    filters: z.record(z.string(), z.unknown()),
    requestedBy: z.string(),
    state: z.enum(['running', 'complete', 'failed']),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    rowCount: z.int().nullable(),
    byteCount: z.int().nullable(),
    /** SHA-256 (hex) of the exact bytes sent. */
    sha256: z.string().nullable(),
    /** The audit chain's last row when the export began. */
    chainHeadId: z.string().nullable(),
    chainHeadHash: z.string().nullable(),
  })
  .meta({ id: 'ExportManifest' });
export type ExportManifest = z.infer<typeof exportManifestSchema>;
