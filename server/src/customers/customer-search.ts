/**
 * Support lookup: one search box for every key a customer might give. The term is read for
 * what it can be — an id (application, customer, provider), an email, a phone number, the
 * last four of the identification number (matched through its keyed hash; the desk has no
 * clear last four to compare), a name — and each reading is an indexed, bounded query. Hits are
 * merged per customer, ranked by how they matched (exact keys first, then prefixes, then
 * misspelt names by trigram similarity).
 */

import type { CustomerHit, CustomerMatchKind, CustomerSearchQuery } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PiiVault } from '../pii/pii-vault.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How many customers one reading of the term may contribute. */
const perReading = 50;
/** Names must be at least this similar (pg_trgm) to count as a fuzzy match. */
const minSimilarity = 0.3;
/** Spellings tried per name part: the nearest names of the vocabulary. */
const spellingsPerPart = 6;
/** Words of a name term used for fuzzy matching (each split point is tried both ways round). */
const maxNameWords = 5;

const rankOf: Record<CustomerMatchKind, number> = {
  application_id: 0,
  customer_id: 0,
  provider_id: 1,
  email: 1,
  phone: 1,
  last4: 2,
  email_prefix: 3,
  name_prefix: 4,
  name_fuzzy: 5,
};

type Candidate = { customerId: string; kind: CustomerMatchKind; score: number };

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * Customers whose name is a near spelling of the term, most similar first. The nearest
 * spellings come from the vocabulary of distinct first and last names (`customer_name_parts`,
 * trigram distance, nearest first); customers are then found by exact name on the btree name
 * indexes. One word may be a first or a last name. Several words are split into first and last
 * name at every point, both ways round ("jhonson robert"), and customers bearing a near first
 * and a near last name together are found by exact full name; only when no such pair exists,
 * customers bearing one of them (bounded per spelling). Scores are the similarity of the full
 * name to the whole term.
 */
async function misspeltNames(db: Kysely<Database>, name: string): Promise<Candidate[]> {
  const words = name.split(' ').filter(Boolean).slice(0, maxNameWords);
  const term = words.join(' ');
  const found = (rows: { id: string; score: number }[]) =>
    rows.map((row) => ({ customerId: row.id, kind: 'name_fuzzy' as const, score: Number(row.score) }));
  if (words.length === 1) {
    const spelling = (part: 'first' | 'last') => sql`
      SELECT * FROM (
        SELECT ${sql.lit(part)}::text AS part, name, similarity(name, ${term}) AS score
        FROM customer_name_parts WHERE part = ${sql.lit(part)}
        ORDER BY name <-> ${term} LIMIT ${spellingsPerPart}
      ) nearest`;
    const { rows } = await sql<{ id: string; score: number }>`
      WITH spelled AS (${spelling('first')} UNION ALL ${spelling('last')})
      SELECT c.id, spelled.score
      FROM spelled CROSS JOIN LATERAL (
        SELECT id FROM customers WHERE spelled.part = 'first' AND lower(first_name) = spelled.name
        UNION ALL
        SELECT id FROM customers WHERE spelled.part = 'last' AND lower(last_name) = spelled.name
        LIMIT ${perReading}
      ) c
      WHERE spelled.score >= ${minSimilarity}
      ORDER BY spelled.score DESC, spelled.name, c.id
      LIMIT ${perReading}
    `.execute(db);
    return found(rows);
  }
  const splits = words.slice(1).flatMap((_, i) => {
    const head = words.slice(0, i + 1).join(' ');
    const tail = words.slice(i + 1).join(' ');
    return [sql`(${2 * i}::int, ${head}::text, ${tail}::text)`, sql`(${2 * i + 1}::int, ${tail}::text, ${head}::text)`];
  });
  const fullName = sql`lower(first_name || ' ' || last_name)`;
  const nearest = sql`
    split (k, first_part, last_part) AS (VALUES ${sql.join(splits)}),
    f AS (
      SELECT split.k, n.name FROM split CROSS JOIN LATERAL (
        SELECT name FROM customer_name_parts WHERE part = 'first' ORDER BY name <-> split.first_part LIMIT ${spellingsPerPart}
      ) n
    ),
    l AS (
      SELECT split.k, n.name FROM split CROSS JOIN LATERAL (
        SELECT name FROM customer_name_parts WHERE part = 'last' ORDER BY name <-> split.last_part LIMIT ${spellingsPerPart}
      ) n
    )`;
  // Both parts near: the nearest pairs that are close enough, then their customers by exact name.
  const pairs = await sql<{ id: string; score: number }>`
    WITH ${nearest},
    scored AS (
      SELECT pair, similarity(pair, ${term}) AS score
      FROM (SELECT DISTINCT f.name || ' ' || l.name AS pair FROM f JOIN l USING (k)) spelled
      WHERE similarity(pair, ${term}) >= ${minSimilarity}
      ORDER BY score DESC, pair
      LIMIT ${perReading}
    )
    SELECT c.id, scored.score
    FROM scored CROSS JOIN LATERAL (SELECT id FROM customers WHERE ${fullName} = scored.pair LIMIT ${perReading}) c
    ORDER BY scored.score DESC, scored.pair, c.id
    LIMIT ${perReading}
  `.execute(db);
  if (pairs.rows.length > 0) return found(pairs.rows);
  // No such pair: customers bearing one near part, if their whole name is still close enough.
  const { rows } = await sql<{ id: string; score: number }>`
    WITH ${nearest},
    candidates AS (
      SELECT c.id, c.full_name
      FROM (SELECT DISTINCT name FROM l) n
      CROSS JOIN LATERAL (SELECT id, ${fullName} AS full_name FROM customers WHERE lower(last_name) = n.name LIMIT ${perReading}) c
      UNION
      SELECT c.id, c.full_name
      FROM (SELECT DISTINCT name FROM f) n
      CROSS JOIN LATERAL (SELECT id, ${fullName} AS full_name FROM customers WHERE lower(first_name) = n.name LIMIT ${perReading}) c
    )
    SELECT id, similarity(full_name, ${term}) AS score FROM candidates
    WHERE similarity(full_name, ${term}) >= ${minSimilarity}
    ORDER BY score DESC, id
    LIMIT ${perReading}
  `.execute(db);
  return found(rows);
}

