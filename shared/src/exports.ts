import { z } from 'zod';
import { auditChainHeadSchema } from './audit.js';
import { instantQuerySchema } from './instants.js';
import { cursorSchema, limitSchema } from './pagination.js';
import { providerSchema } from './providers.js';

export const exportKinds = ['status_history', 'consents'] as const;
export type ExportKind = (typeof exportKinds)[number];
export const exportFormats = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** `from` is inclusive and `to` exclusive, so consecutive windows never share a row. */
const window = {
  format: z.enum(exportFormats).default('csv'),
  from: instantQuerySchema.optional(),
  to: instantQuerySchema.optional(),
  provider: providerSchema.optional(),
};
const ordered = {
  check: (q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from <= q.to,
  params: { path: ['to'], message: 'must not be before from' },
};

/**
 * `spreadsheetSafe=true`: a CSV to open in a spreadsheet. A cell of written text (a reason, a
 * provider's id or status, an email, a version) that begins like a formula — `=`, `+`, `-`,
 * `@`, tab or carriage return — gets a `'` in front, so the spreadsheet shows it as text
 * instead of running it (OWASP, CSV injection). The default CSV stays the database's exact
 * bytes; the safe one is its own file with its own manifest. CSV only: NDJSON is not opened
 * in spreadsheets.
 */
const spreadsheetSafe = {
  spreadsheetSafe: z
    .enum(['true', 'false'], 'must be true or false')
    .default('false')
    .transform((v) => v === 'true'),
};
const csvOnly = {
  check: (q: { format: ExportFormat; spreadsheetSafe: boolean }) => !q.spreadsheetSafe || q.format === 'csv',
  params: { path: ['spreadsheetSafe'], message: 'applies to format=csv only' },
};

/** The characters a spreadsheet reads as the start of a formula (OWASP, CSV injection). */
export const formulaStartCharacters = ['=', '+', '-', '@', '\t', '\r'] as const;

export const statusHistoryExportQuerySchema = z
  .strictObject({ ...window, ...spreadsheetSafe, applicationId: z.uuid('must be a UUID').optional() })
  .refine(ordered.check, ordered.params)
  .refine(csvOnly.check, csvOnly.params);
export type StatusHistoryExportQuery = z.output<typeof statusHistoryExportQuerySchema>;

export const consentExportQuerySchema = z
  .strictObject({
    ...window,
    ...spreadsheetSafe,
    agreementVersion: z
      .string()
      .trim()
      .min(1)
      .max(20)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
      .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
      .optional(),
  })
  .refine(ordered.check, ordered.params)
  .refine(csvOnly.check, csvOnly.params);
export type ConsentExportQuery = z.output<typeof consentExportQuerySchema>;

/** What an auditor checks a downloaded export against. */
export const exportManifestSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(exportKinds),
    format: z.enum(exportFormats),
    /** A spreadsheet-safe CSV (formula-like cells prefixed with `'`); also in `filters`. */
    spreadsheetSafe: z.boolean(),
    filters: z.record(z.string(), z.unknown()),
    requestedBy: z.string(),
    state: z.enum(['running', 'complete', 'failed']),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    rowCount: z.int().nullable(),
    byteCount: z.int().nullable(),
    /** SHA-256 (hex) of the exact bytes sent. */
    sha256: z.string().nullable(),
    /** The name the file was sent under (`Content-Disposition`). */
    fileName: z.string(),
    /** Each lane of the audit chain's newest row when the export began (empty for an empty trail). */
    chainHeads: z.array(auditChainHeadSchema),
  })
  .meta({ id: 'ExportManifest' });
export type ExportManifest = z.infer<typeof exportManifestSchema>;

/** Newest first; `cursor` is the `nextCursor` of the page before (older runs). */
export const exportRunListQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional() });
export type ExportRunListQuery = z.output<typeof exportRunListQuerySchema>;

/** Past export runs, newest first. */
export const exportRunListSchema = z
  .object({ data: z.array(exportManifestSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ExportRunList' });
export type ExportRunList = z.infer<typeof exportRunListSchema>;

export const exportIdParamsSchema = z.strictObject({ id: z.uuid('must be a UUID') });

const fileStems: Record<ExportKind, string> = { status_history: 'status-history', consents: 'consents' };

/**
 * The name an export is saved under: what, when it began in UTC, and that its times are UTC —
 * `status-history_2026-12-07T0812Z_UTC.csv`, `consents-spreadsheet-safe_2026-12-07T0812Z_UTC.csv`.
 */
export function exportFileName(run: {
  kind: ExportKind;
  format: ExportFormat;
  spreadsheetSafe: boolean;
  startedAt: Date;
}): string {
  const iso = run.startedAt.toISOString();
  const stamp = `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  return `${fileStems[run.kind]}${run.spreadsheetSafe ? '-spreadsheet-safe' : ''}_${stamp}_UTC.${run.format}`;
}

/** Columns of the status history export, in order (CSV header and NDJSON keys); times are UTC (ISO 8601, `Z`). */
export const statusHistoryExportColumns = [
  'application_id',
  'provider',
  'provider_application_id',
  'from_status',
  'to_status',
  'from_stage',
  'to_stage',
  'changed_at_utc',
  'source',
  'actor',
  'actor_role',
  'reason',
] as const;

/** Columns of the consents export, in order (CSV header and NDJSON keys); times are UTC (ISO 8601, `Z`). */
export const consentExportColumns = [
  'application_id',
  'provider',
  'provider_application_id',
  'customer_id',
  'agreement_version',
  'consented_at_utc',
  'version_released_at_utc',
  'latest_version_at_consent',
  'was_latest_at_consent',
] as const;
