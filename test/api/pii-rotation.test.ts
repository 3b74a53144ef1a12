/**
 * Rotating the keys that seal identification numbers, configured as a deployment does it
 * (`loadConfig` over the environment): `DESK_PII_KEYS` lists every key, `DESK_PII_ACTIVE_KEY`
 * names the one new values are sealed with, and each value keeps its key's id beside it. A desk
 * that lists the old key with the new one opens values of both; a desk that no longer lists the
 * old key answers a reveal of an old value 409, naming the key (a configuration problem said
 * as such, never a 500), and reveals and audits nothing.
 */

import { mountSandboxes } from '@desk/sandboxes';
import { createLogger, createPiiVault, createStaff, loadConfig, type RunningDesk, startDesk } from '@desk/server';
import type { ErrorBody, RevealResponse } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { type SignedInClient, signInClient, testPassword } from '../support/desk.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-database.js';

const oldKey = Buffer.alloc(32, 21).toString('base64');
const newKey = Buffer.alloc(32, 22).toString('base64');
const lookupKey = Buffer.alloc(32, 23).toString('base64');

/** The three configurations of a rotation: before, during (both keys, the new one active), after. */
const onlyOld = { DESK_PII_KEYS: `pii-old:${oldKey}`, DESK_PII_LOOKUP_KEY: lookupKey };
// The old key first: were DESK_PII_ACTIVE_KEY ignored, the first listed would seal new values.
const rotating = {
  DESK_PII_KEYS: `pii-old:${oldKey},pii-new:${newKey}`,
  DESK_PII_ACTIVE_KEY: 'pii-new',
  DESK_PII_LOOKUP_KEY: lookupKey,
};
const onlyNew = { DESK_PII_KEYS: `pii-new:${newKey}`, DESK_PII_LOOKUP_KEY: lookupKey };

const reveal = { field: 'identificationNumber', reason: 'Confirming the number on file with the customer' };
const seniorEmail = 'dana@test.desk';

describe.each(databaseKinds)('PII key rotation on %s database', { timeout: 120_000 }, (kind) => {
  let database: ProcessDatabase;
  /** A customer onboarded while only the old key existed, and the number sealed for it. */
  const before = { customerId: '', number: '' };

  /** A desk on this file's database, its PII keys configured from `keys` through loadConfig. */
  async function deskWith(keys: Record<string, string>): Promise<RunningDesk> {
    const config = loadConfig({ ...database.env, ...keys, PORT: '0', LOG_LEVEL: 'silent' });
    return startDesk({
      database: config.databaseUrl
        ? { kind: 'url', url: config.databaseUrl, poolSize: config.poolSize }
        : { kind: 'embedded', dataDir: config.dataDir },
      port: config.port,
      logger: createLogger(config.logLevel),
      sandboxes: mountSandboxes({ decisionDelayMs: 100 }),
      pii: config.pii ?? undefined,
      reconcileEverySeconds: 0,
    });
  }

  /** Runs `work` as a senior analyst on a desk configured with `keys`, then stops that desk. */
  async function withDesk(
    keys: Record<string, string>,
    work: (desk: RunningDesk, senior: SignedInClient) => Promise<void>,
  ): Promise<void> {
    const desk = await deskWith(keys);
    try {
      await work(desk, await signInClient(desk.url, seniorEmail, testPassword));
    } finally {
      await desk.close();
    }
  }

  async function onboard(senior: SignedInClient, desk: RunningDesk): Promise<{ customerId: string; number: string }> {
    const person = applicant('4');
    const created = await senior.post<{ id: string }>('/api/applications', intakeRequest('jiko', person));
    expect(created.status).toBe(201);
    const row = await desk.db
      .selectFrom('applications')
      .select('customer_id')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    return { customerId: row.customer_id, number: person.identificationNumber };
  }

  const sealedOf = (desk: RunningDesk, customerId: string) =>
    desk.db
      .selectFrom('customers')
      .select(['identification_number', 'identification_number_sealed', 'identification_number_key_id'])
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();

  const revealsOf = async (desk: RunningDesk, customerId: string) =>
    (
      await desk.db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'customer.pii_revealed')
        .where('entity_id', '=', customerId)
        .execute()
    ).length;

  beforeAll(async () => {
    database = await createProcessDatabase(kind);
    // Before the rotation: the staff member, and a customer sealed under the only key there is.
    const desk = await deskWith(onlyOld);
    try {
      await createStaff(
        desk.db,
        { email: seniorEmail, name: 'Dana', role: 'senior_analyst', password: testPassword },
        { kind: 'system' },
      );
      Object.assign(before, await onboard(await signInClient(desk.url, seniorEmail, testPassword), desk));
      const stored = await sealedOf(desk, before.customerId);
      expect(stored.identification_number).toBeNull();
      expect(stored.identification_number_key_id).toBe('pii-old');
    } finally {
      await desk.close();
    }
  }, 180_000);
  afterAll(async () => {
    await database?.drop();
  });

  it('When the old key stays listed beside a new active one, then old values still open and new ones are sealed with the active key, its id stored beside each', async () => {
    await withDesk(rotating, async (desk, senior) => {
      const old = await senior.post<RevealResponse>(`/api/customers/${before.customerId}/reveal`, reveal);
      expect(old.status).toBe(200);
      expect(old.body.value).toBe(before.number);

      const added = await onboard(senior, desk);
      const stored = await sealedOf(desk, added.customerId);
      expect(stored.identification_number).toBeNull();
      expect(stored.identification_number_key_id).toBe('pii-new');
      expect((await sealedOf(desk, before.customerId)).identification_number_key_id).toBe('pii-old');
      // Sealed with the new key's material, not only labelled with its id: the new key alone opens it.
      const newOnly = createPiiVault({
        keys: { 'pii-new': Buffer.from(newKey, 'base64') },
        activeKeyId: 'pii-new',
        lookupKey: Buffer.from(lookupKey, 'base64'),
      });
      expect(newOnly.open({ sealed: stored.identification_number_sealed ?? '', keyId: 'pii-new' })).toBe(added.number);
      const revealed = await senior.post<RevealResponse>(`/api/customers/${added.customerId}/reveal`, reveal);
      expect(revealed.status).toBe(200);
      expect(revealed.body.value).toBe(added.number);
    });
  });

  it('When a desk no longer lists the old key, then revealing a value sealed with it is a 409 naming the key, with nothing revealed or audited, and newer values still open', async () => {
    await withDesk(onlyNew, async (desk, senior) => {
      const auditedBefore = await revealsOf(desk, before.customerId);
      const refused = await senior.post<ErrorBody & Partial<RevealResponse>>(
        `/api/customers/${before.customerId}/reveal`,
        reveal,
      );
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('conflict');
      expect(refused.body.message).toMatch(/pii-old/);
      expect(refused.body.message).toMatch(/DESK_PII_KEYS/);
      expect(JSON.stringify(refused.body)).not.toContain(before.number);
      expect(await revealsOf(desk, before.customerId)).toBe(auditedBefore);

      const added = await onboard(senior, desk);
      expect((await sealedOf(desk, added.customerId)).identification_number_key_id).toBe('pii-new');
      const revealed = await senior.post<RevealResponse>(`/api/customers/${added.customerId}/reveal`, reveal);
      expect(revealed.status).toBe(200);
      expect(revealed.body.value).toBe(added.number);
    });
  });
});
