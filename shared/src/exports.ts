import { z } from 'zod';
import { instantQuerySchema } from './audit.js';
import { limitSchema } from './pagination.js';
import { providerSchema } from './providers.js';

export const exportKinds = ['status_history', 'consents'] as const;
export type ExportKind = (typeof exportKinds)[number];
export const exportFormats = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Postgres has no year 0: earlier instants are refused here rather than by the database. */
const instant = instantQuerySchema.refine((d) => d.getUTCFullYear() >= 1, 'must be in year 1 or later');
/** `from` is inclusive and `to` exclusive, so consecutive windows never share a row. */
const window = {
  format: z.enum(exportFormats).default('csv'),
  from: instant.optional(),
  to: instant.optional(),
  provider: providerSchema.optional(),
};
const ordered = { check: (q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from <= q.to, params: { path: ['to'], message: 'must not be before from' } };

export const statusHistoryExportQuerySchema = z
  .strictObject({ ...window, applicationId: z.uuid('must be a UUID').optional() })
  .refine(ordered.check, ordered.params);
export type StatusHistoryExportQuery = z.output<typeof statusHistoryExportQuerySchema>;

export const consentExportQuerySchema = z
  .strictObject({
    ...window,
    agreementVersion: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
      .optional(),
  })
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

export const exportRunListQuerySchema = z.strictObject({ limit: limitSchema });
export type ExportRunListQuery = z.output<typeof exportRunListQuerySchema>;

/** Past export runs, newest first. */
export const exportRunListSchema = z
  .object({ data: z.array(exportManifestSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ExportRunList' });
export type ExportRunList = z.infer<typeof exportRunListSchema>;

export const exportIdParamsSchema = z.strictObject({ id: z.uuid('must be a UUID') });

/** Columns of the status history export, in order (CSV header and NDJSON keys). */
export const statusHistoryExportColumns = [
  'application_id',
  'provider',
  'provider_application_id',
  'from_status',
  'to_status',
  'from_stage',
  'to_stage',
  'at',
  'source',
  'actor',
  'actor_role',
  'reason',
] as const;

/** Columns of the consents export, in order (CSV header and NDJSON keys). */
export const consentExportColumns = [
  'application_id',
  'provider',
  'provider_application_id',
  'customer_id',
  'agreement_version',
  'consented_at',
  'version_released_at',
  'latest_version_at_consent',
  'was_latest_at_consent',
] as const;
