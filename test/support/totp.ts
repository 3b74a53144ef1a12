/**
 * What an authenticator app shows: the TOTP code (RFC 6238 — SHA-1, 6 digits, 30-second steps)
 * of a base32 secret, `stepsAhead` steps from now. The desk accepts a code one step either side
 * of its clock and never a step it accepted before, so a second sign-in within the same step
 * uses the next step's code.
 */
import { Secret, TOTP } from 'otpauth';

export const totpCodeOf = (secret: string, stepsAhead = 0): string =>
  new TOTP({
    secret: Secret.fromBase32(secret.replace(/\s+/g, '')),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
