/**
 * The permission matrix, route by route and role by role: every route of the route table is
 * called as every role and as nobody; a role whose permissions include the route's gets past
 * the gate (whatever the handler then says of the made-up ids), every other role gets 403,
 * nobody gets 401. And the table is the only way in: no server file registers a path itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { can, type ErrorBody, matchRoute, type RouteSpec, routes, type StaffRole, staffRoles } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { type DeskClient, emailOf, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';
import { repoRoot } from '../support/process.js';

const someId = '00000000-0000-4000-8000-000000000001';
const table = Object.entries(routes) as [string, RouteSpec][];

/** A concrete path for a route pattern: every parameter a (made-up) UUID, providers a real name. */
function concrete(spec: RouteSpec): string {
  return spec.path.replace(/:([A-Za-z]+)/g, (_m: string, name: string) => (name === 'provider' ? 'jiko' : someId));
}

async function call(client: DeskClient, spec: RouteSpec): Promise<{ status: number; body: ErrorBody | null }> {
  const init: RequestInit = { method: spec.method };
  if (spec.method !== 'GET') {
    init.headers = { 'content-type': 'application/json' };
    init.body = '{}';
  }
  const res = await client.fetch(concrete(spec), init);
  const text = await res.text();
  let body: ErrorBody | null = null;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

/** Every place in the server's code that registers an HTTP path with Express itself. */
function ownRegistrations(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const source = readFileSync(full, 'utf8');
        for (const m of source.matchAll(
          /\b(?:router|app|api)\.(?:get|post|patch|put|delete|all|route)\(\s*([^,)]*)/g,
        )) {
          found.push(`${path.relative(repoRoot, full)}: ${m[0]}`);
        }
        if (/\bRouter\(/.test(source)) found.push(`${path.relative(repoRoot, full)}: Router()`);
      }
    }
  };
  walk(path.join(repoRoot, 'server/src'));
  return found;
}

describe('the route table', () => {
  it('When the server code is read, then nothing registers a path of its own but the SPA fallback', () => {
    // The dispatcher serves the table; the only other path is the SPA shell for client routes.
    expect(ownRegistrations()).toEqual(['server/src/app.ts: app.get(/.*/']);
  });

  it('When paths are matched, then literal segments win over parameters and nothing is normalised', () => {
    const nameOf = (method: string, p: string) => {
      const match = matchRoute(method, p);
      return match?.kind === 'route' ? match.name : (match?.kind ?? null);
    };
    expect(nameOf('GET', '/api/applications/stats')).toBe('getApplicationStats');
    expect(nameOf('GET', `/api/applications/${someId}`)).toBe('getApplication');
    expect(nameOf('POST', '/api/applications/next')).toBe('claimNextCase');
    expect(nameOf('GET', '/api/applications/next')).toBe('getApplication');
    expect(nameOf('GET', '/api/audit-events/verify')).toBe('verifyAuditChain');
    expect(nameOf('DELETE', '/api/applications')).toBe('method');
    expect(nameOf('GET', '/api/applications/a/b/c/d')).toBeNull();
    expect(nameOf('GET', '/api/applications/')).toBeNull();
    expect(nameOf('GET', '/API/applications')).toBeNull();
    expect(nameOf('GET', '/api//applications')).toBeNull();
    expect(nameOf('GET', '/api/./applications')).toBeNull();
    expect(nameOf('GET', '/api/%61pplications')).toBeNull();
    const withEncodedId = matchRoute('GET', `/api/applications/${encodeURIComponent('a/b')}`);
    expect(withEncodedId?.kind === 'route' && withEncodedId.params.id).toBe('a/b');
  });
});

describe.each(databaseKinds)('route × role matrix on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const guarded = table.filter(([, spec]) => spec.access !== 'public');

  it('When nobody is signed in, then every guarded route answers 401 and public ones do not ask for a session', async () => {
    for (const [name, spec] of table) {
      const res = await call(desk.anonymous, spec);
      if (spec.access === 'public') {
        expect(res.body?.message, name).not.toBe('Sign in to continue');
      } else {
        expect(res.status, name).toBe(401);
        expect(res.body?.code).toBe('unauthenticated');
      }
    }
  });

  it.each(staffRoles)(
    'When a %s calls every route, then exactly the routes of its permissions get past the gate',
    async (role: StaffRole) => {
      const outcomes: string[] = [];
      for (const [name, spec] of guarded) {
        // Signing out would end the shared session: it gets a session of its own.
        const client = name === 'signOut' ? await desk.signIn(emailOf(role), testPassword) : desk.as(role);
        const res = await call(client, spec);
        const allowed = spec.access === 'signedIn' || (spec.access !== 'public' && can(role, spec.access));
        const label = `${role} ${name} → ${res.status} ${res.body?.message ?? ''}`;
        if (allowed) {
          expect(res.status, label).not.toBe(401);
          expect(res.status, label).not.toBe(403);
          expect(res.status, label).toBeLessThan(500);
        } else {
          expect(res.status, label).toBe(403);
          expect(res.body?.code, label).toBe('forbidden');
        }
        outcomes.push(`${allowed ? 'allow' : 'deny'} ${name}`);
      }
      expect(outcomes).toHaveLength(guarded.length);
    },
  );

  it('When an unknown API path is called, then it is refused whoever asks', async () => {
    expect((await desk.as('admin').get<ErrorBody>('/api/secret-admin-panel')).status).toBe(404);
    expect((await desk.anonymous.get<ErrorBody>('/api/secret-admin-panel')).status).toBe(404);
  });

  it('When a route is called with a method it does not take, then 405 names the methods it does', async () => {
    const res = await desk
      .as('analyst')
      .fetch('/api/applications', { method: 'DELETE', headers: { origin: desk.url } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    // "Next case" changes state: it is never a GET (a GET there asks for a case named "next").
    const asGet = await desk.as('analyst').get<ErrorBody>('/api/applications/next');
    expect(asGet.status).toBe(400);
    expect(Object.keys(asGet.body.errors ?? {})).toEqual(['id']);
  });
});
