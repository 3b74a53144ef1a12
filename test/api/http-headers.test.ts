/**
 * Hardened HTTP: security headers on every answer (the SPA shell, an API route, a file link
 * and an error), `no-store` on API answers, no source maps served, and the CSRF check that
 * compares an `Origin` with this desk's scheme, host and port.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ErrorBody } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { type RawReply, rawRequest } from '../support/raw-http.js';

function expectHardened(res: RawReply, label: string) {
  const csp = String(res.headers['content-security-policy'] ?? '');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name ?? '', values]),
  );
  expect(directives.get('frame-ancestors'), `${label}: ${csp}`).toEqual(["'none'"]);
  const scripts = directives.get('script-src') ?? directives.get('default-src') ?? [];
  expect(scripts, `${label}: ${csp}`).not.toContain("'unsafe-inline'");
  expect(scripts, `${label}: ${csp}`).not.toContain("'unsafe-eval'");
  expect(res.headers['x-content-type-options'], label).toBe('nosniff');
  expect(res.headers['referrer-policy'], label).toBe('no-referrer');
  expect(res.headers['cross-origin-opener-policy'], label).toBe('same-origin');
  expect(res.headers['x-powered-by'], label).toBeUndefined();
}

describe.each(databaseKinds)('HTTP hardening on %s database', (kind) => {
  let desk: TestDesk;
  let clientDir: string;
  beforeAll(async () => {
    clientDir = mkdtempSync(path.join(tmpdir(), 'desk-spa-'));
    mkdirSync(path.join(clientDir, 'assets'));
    writeFileSync(
      path.join(clientDir, 'index.html'),
      '<!doctype html><title>Compliance Desk</title><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'console.log("desk")');
    writeFileSync(path.join(clientDir, 'assets', 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
    desk = await startTestDesk(kind, { clientDir });
  });
  afterAll(async () => {
    await desk?.stop();
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('When the SPA, an API route, a file link and an unknown path are fetched, then each carries the security headers', async () => {
    const cookie = desk.as('analyst').cookie;
    const answers: [string, RawReply][] = [
      ['/', await rawRequest(desk.url, 'GET', '/')],
      ['/applications', await rawRequest(desk.url, 'GET', '/applications')],
      ['/assets/app.js', await rawRequest(desk.url, 'GET', '/assets/app.js')],
      ['/api/applications', await rawRequest(desk.url, 'GET', '/api/applications', { headers: { cookie } })],
      ['/api/auth/me (401)', await rawRequest(desk.url, 'GET', '/api/auth/me')],
      ['/files/not-a-token (404)', await rawRequest(desk.url, 'GET', '/files/not-a-token')],
      ['/api/nothing (404)', await rawRequest(desk.url, 'GET', '/api/nothing')],
    ];
    expect(answers.map(([, res]) => res.status)).toEqual([200, 200, 200, 200, 401, 404, 404]);
    for (const [label, res] of answers) expectHardened(res, label);
  });

  it('When an API route answers, then nothing may keep the answer', async () => {
    const res = await rawRequest(desk.url, 'GET', '/api/applications', {
      headers: { cookie: desk.as('analyst').cookie },
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const error = await rawRequest(desk.url, 'GET', '/api/customers/not-an-id', {
      headers: { cookie: desk.as('support').cookie },
    });
    expect(error.status).toBe(400);
    expect(error.headers['cache-control']).toBe('no-store');
  });

  it('When a source map is asked for, then none is served even if one lies in the build', async () => {
    const res = await rawRequest(desk.url, 'GET', '/assets/app.js.map');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('secret.ts');
  });

  it('When a state change comes with an Origin of another scheme, port or host, then it is refused and nothing changes', async () => {
    const client = desk.as('analyst');
    const own = new URL(desk.url);
    const others = [
      `https://${own.host}`,
      `http://${own.hostname}:${Number(own.port) + 1}`,
      `http://evil.example:${own.port}`,
      'null',
    ];
    for (const origin of others) {
      const res = await client.fetch('/api/saved-filters', {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', query: 'stage=rfi' }),
      });
      expect(res.status, origin).toBe(403);
      expect(((await res.json()) as ErrorBody).message, origin).toContain('Cross-site');
    }
    expect((await client.get<{ data: unknown[] }>('/api/saved-filters')).body.data).toEqual([]);
    const same = await client.post('/api/saved-filters', { name: 'x', query: 'stage=rfi' });
    expect(same.status).toBe(201);
  });
});
