/**
 * Support lookup: one search box for every key a customer might give. The term is read for
 * what it can be — an id (application, customer, provider), an email, a phone number, the
 * last four of the identification number (matched through its keyed hash; the desk has no
 * clear last four to compare), a name, the start of an email — and each reading is an indexed,
 * bounded query. A name or the start of an email may come with a date of birth, a birth year
 * or the last four ("james smith 1987", "smith 4321", "j.smith 1987-03-14"): those narrow the
 * readings, inside the index where they can.
 *
 * Ranking, by closeness: exact keys first, then the last four, then prefixes (how much of the
 * name, then of the email, the term covers), then misspelt names (trigram similarity), and among equals
 * the customer with the most recent application. When several customers match as well as the
 * first answer, or the term is the last four alone, the answer says so and what to add.
 */

import {
  type CustomerHit,
  type CustomerLookupRefinement,
  type CustomerMatchKind,
  type CustomerSearchAmbiguity,
  type CustomerSearchQuery,
  customerLookupRefinements,
} from '@desk/shared';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PiiVault } from '../pii/pii-vault.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Letters, spaces, apostrophes and hyphens ("jane.d" is an email, not a name). */
const namePattern = /^[\p{L}\s'-]+$/u;
/** The start of an email address ("jane.doe", "jdoe+kyc", "jane.doe@exa"). */
const emailStartPattern = /^[a-z0-9._+-]+(@[a-z0-9.-]*)?$/i;
/** How many customers one reading of the term may contribute. */
const perReading = 50;
/** Customers bearing one last four read to narrow by a name or email (about 100 per value at a million). */
const perLastFour = 1000;
/** Names must be at least this similar (pg_trgm) to count as a fuzzy match. */
const minSimilarity = 0.3;
/** Spellings tried per name part: the nearest names of the vocabulary. */
const spellingsPerPart = 6;
/** Words of a name term used for fuzzy matching (each split point is tried both ways round). */
const maxNameWords = 5;
/** Dates, years and last fours read from one term (each may be read two ways). */
const maxNarrowingTokens = 2;

const rankOf: Record<CustomerMatchKind, number> = {
  application_id: 0,
  customer_id: 0,
  provider_id: 1,
  email: 1,
  phone: 1,
  last4: 2,
  // A word of letters is read as a name before the start of an email ("james").
  name_prefix: 3,
  email_prefix: 4,
  name_fuzzy: 5,
};

/**
 * One customer as one reading found them. `score` is the closeness within the kind (0–1, 1 for
 * an exact key); `bounded` says the reading stopped at its bound, so more may match as well.
 */
type Candidate = { customerId: string; kind: CustomerMatchKind; score: number; bounded: boolean };

/** Dates of birth in [from, to), as ISO dates. */
type BornIn = { from: string; to: string };
/** What narrows a name or email reading: a date of birth or birth year, the last four. */
type Narrowing = { born?: BornIn; last4?: string };

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);
const rounded = (score: number) => Math.round(score * 1000) / 1000;

/**
 * How much of the full name a prefix covers, word by word: "james" covers half of "James
 * Smith" (as of "James Lee"), "james smi" 0.8 of it, the whole name 1. `skipWords` is the number
 * of the name's words before the typed part starts (the first name's, for a last-name prefix).
 */
function nameCloseness(typed: string, fullName: string, skipWords = 0): number {
  const nameWords = fullName.toLowerCase().split(/\s+/).filter(Boolean);
  const typedWords = typed.split(' ').filter(Boolean);
  if (nameWords.length === 0) return 0;
  let covered = 0;
  typedWords.forEach((word, i) => {
    const nameWord = nameWords[skipWords + i] ?? word;
    covered += i < typedWords.length - 1 ? 1 : Math.min(1, word.length / nameWord.length);
  });
  return Math.min(1, covered / nameWords.length);
}

/** How much of the email a prefix covers: of the local part, or of the whole once `@` is typed. */
function emailCloseness(typed: string, email: string): number {
  const whole = typed.includes('@') ? email : (email.split('@')[0] ?? email);
  return whole.length === 0 ? 0 : Math.min(1, typed.length / whole.length);
}

