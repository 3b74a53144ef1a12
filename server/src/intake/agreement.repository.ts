/** The providers' agreement versions: the only module that writes `agreements`. */
import type { Provider } from '@desk/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ProviderAgreement } from '../providers/provider-adapter.js';

/** The provider's list wins: new versions are added, known ones take its release date and documents. */
export async function upsertAgreements(
  db: Kysely<Database>,
  provider: Provider,
  agreements: readonly ProviderAgreement[],
): Promise<void> {
  if (agreements.length === 0) return;
  await db
    .insertInto('agreements')
    .values(
      agreements.map((a) => ({
        provider,
        version: a.version,
        released_at: a.releasedAt,
        documents: JSON.stringify(a.documents),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['provider', 'version']).doUpdateSet((eb) => ({
        released_at: eb.ref('excluded.released_at'),
        documents: eb.ref('excluded.documents'),
      })),
    )
    .execute();
}