/**
 * Every reading of the term, as bounded indexed queries run side by side. A UUID is only an
 * id (its hex letters are no name); other terms are tried as every key they could be.
 */
async function readings(db: Kysely<Database>, pii: PiiVault, term: string): Promise<Candidate[]> {
  const text = term.trim();
  const lower = text.toLowerCase();
  const digits = text.replace(/\D/g, '');
  const lookups: Promise<Candidate[]>[] = [];
  const as =
    (kind: CustomerMatchKind, score = 1) =>
    (rows: { id: string }[]) =>
      rows.map((row) => ({ customerId: row.id, kind, score }));

  // Provider ids are free-form (Jiko uses UUIDs, others their own): always an exact lookup. A
  // UUID may also be an application's own id: one query reads it both ways.
  if (uuidPattern.test(text)) {
    lookups.push(
      db
        .selectFrom('applications')
        .select(['customer_id as id', sql<boolean>`id = ${lower}::uuid`.as('own')])
        .where((eb) =>
          eb.or([
            eb('id', '=', lower),
            eb('provider_application_id', '=', text),
            eb('provider_customer_id', '=', text),
          ]),
        )
        .limit(perReading)
        .execute()
        .then((rows) =>
          rows.map((row) => ({
            customerId: row.id,
            kind: row.own ? ('application_id' as const) : ('provider_id' as const),
            score: 1,
          })),
        ),
      db.selectFrom('customers').select('id').where('id', '=', lower).execute().then(as('customer_id')),
    );
  } else if (text.length >= 3 && text.length <= 100) {
    lookups.push(
      db
        .selectFrom('applications')
        .select('customer_id as id')
        .where((eb) => eb.or([eb('provider_application_id', '=', text), eb('provider_customer_id', '=', text)]))
        .limit(perReading)
        .execute()
        .then(as('provider_id')),
    );
  }
  const emailPrefix = (score: number) =>
    db
      .selectFrom('customers')
      .select('id')
      // No ORDER BY: the range scan of the prefix index already yields them in order and stops at the limit.
      .where(sql<string>`lower(email)`, 'like', `${escapeLike(lower)}%`)
      .limit(perReading)
      .execute()
      .then(as('email_prefix', score));
  if (text.includes('@')) {
    lookups.push(
      db
        .selectFrom('customers')
        .select('id')
        .where(sql<string>`lower(email)`, '=', lower)
        .limit(perReading)
        .execute()
        .then(as('email')),
      emailPrefix(0.9),
    );
  } else if (!uuidPattern.test(text) && /^[a-z0-9._+-]{3,}$/i.test(text) && !/^\d+$/.test(text)) {
    // The start of an email address ("jane.doe", "jdoe+kyc").
    lookups.push(emailPrefix(0.8));
  }
  if (/^\d{4}$/.test(text)) {
    lookups.push(
      db
        .selectFrom('customers')
        .select('id')
        .where('identification_number_last4_hash', '=', pii.last4Hash(text))
        .limit(perReading)
        .execute()
        .then(as('last4')),
    );
  }
  // A phone number as typed: "+1 (510) 555-1234", "510-555-1234", "15105551234".
  if (/^[+\d\s().-]+$/.test(text) && digits.length >= 7 && digits.length <= 15) {
    const forms = new Set([digits]);
    if (digits.length === 10) forms.add(`1${digits}`);
    lookups.push(
      db
        .selectFrom('customers')
        .select('id')
        .where(sql<string>`regexp_replace(phone, '[^0-9]', '', 'g')`, 'in', [...forms])
        .limit(perReading)
        .execute()
        .then(as('phone')),
    );
  }
  // Names are letters, spaces, apostrophes and hyphens ("jane.d" is an email, not a name).
  if (/^[\p{L}\s'-]+$/u.test(text) && text.length >= 3) {
    const name = lower.replace(/\s+/g, ' ');
    const fullName = sql<string>`lower(first_name || ' ' || last_name)`;
    lookups.push(
      // Full name and last name as two bounded range scans (an OR of both would gather every
      // match before the limit: thousands for a common first name).
      db
        .selectFrom('customers')
        .select('id')
        .where(fullName, 'like', `${escapeLike(name)}%`)
        .limit(perReading)
        .execute()
        .then(as('name_prefix', 0.95)),
      db
        .selectFrom('customers')
        .select('id')
        .where(sql<string>`lower(last_name)`, 'like', `${escapeLike(name)}%`)
        .limit(perReading)
        .execute()
        .then(as('name_prefix', 0.9)),
      misspeltNames(db, name),
    );
  }
  return (await Promise.all(lookups)).flat();
}

/** Every customer the lookup finds for the term, best first (at most 50 per reading). */
async function rankedCandidates(db: Kysely<Database>, pii: PiiVault, term: string): Promise<Candidate[]> {
  const candidates = await readings(db, pii, term);
  // Best reading per customer.
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const current = best.get(c.customerId);
    if (
      !current ||
      rankOf[c.kind] < rankOf[current.kind] ||
      (rankOf[c.kind] === rankOf[current.kind] && c.score > current.score)
    ) {
      best.set(c.customerId, c);
    }
  }
  return [...best.values()].sort(
    (a, b) => rankOf[a.kind] - rankOf[b.kind] || b.score - a.score || a.customerId.localeCompare(b.customerId),
  );
}

