/**
 * `pnpm start` on an empty database, as it runs (`sandboxes/src/main.ts` bundled, under plain
 * `node`): it seeds
 * the demo — Jiko cases, and cases at Fin.com and the generic provider — registered at the
 * built-in sandboxes, so actions on them reach a provider that knows them; the README's demo
 * accounts sign in with the documented password in their roles; identification numbers are
 * sealed. Started again on the same data, it finds its data, seeds nothing more, and seals a
 * number a row still holds in clear (a row from before numbers were sealed).
 */
import { randomInt } from 'node:crypto';
import type { Database } from '@desk/server';
import type {
  ApplicationDetail,
  ApplicationStats,
  ApplicationSummary,
  Provider,
  ProviderAction,
  RevealResponse,
  StaffRole,
} from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { signInClient } from '../support/desk.js';
import { type DeskProcess, spawnDesk, stopDeskProcess } from '../support/process.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-database.js';
import { waitFor } from '../support/wait-for.js';

/** As the README documents them. */
const demoPassword = 'compliance-desk-demo';
const demoAccounts: [string, StaffRole][] = [
  ['alex.morgan@desk.example', 'analyst'],
  ['priya.raman@desk.example', 'analyst'],
  ['jordan.lee@desk.example', 'analyst'],
  ['sam.okoye@desk.example', 'analyst'],
  ['dana.whitfield@desk.example', 'senior_analyst'],
  ['chris.park@desk.example', 'senior_analyst'],
  ['riley.santos@desk.example', 'support'],
  ['morgan.blake@desk.example', 'auditor'],
  ['taylor.quinn@desk.example', 'admin'],
];
const demoCount = 8;

/** What the demo put in the database and at the sandboxes, table by table. */
async function rowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables = [
    'applications',
    'customers',
    'staff',
    'status_history',
    'rfis',
    'sandbox.jiko_applications',
    'sandbox.fin_customers',
    'sandbox.kyc_customers',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** The desk's log entries with message `msg`. */
function logged(output: string, msg: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return entry.msg === msg ? [entry] : [];
    } catch {
      return [];
    }
  });
}

