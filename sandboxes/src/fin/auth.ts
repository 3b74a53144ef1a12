/**
 * Every route needs `Authorization: Bearer <access token>`, the one token the sandbox is
 * configured with (the guide's <YOUR_ACCESS_TOKEN>; how a partner obtains it is outside the
 * guide). Missing, malformed or wrong → 401 `{ error: { code: "unauthorized", message } }`
 * with `WWW-Authenticate: Bearer`.
 */
import type { RequestHandler } from 'express';
import { FinError, headerValue } from './http.js';
import { secretsEqual } from './signing.js';

export function requireAccessToken(apiToken: string): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(req, 'authorization') ?? '');
    if (!match?.[1] || !secretsEqual(apiToken, match[1])) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw FinError.coded(401, 'unauthorized', match?.[1] ? 'Invalid access token' : 'Missing access token');
    }
    next();
  };
}