const bornSql = (born: BornIn | undefined): RawBuilder<SqlBool> =>
  born ? sql<SqlBool>`date_of_birth >= ${born.from}::date AND date_of_birth < ${born.to}::date` : sql<SqlBool>`TRUE`;

/**
 * Customers whose name is a near spelling of the term, most similar first. The nearest
 * spellings come from the vocabulary of distinct first and last names (`customer_name_parts`,
 * trigram distance, nearest first); customers are then found by exact name on the btree name
 * indexes (with the date of birth, when given, inside the same index). One word may be a first
 * or a last name. Several words are split into first and last name at every point, both ways
 * round ("jhonson robert"), and customers bearing a near first and a near last name together are
 * found by exact full name; only when no such pair exists, customers bearing one of them
 * (bounded per spelling). Scores are the similarity of the full name to the whole term.
 */
async function misspeltNames(db: Kysely<Database>, name: string, born?: BornIn): Promise<Candidate[]> {
  const words = name.split(' ').filter(Boolean).slice(0, maxNameWords);
  const term = words.join(' ');
  const found = (rows: { id: string; score: number }[]) =>
    rows.map((row) => ({
      customerId: row.id,
      kind: 'name_fuzzy' as const,
      score: Number(row.score),
      bounded: rows.length >= perReading,
    }));
  const bornIn = bornSql(born);
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
        SELECT id FROM customers WHERE spelled.part = 'first' AND lower(first_name) = spelled.name AND ${bornIn}
        UNION ALL
        SELECT id FROM customers WHERE spelled.part = 'last' AND lower(last_name) = spelled.name AND ${bornIn}
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
    FROM scored CROSS JOIN LATERAL (
      SELECT id FROM customers WHERE ${fullName} = scored.pair AND ${bornIn} LIMIT ${perReading}
    ) c
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
      CROSS JOIN LATERAL (
        SELECT id, ${fullName} AS full_name FROM customers WHERE lower(last_name) = n.name AND ${bornIn} LIMIT ${perReading}
      ) c
      UNION
      SELECT c.id, c.full_name
      FROM (SELECT DISTINCT name FROM f) n
      CROSS JOIN LATERAL (
        SELECT id, ${fullName} AS full_name FROM customers WHERE lower(first_name) = n.name AND ${bornIn} LIMIT ${perReading}
      ) c
    )
    SELECT id, similarity(full_name, ${term}) AS score FROM candidates
    WHERE similarity(full_name, ${term}) >= ${minSimilarity}
    ORDER BY score DESC, id
    LIMIT ${perReading}
  `.execute(db);
  return found(rows);
}

/**
 * A name read as the start of a full name and as the start of a last name, each one bounded
 * range scan (an OR of both would gather every match before the limit: thousands for a common
 * first name); the date of birth, when given, is checked inside the same index.
 */
async function namePrefixes(db: Kysely<Database>, name: string, born?: BornIn): Promise<Candidate[]> {
  const scan = async (column: RawBuilder<string>, skipLastName: boolean) => {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'first_name', 'last_name'])
      // No ORDER BY: the range scan of the prefix index already yields them in order and stops at the limit.
      .where(column, 'like', `${escapeLike(name)}%`)
      .where(bornSql(born))
      .limit(perReading)
      .execute();
    return rows.map((row) => {
      const full = `${row.first_name} ${row.last_name}`;
      const skip = skipLastName ? row.first_name.split(/\s+/).filter(Boolean).length : 0;
      return {
        customerId: row.id,
        kind: 'name_prefix' as const,
        score: nameCloseness(name, full, skip),
        bounded: rows.length >= perReading,
      };
    });
  };
  const [full, last] = await Promise.all([
    scan(sql<string>`lower(first_name || ' ' || last_name)`, false),
    scan(sql<string>`lower(last_name)`, true),
  ]);
  return [...full, ...last];
}

async function emailPrefix(db: Kysely<Database>, start: string, born?: BornIn): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'email'])
    // No ORDER BY: the range scan of the prefix index already yields them in order and stops at the limit.
    .where(sql<string>`lower(email)`, 'like', `${escapeLike(start)}%`)
    .where(bornSql(born))
    .limit(perReading)
    .execute();
  return rows.map((row) => ({
    customerId: row.id,
    kind: 'email_prefix' as const,
    score: emailCloseness(start, row.email.toLowerCase()),
    bounded: rows.length >= perReading,
  }));
}

/**
 * A name or the start of an email among the customers bearing one last four (a hundred or so
 * per value at a million): all of them are read and each is matched in turn — the start of the
 * full or last name, the start of the email, or a name similar enough (pg_trgm `similarity`).
 */
async function withLastFour(
  db: Kysely<Database>,
  hash: string,
  text: string,
  born: BornIn | undefined,
): Promise<Candidate[]> {
  const { rows } = await sql<{ id: string; first_name: string; last_name: string; email: string; score: number }>`
    SELECT id, first_name, last_name, email, similarity(lower(first_name || ' ' || last_name), ${text}) AS score
    FROM customers
    WHERE identification_number_last4_hash = ${hash} AND ${bornSql(born)}
    LIMIT ${perLastFour}
  `.execute(db);
  const isName = namePattern.test(text);
  const isEmail = emailStartPattern.test(text);
  const bounded = rows.length >= perLastFour;
  return rows.flatMap((row): Candidate[] => {
    const full = `${row.first_name} ${row.last_name}`.toLowerCase();
    const match = (kind: CustomerMatchKind, score: number): Candidate[] => [
      { customerId: row.id, kind, score, bounded },
    ];
    // In the order of the ranking: name, then email, then a similar name.
    if (isName && full.startsWith(text)) return match('name_prefix', nameCloseness(text, full));
    if (isName && row.last_name.toLowerCase().startsWith(text))
      return match('name_prefix', nameCloseness(text, full, row.first_name.split(/\s+/).filter(Boolean).length));
    if (isEmail && row.email.toLowerCase().startsWith(text))
      return match('email_prefix', emailCloseness(text, row.email));
    return isName && Number(row.score) >= minSimilarity ? match('name_fuzzy', Number(row.score)) : [];
  });
}

/** A year of birth (1900 to this year) or a date of birth as typed, as a range of dates. */
function bornInOf(token: string): BornIn | null {
  const iso = (y: number, m: number, d: number) => {
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
  };
  const day = (date: Date | null): BornIn | null =>
    date
      ? {
          from: date.toISOString().slice(0, 10),
          to: new Date(date.getTime() + 86_400_000).toISOString().slice(0, 10),
        }
      : null;
  const year = /^(\d{4})$/.exec(token);
  if (year) {
    const y = Number(year[1]);
    return y >= 1900 && y <= new Date().getUTCFullYear() ? { from: `${y}-01-01`, to: `${y + 1}-01-01` } : null;
  }
  const isoDate = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(token);
  if (isoDate) return day(iso(Number(isoDate[1]), Number(isoDate[2]), Number(isoDate[3])));
  // As written in the US: month first.
  const usDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(token);
  if (usDate) return day(iso(Number(usDate[3]), Number(usDate[1]), Number(usDate[2])));
  return null;
}

/**
 * The ways the dates, years and last fours of a term narrow it: "1987" is a birth year or a
 * last four, so "smith 1987" is read both ways. Null when the term has none, or only them.
 */
function narrowingsOf(words: string[], pii: PiiVault): { text: string; narrowings: Narrowing[] } | null {
  const narrowing: Narrowing[][] = [];
  const rest: string[] = [];
  for (const word of words) {
    const born = bornInOf(word);
    const readings: Narrowing[] = [...(born ? [{ born }] : []), ...(/^\d{4}$/.test(word) ? [{ last4: word }] : [])];
    if (readings.length > 0 && narrowing.length < maxNarrowingTokens) narrowing.push(readings);
    else rest.push(word);
  }
  if (narrowing.length === 0 || rest.length === 0) return null;
  // Every combination of one reading per token that does not contradict itself.
  let combined: Narrowing[] = [{}];
  for (const readings of narrowing) {
    combined = combined.flatMap((sofar) =>
      readings.flatMap((r): Narrowing[] => {
        if (r.last4 && sofar.last4 && r.last4 !== sofar.last4) return [];
        if (r.born && sofar.born) {
          // ISO dates order as text: the later start, the earlier end.
          const from = [r.born.from, sofar.born.from].sort()[1] ?? r.born.from;
          const to = [r.born.to, sofar.born.to].sort()[0] ?? r.born.to;
          return from < to ? [{ ...sofar, born: { from, to } }] : [];
        }
        return [{ ...sofar, ...r }];
      }),
    );
  }
  return {
    text: rest.join(' '),
    narrowings: combined.map((n) => (n.last4 ? { ...n, last4: pii.last4Hash(n.last4) } : n)),
  };
}

/** The name and email readings of a text, narrowed or not. */
function textReadings(
  db: Kysely<Database>,
  text: string,
  narrowing: Narrowing,
  minLength: number,
): Promise<Candidate[]>[] {
  const lookups: Promise<Candidate[]>[] = [];
  if (text.length < minLength || !(namePattern.test(text) || emailStartPattern.test(text))) return lookups;
  if (narrowing.last4) return [withLastFour(db, narrowing.last4, text, narrowing.born)];
  if (emailStartPattern.test(text) && !/^\d+$/.test(text)) lookups.push(emailPrefix(db, text, narrowing.born));
  if (namePattern.test(text))
    lookups.push(namePrefixes(db, text, narrowing.born), misspeltNames(db, text, narrowing.born));
  return lookups;
}

/**
 * Every reading of the term, as bounded indexed queries run side by side. A UUID is only an
 * id (its hex letters are no name); other terms are tried as every key they could be.
 */
async function readings(db: Kysely<Database>, pii: PiiVault, term: string): Promise<Candidate[]> {
  const text = term.trim();
  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  const digits = text.replace(/\D/g, '');
  const lookups: Promise<Candidate[]>[] = [];
  const as =
    (kind: CustomerMatchKind, score = 1) =>
    (rows: { id: string }[]) =>
      rows.map((row) => ({ customerId: row.id, kind, score, bounded: rows.length >= perReading }));

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
            bounded: false,
          })),
        ),
      db.selectFrom('customers').select('id').where('id', '=', lower).execute().then(as('customer_id')),
    );
    return (await Promise.all(lookups)).flat();
  }
  if (text.length >= 3 && text.length <= 100) {
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
  if (text.includes('@') && !lower.includes(' ')) {
    lookups.push(
      db
        .selectFrom('customers')
        .select('id')
        .where(sql<string>`lower(email)`, '=', lower)
        .limit(perReading)
        .execute()
        .then(as('email')),
    );
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
  // A name or the start of an email: alone, or narrowed by the dates and last fours typed with it.
  lookups.push(...textReadings(db, lower, {}, 3));
  const narrowed = narrowingsOf(lower.split(' '), pii);
  if (narrowed) for (const n of narrowed.narrowings) lookups.push(...textReadings(db, narrowed.text, n, 2));
  return (await Promise.all(lookups)).flat();
}

const better = (a: Candidate, b: Candidate) => rankOf[a.kind] - rankOf[b.kind] || rounded(b.score) - rounded(a.score);

/** The best reading per customer, best first (by kind, then closeness; ties left in any order). */
async function bestPerCustomer(db: Kysely<Database>, pii: PiiVault, term: string): Promise<Candidate[]> {
  const best = new Map<string, Candidate>();
  for (const c of await readings(db, pii, term)) {
    const current = best.get(c.customerId);
    if (!current || better(c, current) < 0) best.set(c.customerId, c);
  }
  return [...best.values()].sort(better);
}

/**
 * The customers the lookup finds for a term, for the review queue's search: the same readings
 * as `searchCustomers`, so the queue finds whoever the app-bar search finds.
 */
export async function customerIdsMatching(db: Kysely<Database>, pii: PiiVault, term: string): Promise<string[]> {
  return (await bestPerCustomer(db, pii, term)).map((c) => c.customerId);
}

const refinementWords: Record<CustomerLookupRefinement, string> = {
  name: 'the name',
  email: 'more of the email',
  date_of_birth: 'the date of birth or birth year (1987-03-14, 1987)',
  last4: 'the last four of the ID number',
};

const matchWords: Partial<Record<CustomerMatchKind, string>> = {
  provider_id: 'provider id',
  email: 'email',
  phone: 'phone number',
};

/**
 * Whether the answer singles someone out, and if not what the lookup could use to: the last
 * four alone never does (ten thousand values for every customer there is); a whole key (a whole
 * name, an email, a phone) does unless another customer bears it too; a part of one (a prefix —
 * of an email even when it is a whole local part —, a misspelling) does unless it matches
 * another customer the same way. A name or the start of an email can be
 * narrowed by what the term does not have yet (a date of birth, the last four, more of the
 * email); the last four by a name; an exact key shared by several (a household's phone) by
 * nothing the lookup reads, so it says to compare them.
 */
function ambiguityOf(term: string, ranked: Candidate[]): CustomerSearchAmbiguity | null {
  const first = ranked[0];
  if (!first) return null;
  const text = term.trim().toLowerCase();
  // The whole of an email's local part is still the start of others ("j.smith1", "j.smith12").
  const whole = rounded(first.score) >= 1 && first.kind !== 'email_prefix';
  const group = whole
    ? ranked.filter((c) => better(c, first) === 0)
    : ranked.filter((c) => rankOf[c.kind] === rankOf[first.kind]);
  const lastFourAlone = /^\d{4}$/.test(text);
  if (group.length < 2 && !lastFourAlone) return null;
  const count = group.length;
  const orMore = group.some((c) => c.bounded);
  const many = `${count}${orMore ? ' or more' : ''} customer${count === 1 && !orMore ? '' : 's'}`;
  if (lastFourAlone)
    return {
      matches: count,
      orMore,
      add: ['name'],
      hint: `The last four alone cannot single out a customer (${many} here): add the name — the last name and the four digits will do.`,
    };
  const words = text.split(/\s+/);
  const narrowable = first.kind === 'email_prefix' || first.kind === 'name_prefix' || first.kind === 'name_fuzzy';
  const has: Record<CustomerLookupRefinement, boolean> = {
    name: true,
    email: first.kind !== 'email_prefix',
    // A year narrows less than a whole date: still worth asking for.
    date_of_birth: words.some((w) => !/^\d{4}$/.test(w) && bornInOf(w) !== null),
    // A four-digit word that is no year can only be a last four.
    last4: words.some((w) => /^\d{4}$/.test(w) && bornInOf(w) === null),
  };
  const add = narrowable ? customerLookupRefinements.filter((r) => !has[r]) : [];
  const what = add.map((r) => refinementWords[r]);
  const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} or ${what.at(-1)}` : what[0];
  const hint = list
    ? `${many} ${whole ? 'match this equally well' : 'could be meant'}: add ${list}.`
    : `${many} share this ${matchWords[first.kind] ?? 'key'}: compare their details to find the one you want.`;
  return { matches: count, orMore, add, hint };
}

