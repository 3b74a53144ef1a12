/**
 * Identification numbers at rest: sealed with AES-256-GCM under a named key (the key id is
 * stored next to each value, so keys can be rotated: new values take the active key, old ones
 * open with theirs), and the last four digits kept only as an HMAC-SHA-256 under a separate
 * lookup key, so support can find a customer by them without the desk storing them.
 *
 * Keys come from configuration (`DESK_PII_KEYS`, `DESK_PII_LOOKUP_KEY`). The embedded demo
 * database generates its own into `desk_secrets` — convenient for trying the desk, and no
 * protection for a copied data folder, which is why a DATABASE_URL desk requires configured keys.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { CustomerTable, Database } from '../db/schema.js';

export type PiiKeySettings = {
  /** Key id → 32-byte key. */
  keys: Record<string, Buffer>;
  activeKeyId: string;
  lookupKey: Buffer;
};

export type Sealed = { sealed: string; keyId: string };

/**
 * A sealed value this desk cannot open: its key id is not among the configured keys (an old
 * key dropped from DESK_PII_KEYS too early), or the value does not authenticate under the key
 * of that id. A configuration problem to name, not a crash.
 */
export class PiiKeyUnavailableError extends Error {
  constructor(readonly keyId: string) {
    super(`PII key ${keyId} is not configured, or is not the key this value was sealed with`);
    this.name = 'PiiKeyUnavailableError';
  }
}

export type PiiVault = {
  seal(clear: string): Sealed;
  open(value: Sealed): string;
  /** The keyed hash lookups use for the last four digits. */
  last4Hash(last4: string): string;
  /** Sealed value, key id and last-four hash for a new identification number. */
  protect(identificationNumber: string): {
    identification_number_sealed: string;
    identification_number_key_id: string;
    identification_number_last4_hash: string;
  };
};

export function createPiiVault(settings: PiiKeySettings): PiiVault {
  const active = settings.keys[settings.activeKeyId];
  if (active?.length !== 32) throw new Error(`PII key ${settings.activeKeyId} must be 32 bytes`);
  for (const [id, key] of Object.entries(settings.keys)) {
    if (key.length !== 32) throw new Error(`PII key ${id} must be 32 bytes`);
  }
  if (settings.lookupKey.length < 32) throw new Error('The PII lookup key must be at least 32 bytes');

  const vault: PiiVault = {
    seal(clear) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active, iv);
      cipher.setAAD(Buffer.from(settings.activeKeyId));
      const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
      return {
        sealed: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url'),
        keyId: settings.activeKeyId,
      };
    },
    open({ sealed, keyId }) {
      const key = settings.keys[keyId];
      if (!key) throw new PiiKeyUnavailableError(keyId);
      const bytes = Buffer.from(sealed, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAAD(Buffer.from(keyId));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        // GCM refuses a value sealed under other key material that bears the same id.
        throw new PiiKeyUnavailableError(keyId);
      }
    },
    last4Hash(last4) {
      return createHmac('sha256', settings.lookupKey).update(`last4:${last4}`).digest('hex');
    },
    protect(identificationNumber) {
      const { sealed, keyId } = vault.seal(identificationNumber);
      return {
        identification_number_sealed: sealed,
        identification_number_key_id: keyId,
        identification_number_last4_hash: vault.last4Hash(identificationNumber.replace(/\D/g, '').slice(-4)),
      };
    },
  };
  return vault;
}

/** `id:base64key,id:base64key` (the first is active unless named). */
export function parsePiiKeys(keys: string, lookupKey: string, activeKeyId?: string): PiiKeySettings {
  const parsed: Record<string, Buffer> = {};
  for (const entry of keys
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new Error('DESK_PII_KEYS entries are id:base64key');
    parsed[entry.slice(0, colon)] = Buffer.from(entry.slice(colon + 1), 'base64');
  }
  const first = Object.keys(parsed)[0];
  if (!first) throw new Error('DESK_PII_KEYS names no key');
  return { keys: parsed, activeKeyId: activeKeyId ?? first, lookupKey: Buffer.from(lookupKey, 'base64') };
}

/** Generates a fresh key set (the embedded demo, tests). */
export function generatePiiKeys(keyId = 'generated-1'): PiiKeySettings {
  return { keys: { [keyId]: randomBytes(32) }, activeKeyId: keyId, lookupKey: randomBytes(32) };
}

/** The embedded database's own keys, generated on first use and kept in `desk_secrets`. */
export async function loadEmbeddedPiiKeys(db: Kysely<Database>): Promise<PiiKeySettings> {
  const names = ['pii_key_embedded-1', 'pii_lookup_key'];
  await db
    .insertInto('desk_secrets')
    .values(names.map((name) => ({ name, value: randomBytes(32).toString('base64') })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const rows = await db.selectFrom('desk_secrets').select(['name', 'value']).where('name', 'in', names).execute();
  const value = (name: string) => Buffer.from(rows.find((r) => r.name === name)?.value ?? '', 'base64');
  return {
    keys: { 'embedded-1': value('pii_key_embedded-1') },
    activeKeyId: 'embedded-1',
    lookupKey: value('pii_lookup_key'),
  };
}

/**
 * Seals identification numbers still held in clear (rows written before encryption), in
 * batches, and empties the clear columns. Idempotent; runs at start-up.
 */
export async function sealClearIdentificationNumbers(db: Kysely<Database>, vault: PiiVault): Promise<number> {
  let sealed = 0;
  for (;;) {
    const batch = await db
      .selectFrom('customers')
      .select(['id', 'identification_number'])
      .where('identification_number', 'is not', null)
      .limit(500)
      .execute();
    if (batch.length === 0) return sealed;
    await db.transaction().execute(async (trx) => {
      for (const row of batch) {
        if (row.identification_number === null) continue;
        await trx
          .updateTable('customers')
          .set({
            ...vault.protect(row.identification_number),
            identification_number: null,
            identification_number_last4: null,
          })
          .where('id', '=', row.id)
          .execute();
      }
    });
    sealed += batch.length;
  }
}

type SealedColumns =
  | 'identification_number'
  | 'identification_number_last4'
  | 'identification_number_sealed'
  | 'identification_number_key_id'
  | 'identification_number_last4_hash';

/** A customer row as generated (demo data, intake), its identification number still in clear. */
export type ClearCustomer = Omit<Insertable<CustomerTable>, SealedColumns> & { identificationNumber: string };

/** The row to insert: the identification number sealed, its last four hashed. */
export function sealCustomer(
  vault: PiiVault,
  { identificationNumber, ...rest }: ClearCustomer,
): Insertable<CustomerTable> {
  return { ...rest, ...vault.protect(identificationNumber) };
}

/** The clear identification number of a customer row (reveal, demo registration at a sandbox). */
export function openIdentificationNumber(
  vault: PiiVault,
  row: { identification_number_sealed: string | null; identification_number_key_id: string | null },
): string | null {
  if (row.identification_number_sealed === null || row.identification_number_key_id === null) return null;
  return vault.open({ sealed: row.identification_number_sealed, keyId: row.identification_number_key_id });
}