describe.each(databaseKinds)('the demo pnpm start seeds on %s database', { timeout: 180_000 }, (kind) => {
  let database: ProcessDatabase;
  let env: Record<string, string>;
  let desk: DeskProcess | null = null;
  let firstStart = '';

  /** The desk, started again if a test left it stopped. */
  const running = async (): Promise<DeskProcess> => {
    desk ??= await spawnDesk(env, 90_000, 'demo-bundle');
    return desk;
  };
  const stop = async () => {
    if (!desk) return;
    const stopping = desk;
    desk = null;
    expect(await stopDeskProcess(stopping, 'SIGINT')).toBe(0);
  };

  beforeAll(async () => {
    database = await createProcessDatabase(kind);
    env = {
      ...database.env,
      DESK_DEMO_COUNT: String(demoCount),
      // On by default with the embedded database; with DATABASE_URL only when asked for.
      ...(kind === 'postgres' ? { DESK_SANDBOXES: 'true' } : {}),
    };
    firstStart = (await running()).output();
  }, 180_000);
  afterAll(async () => {
    await stop().catch(() => desk?.child.kill('SIGKILL'));
    await database?.drop();
  });

  it('When pnpm start meets an empty database, then it seeds DESK_DEMO_COUNT Jiko cases and cases at Fin.com and the generic provider', async () => {
    const seeded = logged(firstStart, 'seeding an empty database');
    expect(seeded).toHaveLength(1);
    // On the embedded database a process of its own makes and seeds it (what seeding grows the
    // embedded database to ends with that process); on Postgres the desk seeds it itself.
    const seededBy = seeded[0]?.pid;
    expect(seededBy).toEqual(expect.any(Number));
    const deskPid = (await running()).child.pid;
    if (kind === 'embedded') expect(seededBy).not.toBe(deskPid);
    else expect(seededBy).toBe(deskPid);
    expect(logged(firstStart, 'a first start: the database is made and seeded by a process of its own')).toHaveLength(
      kind === 'embedded' ? 1 : 0,
    );
    const analyst = await signInClient((await running()).url, 'alex.morgan@desk.example', demoPassword);
    const total = async (provider: Provider) =>
      (await analyst.get<ApplicationStats>(`/api/applications/stats?provider=${provider}`)).body.total;
    expect(await total('jiko')).toBe(demoCount);
    expect(await total('fin')).toBeGreaterThan(0);
    expect(await total('kyc')).toBeGreaterThan(0);
  });

  it('When the demo is seeded, then every README demo account signs in with compliance-desk-demo, in its role', async () => {
    const { url } = await running();
    for (const [email, role] of demoAccounts) {
      const member = await signInClient(url, email, demoPassword);
      expect(member.me).toMatchObject({ email, role });
    }
  });

  it.each(['jiko', 'fin', 'kyc'] as const)(
    'When a %s demo case is refreshed, then the sandbox holding it answers and the refresh is done',
    async (provider) => {
      const senior = await signInClient((await running()).url, 'dana.whitfield@desk.example', demoPassword);
      const queue = await senior.get<{ data: ApplicationSummary[] }>(`/api/applications?provider=${provider}&limit=1`);
      const id = queue.body.data[0]?.id ?? '';
      expect(id).not.toBe('');
      const refresh = await senior.post<ProviderAction>(`/api/applications/${id}/refresh`);
      expect(refresh.status).toBe(202);
      const action = await waitFor(
        async () => {
          const found = (await senior.get<ApplicationDetail>(`/api/applications/${id}`)).body.providerActions.find(
            (a) => a.id === refresh.body.id,
          );
          return (found?.state === 'done' || found?.state === 'failed') && found;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: `the refresh of a ${provider} demo case` },
      );
      expect(action).toMatchObject({ state: 'done', lastError: null });
    },
  );

  it('When the desk is started again on the same data, then it finds its data, seeds nothing more, and seals a number left in clear', async () => {
    await running();
    await stop();
    const clearNumber = `9${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    const before = await database.use(async (db) => {
      const customers = await db
        .selectFrom('customers')
        .select([
          'identification_number',
          'identification_number_last4',
          'identification_number_sealed',
          'identification_number_key_id',
        ])
        .execute();
      expect(customers.length).toBeGreaterThan(demoCount);
      // Every demo number is sealed, its key beside it; none is in clear.
      for (const c of customers) {
        expect(c).toMatchObject({ identification_number: null, identification_number_last4: null });
        expect(c.identification_number_sealed).not.toBeNull();
        expect(c.identification_number_key_id).not.toBeNull();
      }
      // A customer row as it was written before numbers were sealed.
      const { rows } = await sql<{ id: string }>`
        insert into customers (first_name, last_name, email, phone, date_of_birth, street, city, postal_code, country, identification_number, identification_number_last4)
        values ('Early', 'Customer', 'early.customer@example.com', '+15105550000', '1970-01-01', '1 Main St', 'Berkeley', '94701', 'USA', ${clearNumber}, ${clearNumber.slice(-4)})
        returning id`.execute(db);
      return { counts: await rowCounts(db), customerId: rows[0]?.id ?? '' };
    });

    const again = await running();
    expect(logged(again.output(), 'seeding an empty database')).toHaveLength(0);
    expect(logged(again.output(), 'identification numbers sealed')).toEqual([
      expect.objectContaining({ customers: 1 }),
    ]);
    const senior = await signInClient(again.url, 'dana.whitfield@desk.example', demoPassword);
    const revealed = await senior.post<RevealResponse>(`/api/customers/${before.customerId}/reveal`, {
      field: 'identificationNumber',
      reason: 'Checking the number sealed at start-up',
    });
    expect(revealed.status).toBe(200);
    expect(revealed.body.value).toBe(clearNumber);

    await stop();
    await database.use(async (db) => {
      expect(await rowCounts(db)).toEqual(before.counts);
      const { rows } = await sql<Record<string, unknown>>`select * from customers`.execute(db);
      expect(JSON.stringify(rows)).not.toContain(clearNumber);
      const sealed = rows.find((r) => r.id === before.customerId);
      expect(sealed).toMatchObject({ identification_number: null, identification_number_last4: null });
      expect(sealed?.identification_number_sealed).toEqual(expect.any(String));
    });
  });
});
