/**
 * The permission matrix, route by route and role by role: every API route of `apiRoutes` is
 * called as every role and as nobody; a role whose permissions include the route's gets past
 * the gate (whatever the handler then says of the made-up ids), every other role gets 403,
 * nobody gets 401. And the table is complete: every route the server declares is in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, can, matchApiRoute, staffRoles, type ApiRoute, type ErrorBody, type StaffRole } from '@desk/shared';
import { databaseKinds } from '../support/databases.js';
import { repoRoot } from '../support/process.js';
import { emailOf, startTestDesk, testPassword, type DeskClient, type TestDesk } from '../support/desk.js';

const someId = '00000000-0000-4000-8000-000000000001';

/** A concrete path for a route pattern: every parameter a (made-up) UUID, providers a real name. */
function concrete(route: ApiRoute): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'provider' ? 'jiko' : someId));
}

async function call(client: DeskClient, route: ApiRoute): Promise<{ status: number; body: ErrorBody | null }> {
  const init: RequestInit = { method: route.method };
  if (route.method !== 'GET') {
    init.headers = { 'content-type': 'application/json' };
    init.body = '{}';
  }
  const res = await client.fetch(concrete(route), init);
  const text = await res.text();
  let body: ErrorBody | null = null;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

/** Routes declared in the server's route files: `router.get('/path', …)`, under /api. */
function declaredRoutes(): { method: string; path: string }[] {
  const found: { method: string; path: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'sandboxes') walk(full);
      } else if (entry.name.endsWith('.routes.ts') && !entry.name.startsWith('health') && !entry.name.startsWith('file')) {
        const source = readFileSync(full, 'utf8');
        for (const m of source.matchAll(/router\.(get|post|patch|put|delete)\(\s*'([^']+)'/g)) {
          found.push({ method: (m[1] ?? '').toUpperCase(), path: `/api${m[2] ?? ''}` });
        }
      }
    }
  };
  walk(path.join(repoRoot, 'server/src'));
  return found;
}

describe('the route table', () => {
  it('When the server declares a route, then the permission table has it, and the table has nothing else', () => {
    const declared = declaredRoutes();
    expect(declared.length).toBeGreaterThan(20);
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    const inTable = new Set(apiRoutes.map(key));
    const missing = declared.filter((r) => !inTable.has(key(r)));
    expect(missing).toEqual([]);
    const declaredKeys = new Set(declared.map(key));
    // The OpenAPI document is served by the app itself, not a route file.
    const extra = apiRoutes.filter((r) => !declaredKeys.has(key(r)) && r.path !== '/api/openapi.json');
    expect(extra).toEqual([]);
  });

  it('When paths are matched, then literal segments win over parameters', () => {
    expect(matchApiRoute('GET', '/api/applications/stats')?.path).toBe('/api/applications/stats');
    expect(matchApiRoute('GET', `/api/applications/${someId}`)?.path).toBe('/api/applications/:id');
    expect(matchApiRoute('GET', '/api/audit-events/verify')?.path).toBe('/api/audit-events/verify');
    expect(matchApiRoute('DELETE', '/api/applications')).toBeNull();
    expect(matchApiRoute('GET', '/api/applications/a/b/c/d')).toBeNull();
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

  const guarded = apiRoutes.filter((r) => r.access !== 'public');

  it('When nobody is signed in, then every guarded route answers 401 and public ones do not ask for a session', async () => {
    for (const route of apiRoutes) {
      const res = await call(desk.anonymous, route);
      if (route.access === 'public') {
        expect(res.body?.message, `${route.method} ${route.path}`).not.toBe('Sign in to continue');
      } else {
        expect(res.status, `${route.method} ${route.path}`).toBe(401);
        expect(res.body?.code).toBe('unauthenticated');
      }
    }
  });

  it.each(staffRoles)('When a %s calls every route, then exactly the routes of its permissions get past the gate', async (role: StaffRole) => {
    const outcomes: string[] = [];
    for (const route of guarded) {
      // Signing out would end the shared session: it gets a session of its own.
      const client = route.path === '/api/auth/logout' ? await desk.signIn(emailOf(role), testPassword) : desk.as(role);
      const res = await call(client, route);
      const allowed = route.access === 'signedIn' || (route.access !== 'public' && can(role, route.access));
      const label = `${role} ${route.method} ${route.path} → ${res.status} ${res.body?.message ?? ''}`;
      if (allowed) {
        expect(res.status, label).not.toBe(401);
        expect(res.status, label).not.toBe(403);
        expect(res.status, label).toBeLessThan(500);
      } else {
        expect(res.status, label).toBe(403);
        expect(res.body?.code, label).toBe('forbidden');
      }
      outcomes.push(`${allowed ? 'allow' : 'deny'} ${route.method} ${route.path}`);
    }
    expect(outcomes).toHaveLength(guarded.length);
  });

  it('When an unknown API path is called, then it is refused whoever asks', async () => {
    expect((await desk.as('admin').get<ErrorBody>('/api/secret-admin-panel')).status).toBe(404);
    expect((await desk.anonymous.get<ErrorBody>('/api/secret-admin-panel')).status).toBe(404);
  });
});
