/**
 * Staff passwords: argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane),
 * stored as PHC strings so parameters can be raised later without a migration.
 */
import { hash, verify } from '@node-rs/argon2';

/** `algorithm: 2` is Argon2id (the library's enum is const, which this build cannot import). */
const parameters = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, parameters);
}

/** A hash no password matches, verified for unknown emails so timing does not tell them apart. */
let decoy: Promise<string> | null = null;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    decoy ??= hashPassword('decoy password nobody has');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
