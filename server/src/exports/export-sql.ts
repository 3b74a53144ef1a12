/**
 * The SQL of each export, built once per request and used by both ways of reading it: a
 * `COPY (...) TO STDOUT` on real Postgres, and keyset batches on the embedded database. Both
 * run the very same select list, filters and order, so the bytes can only differ in how they
 * are framed, and `csv.ts` frames them exactly as COPY does.
 *
 * COPY takes no bind parameters, so filter values are inlined as escaped literals (they are
 * validated before they get here: enums, UUIDs, instants and a short version string).
 *
 * The spreadsheet-safe CSV is made here too, in the select list (`spreadsheetSafeCell`), so
 * COPY still streams it with flat memory and the batches on the embedded database read the
 * very same text.
 */

import {
  type ConsentExportQuery,
  consentExportColumns,
  type ExportFormat,
  type ExportKind,
  formulaStartCharacters,
  type StatusHistoryExportQuery,
  statusHistoryExportColumns,
} from '@desk/shared';
import pg from 'pg';

const { escapeLiteral } = pg;

/**
 * `text` is written by someone (a provider's ids and statuses, a person's reason, an email, a
 * version name); `formatted` is text the desk formats itself (UUIDs, ISO instants), which never
 * starts like a formula.
 */
type Column = { name: string; sql: string; type: 'text' | 'formatted' | 'boolean' };

/** A unique sort key of the export: the order of its rows and the keyset of its batches. */
type KeyPart = { sql: string; type: 'timestamptz' | 'uuid' };

export type ExportPlan = {
  kind: ExportKind;
  format: ExportFormat;
  /** CSV whose formula-like cells are prefixed with `'` (see `spreadsheetSafeCell`). */
  spreadsheetSafe: boolean;
  columns: Column[];
  from: string;
  where: string[];
  key: [KeyPart, KeyPart];
};

/** The last row of a batch, where the next one starts after. */
export type KeysetPosition = [Date, string];

/** An instant as ISO 8601 UTC with milliseconds, the same text JavaScript's toISOString gives. */
const isoUtc = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const instant = (d: Date) => `${escapeLiteral(d.toISOString())}::timestamptz`;

function columnsOf(
  names: readonly string[],
  sqlByName: Record<string, string>,
  kinds: { formatted: string[]; booleans?: string[] },
): Column[] {
  return names.map((name) => {
    const expr = Object.hasOwn(sqlByName, name) ? sqlByName[name] : undefined;
    if (!expr) throw new Error(`export column ${name} has no SQL`);
    const type = kinds.booleans?.includes(name) ? 'boolean' : kinds.formatted.includes(name) ? 'formatted' : 'text';
    return { name, sql: expr, type };
  });
}

/** The formula-start characters as SQL, control characters spelled with `chr` so the statement stays on one line. */
const formulaStartsSql = formulaStartCharacters
  .map((c) => (c.charCodeAt(0) < 0x20 ? `chr(${c.charCodeAt(0)})` : escapeLiteral(c)))
  .join(', ');

/**
 * A cell a spreadsheet will not run: written text starting like a formula gets a `'` in
 * front (OWASP, CSV injection); NULL stays NULL, so the empty-versus-NULL distinction holds.
 */
export function spreadsheetSafeCell(expr: string): string {
  return `CASE WHEN left(${expr}, 1) IN (${formulaStartsSql}) THEN '''' || ${expr} ELSE ${expr} END`;
}

export function statusHistoryPlan(query: StatusHistoryExportQuery): ExportPlan {
  const where: string[] = [];
  if (query.from) where.push(`sh.at >= ${instant(query.from)}`);
  if (query.to) where.push(`sh.at < ${instant(query.to)}`);
  if (query.provider) where.push(`a.provider = ${escapeLiteral(query.provider)}`);
  if (query.applicationId) where.push(`sh.application_id = ${escapeLiteral(query.applicationId)}::uuid`);
  return {
    kind: 'status_history',
    format: query.format,
    spreadsheetSafe: query.spreadsheetSafe,
    columns: columnsOf(
      statusHistoryExportColumns,
      {
        application_id: 'sh.application_id::text',
        provider: 'a.provider',
        provider_application_id: 'a.provider_application_id',
        from_status: 'sh.from_status',
        to_status: 'sh.to_status',
        from_stage: 'sh.from_stage',
        to_stage: 'sh.to_stage',
        changed_at_utc: isoUtc('sh.at'),
        source: 'sh.source',
        actor: 's.email',
        actor_role: 's.role',
        reason: 'sh.reason',
      },
      { formatted: ['application_id', 'changed_at_utc'] },
    ),
    from: 'status_history sh JOIN applications a ON a.id = sh.application_id LEFT JOIN staff s ON s.id = sh.actor_id',
    where,
    key: [
      { sql: 'sh.at', type: 'timestamptz' },
      { sql: 'sh.id', type: 'uuid' },
    ],
  };
}

/**
 * One row per application. The latest version at consent follows the case view
 * (`findConsentContext`): the provider's version released last at or before the consent
 * instant; the version name breaks a tie so the answer never depends on the plan.
 */
