/**
 * One meaning per path: for every route of the table, spellings that differ from its path
 * (letter case, trailing or doubled slashes, percent-encoded letters, dot segments, other
 * separators) are sent byte for byte as nobody and as every role. None of them reaches the
 * route: each is answered 4xx, a spelling that happens to name another route (a literal read
 * as a parameter) meets that route's own gate, and nothing changes in the database.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { can, matchRoute, type RouteSpec, routes, type StaffRole, staffRoles } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { rawRequest } from '../support/raw-http.js';

const someId = '00000000-0000-4000-8000-000000000001';
const table = Object.entries(routes) as [string, RouteSpec][];

function concrete(spec: RouteSpec): string {
  return spec.path.replace(/:([A-Za-z]+)/g, (_m: string, name: string) => (name === 'provider' ? 'jiko' : someId));
}

const percentEncoded = (segment: string) => `%${segment.charCodeAt(0).toString(16).toUpperCase()}${segment.slice(1)}`;
const capitalised = (segment: string) => `${segment.charAt(0).toUpperCase()}${segment.slice(1)}`;

/** Spellings of a route's path that are not its path. */
function variantsOf(spec: RouteSpec): string[] {
  const exact = concrete(spec);
  const parts = exact.split('/');
  const literal = spec.path.split('/').map((part, i) => i > 0 && !part.startsWith(':'));
  const withPart = (i: number, value: string) => parts.map((p, j) => (j === i ? value : p)).join('/');
  const variants = new Set<string>([
    exact.toUpperCase(),
    `${exact}/`,
    `/${exact}`,
    `${exact}/.`,
    `${exact};x=1`,
    `${exact}%00`,
    exact.replaceAll('/', '\\'),
    exact.replace('/', '/./'),
  ]);
  parts.forEach((part, i) => {
    if (!literal[i] || part === '') return;
    variants.add(withPart(i, capitalised(part)));
    variants.add(withPart(i, part.toUpperCase()));
    variants.add(withPart(i, percentEncoded(part)));
    variants.add(withPart(i, percentEncoded(part).toLowerCase()));
    variants.add(withPart(i, `${part}/`).replace(`${part}/`, `${part}//`));
    variants.add(withPart(i, `x/../${part}`));
  });
  if (parts.length > 2) variants.add(`/${parts[1]}%2F${parts.slice(2).join('/')}`);
  variants.delete(exact);
  return [...variants];
}

describe.each(databaseKinds)('path spellings on %s database', (kind) => {
  let desk: TestDesk;
  let clientDir: string;
  beforeAll(async () => {
    // The SPA shell is served for client-side routes: it must not answer for any of these either.
    clientDir = mkdtempSync(path.join(tmpdir(), 'desk-spa-'));
    writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>SPA shell</title>');
    desk = await startTestDesk(kind, { demoCount: 5, clientDir });
  });
  afterAll(async () => {
    await desk?.stop();
    rmSync(clientDir, { recursive: true, force: true });
  });

  const countChanges = async () => {
    const audit = await desk.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const held = await desk.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('assignee_id', 'is not', null)
      .executeTakeFirstOrThrow();
    return { audit: Number(audit.n), held: Number(held.n) };
  };

  it('When every route is spelt differently as nobody and as every role, then none reaches it and nothing changes', async () => {
    const before = await countChanges();
    const callers: { role: StaffRole | null; cookie: string | null }[] = [
      { role: null, cookie: null },
      ...staffRoles.map((role) => ({ role, cookie: desk.as(role).cookie })),
    ];
    let sent = 0;
    for (const [name, spec] of table) {
      for (const variant of variantsOf(spec)) {
        for (const caller of callers) {
          const headers: Record<string, string> = { origin: desk.url };
          if (caller.cookie) headers.cookie = caller.cookie;
          const body = spec.method === 'GET' ? undefined : '{}';
          if (body) headers['content-type'] = 'application/json';
          const res = await rawRequest(desk.url, spec.method, variant, { headers, ...(body ? { body } : {}) });
          sent += 1;
          const label = `${caller.role ?? 'nobody'} ${spec.method} ${variant} (a spelling of ${name}) → ${res.status} ${res.body.slice(0, 120)}`;
          expect(res.status, label).toBeGreaterThanOrEqual(400);
          expect(res.status, label).toBeLessThan(500);
          expect(res.body, label).not.toContain('SPA shell');
          // A spelling that names another route exactly (a literal read as a parameter) met that route's gate.
          const other = matchRoute(spec.method, variant);
          if (other?.kind === 'route' && other.spec.access !== 'public') {
            const allowed =
              caller.role !== null && (other.spec.access === 'signedIn' || can(caller.role, other.spec.access));
            if (!allowed) expect([401, 403], label).toContain(res.status);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(table.length * 10 * callers.length);
    expect(await countChanges()).toEqual(before);
  });

  it('When the exact path is used, then the route answers (the spellings above were refused for their spelling alone)', async () => {
    const res = await rawRequest(desk.url, 'GET', '/api/applications', {
      headers: { cookie: desk.as('analyst').cookie },
    });
    expect(res.status).toBe(200);
    const spa = await rawRequest(desk.url, 'GET', '/applications/some-case/show');
    expect(spa.status).toBe(200);
    expect(spa.body).toContain('SPA shell');
  });
});
