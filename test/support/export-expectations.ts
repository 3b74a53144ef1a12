/**
 * What an export should hold, read straight from the database with the query builder — an
 * independent statement of the rows the desk's export SQL must produce.
 */

import type { Database } from '@desk/server';
import type { Kysely } from 'kysely';
import type { Row } from './export-files.js';

/** The status history, oldest first, as the export's columns. */
export async function expectedStatusHistory(
  db: Kysely<Database>,
  filter: { from?: Date; to?: Date; provider?: string; applicationId?: string } = {},
): Promise<Row[]> {
  let query = db
    .selectFrom('status_history as sh')
    .innerJoin('applications as a', 'a.id', 'sh.application_id')
    .leftJoin('staff as s', 's.id', 'sh.actor_id')
    .select([
      'sh.application_id',
      'a.provider',
      'a.provider_application_id',
      'sh.from_status',
      'sh.to_status',
      'sh.from_stage',
      'sh.to_stage',
      'sh.at',
      'sh.source',
      's.email',
      's.role',
      'sh.reason',
    ])
    .orderBy('sh.at')
    .orderBy('sh.id');
  if (filter.from) query = query.where('sh.at', '>=', filter.from);
  if (filter.to) query = query.where('sh.at', '<', filter.to);
  if (filter.provider) query = query.where('a.provider', '=', filter.provider as 'jiko');
  if (filter.applicationId) query = query.where('sh.application_id', '=', filter.applicationId);
  const rows = await query.execute();
  return rows.map((r) => ({
    application_id: r.application_id,
    provider: r.provider,
    provider_application_id: r.provider_application_id,
    from_status: r.from_status,
    to_status: r.to_status,
    from_stage: r.from_stage,
    to_stage: r.to_stage,
    changed_at_utc: r.at.toISOString(),
    source: r.source,
    actor: r.email,
    actor_role: r.role,
    reason: r.reason,
  }));
}

/** Consents by the case view's rule, computed here from the agreements table. */
export async function expectedConsents(
  db: Kysely<Database>,
  filter: { from?: Date; to?: Date; provider?: string; agreementVersion?: string } = {},
): Promise<Row[]> {
  const agreements = await db.selectFrom('agreements').select(['provider', 'version', 'released_at']).execute();
  const apps = await db
    .selectFrom('applications')
    .select(['id', 'provider', 'provider_application_id', 'customer_id', 'agreement_version', 'consented_at'])
    .orderBy('consented_at')
    .orderBy('id')
    .execute();
  return apps
    .filter((a) => !filter.from || a.consented_at >= filter.from)
    .filter((a) => !filter.to || a.consented_at < filter.to)
    .filter((a) => !filter.provider || a.provider === filter.provider)
    .filter((a) => !filter.agreementVersion || a.agreement_version === filter.agreementVersion)
    .map((a) => {
      const own = agreements.find((g) => g.provider === a.provider && g.version === a.agreement_version);
      const latest = agreements
        .filter((g) => g.provider === a.provider && g.released_at <= a.consented_at)
        .sort((x, y) => y.released_at.getTime() - x.released_at.getTime() || (x.version < y.version ? 1 : -1))[0];
      return {
        application_id: a.id,
        provider: a.provider,
        provider_application_id: a.provider_application_id,
        customer_id: a.customer_id,
        agreement_version: a.agreement_version,
        consented_at_utc: a.consented_at.toISOString(),
        version_released_at_utc: own ? own.released_at.toISOString() : null,
        latest_version_at_consent: latest?.version ?? null,
        was_latest_at_consent: String(latest?.version === a.agreement_version),
      };
    });
}

/**
 * The bytes a CSV export of `rows` must be, written here from the rules of Postgres's
 * `COPY ... TO STDOUT WITH (FORMAT csv, HEADER true)`: a header line of the column names, then
 * one line per row ending in `\n`; NULL is an empty unquoted field; a value is quoted when it
 * is the empty string, holds a comma, a double quote, CR or LF (or is `\.` in a one-column
 * export), with its double quotes doubled; everything else goes out as it is.
 */
export function expectedCsvBytes(columns: readonly string[], rows: Row[]): Buffer {
  const field = (value: string | null) => {
    if (value === null) return '';
    const quoted = value === '' || /[",\r\n]/.test(value) || (columns.length === 1 && value === '\\.');
    return quoted ? `"${value.replace(/"/g, '""')}"` : value;
  };
  const line = (values: (string | null)[]) => `${values.map(field).join(',')}\n`;
  return Buffer.from(
    [line([...columns]), ...rows.map((row) => line(columns.map((c) => row[c] ?? null)))].join(''),
    'utf8',
  );
}

/**
 * Text as Postgres's `json_build_object(...)::text` writes a string: `"`, `\` and the control
 * characters escaped (the short forms where JSON has them, else `\u00xx` in lower case), and
 * everything else, non-ASCII included, as it is.
 */
function postgresJsonString(value: string): string {
  const short: Record<string, string> = {
    '"': '\\"',
    '\\': '\\\\',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
  };
  let out = '"';
  for (const c of value) {
    const code = c.codePointAt(0) ?? 0;
    out += short[c] ?? (code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return `${out}"`;
}

/**
 * The bytes an NDJSON export of `rows` must be: per row, one object as Postgres's
 * `json_build_object` writes it (`{"key" : value, "key" : value}`, keys in column order;
 * `booleans` as JSON true/false, the rest as strings or null), and `\n`.
 */
export function expectedNdjsonBytes(columns: readonly string[], rows: Row[], booleans: readonly string[] = []): Buffer {
  const value = (column: string, v: string | null) => {
    if (v === null) return 'null';
    if (booleans.includes(column)) return v === 'true' ? 'true' : 'false';
    return postgresJsonString(v);
  };
  const line = (row: Row) =>
    `{${columns.map((c) => `${postgresJsonString(c)} : ${value(c, row[c] ?? null)}`).join(', ')}}\n`;
  return Buffer.from(rows.map(line).join(''), 'utf8');
}