export function consentPlan(query: ConsentExportQuery): ExportPlan {
  const where: string[] = [];
  if (query.from) where.push(`a.consented_at >= ${instant(query.from)}`);
  if (query.to) where.push(`a.consented_at < ${instant(query.to)}`);
  if (query.provider) where.push(`a.provider = ${escapeLiteral(query.provider)}`);
  if (query.agreementVersion) where.push(`a.agreement_version = ${escapeLiteral(query.agreementVersion)}`);
  return {
    kind: 'consents',
    format: query.format,
    spreadsheetSafe: query.spreadsheetSafe,
    columns: columnsOf(
      consentExportColumns,
      {
        application_id: 'a.id::text',
        provider: 'a.provider',
        provider_application_id: 'a.provider_application_id',
        customer_id: 'a.customer_id::text',
        agreement_version: 'a.agreement_version',
        consented_at_utc: isoUtc('a.consented_at'),
        version_released_at_utc: isoUtc('ag.released_at'),
        latest_version_at_consent: 'latest.version',
        was_latest_at_consent: 'coalesce(latest.version = a.agreement_version, false)',
      },
      {
        formatted: ['application_id', 'customer_id', 'consented_at_utc', 'version_released_at_utc'],
        booleans: ['was_latest_at_consent'],
      },
    ),
    from: `applications a
      LEFT JOIN agreements ag ON ag.provider = a.provider AND ag.version = a.agreement_version
      LEFT JOIN LATERAL (
        SELECT l.version FROM agreements l
        WHERE l.provider = a.provider AND l.released_at <= a.consented_at
        ORDER BY l.released_at DESC, l.version DESC
        LIMIT 1
      ) latest ON true`.replace(/\s*\n\s*/g, ' '),
    where,
    key: [
      { sql: 'a.consented_at', type: 'timestamptz' },
      { sql: 'a.id', type: 'uuid' },
    ],
  };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A CSV column's text: booleans as `true`/`false`, written text guarded in a spreadsheet-safe export. */
function csvCell(plan: ExportPlan, column: Column): string {
  if (column.type === 'boolean') return `(${column.sql})::text`;
  return plan.spreadsheetSafe && column.type === 'text' ? spreadsheetSafeCell(column.sql) : column.sql;
}

/** CSV columns are all text; NDJSON is one JSON object per row. */
function selectList(plan: ExportPlan): string {
  if (plan.format === 'ndjson') {
    const pairs = plan.columns.map((c) => `${escapeLiteral(c.name)}, ${c.sql}`).join(', ');
    return `json_build_object(${pairs})::text AS line`;
  }
  return plan.columns.map((c) => `${csvCell(plan, c)} AS ${quoteIdent(c.name)}`).join(', ');
}

const orderBy = (plan: ExportPlan) => plan.key.map((k) => k.sql).join(', ');
const whereClause = (conditions: string[]) => (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '');

/**
 * The COPY statement. NDJSON goes through CSV format with a quote and delimiter that JSON text
 * never holds raw (control characters are escaped in JSON), so each line is the JSON unchanged;
 * text format would double every backslash.
 */
export function copyStatement(plan: ExportPlan): string {
  const options = plan.format === 'csv' ? `FORMAT csv, HEADER true` : `FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02'`;
  return `COPY (${selectStatement(plan)}) TO STDOUT WITH (${options})`;
}

/** The query a COPY of this export runs, on one line (as `psql`'s `\copy` wants it). */
export function selectStatement(plan: ExportPlan): string {
  return `SELECT ${selectList(plan)} FROM ${plan.from}${whereClause(plan.where)} ORDER BY ${orderBy(plan)}`;
}

/** Key columns of a batch row, after the export's own columns. */
export const keyAliases = ['_export_key_0', '_export_key_1'] as const;

/** One keyset batch: the rows after `after` (or the first ones), in export order. */
export function batchStatement(plan: ExportPlan, after: KeysetPosition | null, limit: number): string {
  const conditions = [...plan.where];
  if (after) {
    const [k0, k1] = plan.key;
    conditions.push(`(${k0.sql}, ${k1.sql}) > (${instant(after[0])}, ${escapeLiteral(after[1])}::uuid)`);
  }
  const keys = plan.key.map((k, i) => `${k.sql} AS ${keyAliases[i]}`).join(', ');
  return `SELECT ${selectList(plan)}, ${keys} FROM ${plan.from}${whereClause(conditions)} ORDER BY ${orderBy(plan)} LIMIT ${Math.trunc(limit)}`;
}

/**
 * The filters as the run records them (instants as ISO strings, format apart). The
 * spreadsheet-safe variant is recorded only when asked for, so a default export's filters are
 * exactly what the person chose.
 */
export function filtersOf(query: StatusHistoryExportQuery | ConsentExportQuery): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (name === 'format' || value === undefined || value === false) continue;
    filters[name] = value instanceof Date ? value.toISOString() : String(value);
  }
  return filters;
}
