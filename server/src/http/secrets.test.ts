import { describe, expect, it } from 'vitest';
import { sameSecret } from './secrets.js';

describe('comparing secrets', () => {
  it('When two secrets are compared, then only equal ones match, whatever their lengths', () => {
    expect(sameSecret('Bearer token-0123456789', 'Bearer token-0123456789')).toBe(true);
    expect(sameSecret('Bearer token-0123456789', 'Bearer token-0123456788')).toBe(false);
    expect(sameSecret('Bearer token-0123456789', 'Bearer token')).toBe(false);
    expect(sameSecret('Bearer token-0123456789', '')).toBe(false);
    expect(sameSecret(Buffer.from('signature'), 'signature')).toBe(true);
  });
});
