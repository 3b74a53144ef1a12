/**
 * Signed, expiring URLs for document files the desk holds, for providers that fetch files
 * rather than receive them (the generic provider reads `frontImageUrl`). A URL names the file
 * and its expiry and carries an HMAC-SHA256 of both under a key generated into the database
 * at migration, so every desk process (API or worker) signs and checks alike. Nothing else
 * grants access: an altered, expired or unknown token is a plain 404.
 *
 *   /files/<kind>.<id>.<expires (unix s)>.<signature (base64url)>
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { sameSecret } from '../http/secrets.js';

export const fileKinds = ['document', 'rfi-answer'] as const;
export type FileKind = (typeof fileKinds)[number];

/** Long enough for a provider that reviews days later to still fetch the file. */
export const fileUrlLifetimeSeconds = 30 * 24 * 3600;

export type FileUrls = {
  urlFor(kind: FileKind, id: string, now?: Date): string;
  /** The file a token names, or null when it is not one this desk signed or it expired. */
  verify(token: string, now?: Date): { kind: FileKind; id: string } | null;
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createFileUrls(key: string, publicUrl: () => string): FileUrls {
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    urlFor(kind, id, now = new Date()) {
      const expires = Math.floor(now.getTime() / 1000) + fileUrlLifetimeSeconds;
      const payload = `${kind}.${id}.${expires}`;
      return `${publicUrl()}/files/${payload}.${sign(payload)}`;
    },
    verify(token, now = new Date()) {
      const parts = token.split('.');
      if (parts.length !== 4) return null;
      const [kind, id, expires, signature] = parts as [string, string, string, string];
      const knownKind = fileKinds.find((k) => k === kind);
      if (!knownKind || !uuidPattern.test(id) || !/^\d{1,12}$/.test(expires)) return null;
      if (!sameSecret(sign(`${kind}.${id}.${expires}`), signature)) return null;
      if (Number(expires) * 1000 < now.getTime()) return null;
      return { kind: knownKind, id };
    },
  };
}

/** The signing key the first migration of multi-provider support generated. */
export async function loadFileUrlKey(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('desk_secrets')
    .select('value')
    .where('name', '=', 'file_url_signing_key')
    .executeTakeFirstOrThrow();
  return row.value;
}