/**
 * The customers the lookup finds for a term, for the review queue's search: the same readings
 * and ranking as `searchCustomers`, so the queue finds whoever the app-bar search finds.
 */
export async function customerIdsMatching(db: Kysely<Database>, pii: PiiVault, term: string): Promise<string[]> {
  return (await rankedCandidates(db, pii, term)).map((c) => c.customerId);
}

export async function searchCustomers(
  db: Kysely<Database>,
  pii: PiiVault,
  query: CustomerSearchQuery,
): Promise<CustomerHit[]> {
  const ranked = (await rankedCandidates(db, pii, query.q)).slice(0, query.limit);
  if (ranked.length === 0) return [];
  const ids = ranked.map((c) => c.customerId);
  // The hits' customers with every application, newest first, in one query (a customer comes
  // into the desk with an application, in one transaction).
  const rows = await db
    .selectFrom('customers as c')
    .innerJoin('applications as a', 'a.customer_id', 'c.id')
    .select([
      'c.id as customer_id',
      'c.first_name',
      'c.last_name',
      'c.email',
      'c.phone',
      'a.id',
      'a.provider',
      'a.provider_application_id',
      'a.provider_status',
      'a.stage',
      'a.created_at',
    ])
    .where('c.id', 'in', ids)
    .orderBy('a.created_at', 'desc')
    .execute();
  const byId = new Map(rows.map((row) => [row.customer_id, row]));
  return ranked.flatMap((c) => {
    const customer = byId.get(c.customerId);
    if (!customer) return [];
    return [
      {
        id: customer.customer_id,
        name: `${customer.first_name} ${customer.last_name}`,
        email: customer.email,
        phone: customer.phone,
        matchedOn: c.kind,
        score: Math.round(c.score * 1000) / 1000,
        applications: rows
          .filter((a) => a.customer_id === customer.customer_id)
          .map((a) => ({
            id: a.id,
            provider: a.provider,
            providerApplicationId: a.provider_application_id,
            providerStatus: a.provider_status,
            stage: a.stage,
            createdAt: a.created_at.toISOString(),
          })),
      },
    ];
  });
}
