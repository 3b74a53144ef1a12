import { describe, expect, it } from 'vitest';
import { createLogger, loggableError, scrubLogLine } from './logger.js';

/** A logger writing into an array, at debug level. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

describe('log lines without secrets or personal data', () => {
  it('When a line carries an identification number, an email, a file link, a cookie or a bearer token anywhere, then each is replaced and the line stays JSON', () => {
    const line = JSON.stringify({
      msg: 'provider answered 422: ssn 123-45-6789 for ada@example.com rejected',
      err: 'fetch https://desk.example/files/document.8c1f7e2a-1b2c-4d3e-8f90-123456789abc.1790000000.abcDEF_-123 failed',
      detail: {
        plain: 'id 123456789.',
        spaced: '123 45 6789',
        cookie: 'desk_session=abcdefghijklmnopqrstuvwxyz; desk_device=1.2.3',
        auth: 'Bearer s3cr3t-token',
      },
      asNumber: 123456789,
    });
    const scrubbed = scrubLogLine(line);
    const parsed = JSON.parse(scrubbed) as Record<string, unknown>;
    expect(scrubbed).not.toMatch(/123-?45-?6789|123 45 6789|ada@example\.com|abcDEF|abcdefghij|s3cr3t/);
    expect(parsed.asNumber).toBe('[redacted]');
    expect(scrubbed).toContain('/files/[redacted]');
    expect(scrubbed).toContain('desk_session=[redacted]');
    expect(scrubbed).toContain('Bearer [redacted]');
  });

  it('When a line carries ids, times and counts, then they are left as they are', () => {
    const line = JSON.stringify({
      time: 1_790_000_000_123,
      id: '8c1f7e2a-1b2c-4d3e-8f90-123456789abc',
      at: '2026-11-01T12:00:00.000Z',
      phone: '+15105551234',
      responseTime: 12,
      url: '/api/applications?limit=20',
    });
    expect(scrubLogLine(line)).toBe(line);
  });

  it('When a log call names a secret or personal field, then it is removed', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'hunter2',
        body: { reason: 'because' },
        data: { identificationNumber: '555443333', q: 'Ada Lovelace' },
      },
      'hello',
    );
    expect(lines.join('')).not.toMatch(/hunter2|because|555443333|Ada Lovelace/);
  });

  it('When a database error is logged, then the value it quotes and its detail are not', () => {
    const err = Object.assign(new Error('invalid input syntax for type uuid: "Ada Lovelace"'), {
      severity: 'ERROR',
      code: '22P02',
      detail: 'Key (email)=(ada@lovelace.example) already exists.',
      routine: 'string_to_uuid',
    });
    const serialized = loggableError(err) as Record<string, unknown>;
    expect(serialized.message).toBe('invalid input syntax for type uuid: "[redacted]"');
    expect(serialized.detail).toBeUndefined();
    expect(serialized.code).toBe('22P02');
    const { logger, lines } = capture();
    logger.error({ err }, 'unhandled error');
    expect(lines.join('')).not.toMatch(/Ada Lovelace|lovelace/);
  });
});
