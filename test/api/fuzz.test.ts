/**
 * No input yields a 5xx: every route of the table is sent requests generated from its own
 * schemas with hostile values mixed in (see `support/fuzz-requests.ts`), as a role that may use
 * it, on both databases; not one answer is 5xx and the desk still answers afterwards. The
 * number of runs is bounded so the suite stays quick; fast-check prints the seed and the
 * smallest failing request when a run fails.
 */

import { can, type RouteSpec, routes, type StaffRole, staffRoles } from '@desk/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { emailOf, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';
import { type KnownIds, requestsFor } from '../support/fuzz-requests.js';
import { rawRequest } from '../support/raw-http.js';

const runsPerRoute = Number(process.env.DESK_FUZZ_RUNS ?? 50);

/** Sign-in is fuzzed last: its failures throttle the address every other request comes from. */
const table = (Object.entries(routes) as [string, RouteSpec][]).sort(
  ([a], [b]) => Number(a === 'signIn') - Number(b === 'signIn'),
);

/** The role that may use a route (null: public), preferring one that may do most. */
function roleFor(spec: RouteSpec): StaffRole | null {
  if (spec.access === 'public') return null;
  const access = spec.access;
  const order: StaffRole[] = ['senior_analyst', 'analyst', 'auditor', 'admin', 'support'];
  return order.find((role) => access === 'signedIn' || can(role, access)) ?? staffRoles[0];
}

describe.each(databaseKinds)('fuzzing every route on %s database', (kind) => {
  let desk: TestDesk;
  let ids: KnownIds;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 20 });
    // Real ids take some requests past "not found"; staff ids are left out, so the fuzzing of
    // staff changes cannot end the sessions the other routes are fuzzed with.
    const [applications, customers] = await Promise.all([
      desk.db.selectFrom('applications').select(['id', 'provider_application_id']).limit(3).execute(),
      desk.db.selectFrom('customers').select('id').limit(2).execute(),
    ]);
    ids = [...applications.flatMap((a) => [a.id, a.provider_application_id]), ...customers.map((c) => c.id)];
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it.each(table)('When %s is sent hostile requests, then none is answered 5xx', async (name, spec) => {
    const role = roleFor(spec);
    // Signing out ends a session: that route gets sessions of its own.
    const cookieFor = async () =>
      role === null
        ? null
        : name === 'signOut'
          ? (await desk.signIn(emailOf(role), testPassword)).cookie
          : desk.as(role).cookie;
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(requestsFor(spec, ids), async (request) => {
        const cookie = await cookieFor();
        const headers: Record<string, string> = { origin: desk.url, ...request.headers };
        if (cookie) headers.cookie = cookie;
        const path = request.query ? `${request.path}?${request.query}` : request.path;
        const res = await rawRequest(desk.url, spec.method, path, {
          headers,
          ...(request.body ? { body: request.body } : {}),
        });
        if (res.status >= 500) failures.push(`${spec.method} ${path} → ${res.status} ${res.body.slice(0, 200)}`);
        return res.status < 500;
      }),
      { numRuns: name === 'signOut' ? 5 : runsPerRoute, endOnFailure: true },
    );
    expect(failures).toEqual([]);
    // Whatever it was sent, the desk still answers.
    expect((await rawRequest(desk.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('When the fuzzing is over, then a signed-in member still gets answers', async () => {
    const me = await rawRequest(desk.url, 'GET', '/api/auth/me', { headers: { cookie: desk.as('analyst').cookie } });
    expect(me.status).toBe(200);
  });
});
