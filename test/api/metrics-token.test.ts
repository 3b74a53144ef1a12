/**
 * `/metrics` behind `DESK_METRICS_TOKEN`: only the exact bearer token opens it (compared in
 * constant time), not its absence, another scheme, or a wrong token of the same length.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const token = 'metrics-scrape-token-0123456789';

describe.each(databaseKinds)('/metrics with a token on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { metricsToken: token });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const scrape = (authorization?: string) =>
    fetch(`${desk.url}/metrics`, { headers: authorization ? { authorization } : {} });

  it('When /metrics is scraped with the bearer token, then it answers the figures', async () => {
    const res = await scrape(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('desk_queue_depth');
  });

  it('When /metrics is scraped without the token, with another scheme or with a wrong token of the same length, then it is 401 with no figures', async () => {
    const sameLength = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
    expect(sameLength).toHaveLength(token.length);
    for (const authorization of [undefined, `Basic ${token}`, `Bearer ${sameLength}`, token]) {
      const res = await scrape(authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(await res.text()).not.toContain('desk_queue_depth');
    }
  });
});
