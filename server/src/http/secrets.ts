/**
 * The one comparison of secrets (bearer tokens, signatures, cookie MACs). `===` stops at the
 * first differing character, so its timing tells an attacker how much of a guess was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets are equal, in a time that depends on neither. Both are hashed to 32 bytes
 * first: `timingSafeEqual` needs equal lengths, and comparing digests hides the length of the
 * expected value as well.
 */
export function sameSecret(expected: string | Buffer, given: string | Buffer): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
