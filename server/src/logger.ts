import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Credentials and personal data never reach a log line: cookies, authorization
 * headers, the session cookie being set, and any identification number or password field.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'compliance-desk' },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'res.headers["set-cookie"]',
          '*.identificationNumber',
          '*.identification_number',
          '*.password',
        ],
        remove: true,
      },
    },
    destination,
  );
}
