/**
 * What an export should hold, read straight from the database with the query builder — an
 * independent statement of the rows the desk's export SQL must produce.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@desk/server';
import type { Row } from './export-files.js';

/** The status history, oldest first, as the export's columns. */
export async function expectedStatusHistory(db: Kysely<Database>, filter: { from?: Date; to?: Date; provider?: string; applicationId?: string } = {}): Promise<Row[]> {
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
    at: r.at.toISOString(),
    source: r.source,
    actor: r.email,
    actor_role: r.role,
    reason: r.reason,
  }));
}

/** Consents by the case view's rule, computed here from the agreements table. */
export async function expectedConsents(db: Kysely<Database>, filter: { from?: Date; to?: Date; provider?: string; agreementVersion?: string } = {}): Promise<Row[]> {
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
        consented_at: a.consented_at.toISOString(),
        version_released_at: own ? own.released_at.toISOString() : null,
        latest_version_at_consent: latest?.version ?? null,
        was_latest_at_consent: String(latest?.version === a.agreement_version),
      };
    });
}