export async function searchCustomers(
  db: Kysely<Database>,
  pii: PiiVault,
  query: CustomerSearchQuery,
): Promise<{ data: CustomerHit[]; ambiguous: CustomerSearchAmbiguity | null }> {
  const candidates = await bestPerCustomer(db, pii, query.q);
  if (candidates.length === 0) return { data: [], ambiguous: null };
  // Every candidate's customer with every application, newest first, in one query (a customer
  // comes into the desk with an application, in one transaction): the newest application is the
  // last tiebreak, then the page is cut.
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
    .where(
      'c.id',
      'in',
      candidates.map((c) => c.customerId),
    )
    .orderBy('a.created_at', 'desc')
    .execute();
  const newest = new Map<string, number>();
  for (const row of rows) if (!newest.has(row.customer_id)) newest.set(row.customer_id, row.created_at.getTime());
  const ranked = candidates
    .filter((c) => newest.has(c.customerId))
    .sort(
      (a, b) =>
        better(a, b) ||
        (newest.get(b.customerId) ?? 0) - (newest.get(a.customerId) ?? 0) ||
        a.customerId.localeCompare(b.customerId),
    );
  const byId = new Map(rows.map((row) => [row.customer_id, row]));
  const data = ranked.slice(0, query.limit).flatMap((c) => {
    const customer = byId.get(c.customerId);
    if (!customer) return [];
    return [
      {
        id: customer.customer_id,
        name: `${customer.first_name} ${customer.last_name}`,
        email: customer.email,
        phone: customer.phone,
        matchedOn: c.kind,
        score: rounded(c.score),
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
  return { data, ambiguous: ambiguityOf(query.q, ranked) };
}
