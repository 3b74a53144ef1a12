import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoPassword } from '@desk/sandboxes';
import type { ApplicationDetail, ApplicationStats, ApplicationSummary } from '@desk/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { signInClient } from '../support/desk.js';
import { launchDesk, spawnDesk, stopDeskProcess } from '../support/process.js';
import { waitFor } from '../support/wait-for.js';

/** A data folder of its own for each test: what one test leaves behind is no other's start. */
const dataDirs: string[] = [];
const freshDataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'desk-lifecycle-'));
  dataDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

const analystEmail = 'alex.morgan@desk.example';
const analyst = (url: string) => signInClient(url, analystEmail, demoPassword);

/** Counts as a demo analyst sees them (the demo database has a user per role). */
const stats = async (url: string, filter = '') =>
  (await (await analyst(url)).get<ApplicationStats>(`/api/applications/stats?${filter}`)).body;

/**
 * A change only this run of the desk made: the analyst claims the next case. Demo data is
 * deterministic, so counts alone would look the same after a data folder lost and reseeded;
 * this claim would not be there.
 */
const claimACase = async (url: string) => {
  const claimed = await (await analyst(url)).post<ApplicationSummary>('/api/applications/next', {});
  expect(claimed.status).toBe(200);
  return claimed.body.id;
};
const assigneeOf = async (url: string, id: string) =>
  (await (await analyst(url)).get<ApplicationDetail>(`/api/applications/${id}`)).body.assignee?.email ?? null;

// Each test starts three desk processes (tsx compiles the server in each): give them time.
describe('embedded database lifecycle', { timeout: 180_000 }, () => {
  it('When the desk is stopped with Ctrl-C and started again, then it finds its data and does not seed twice', async () => {
    const env = { DESK_DATA_DIR: freshDataDir(), DESK_DEMO_COUNT: '60' };
    const first = await spawnDesk(env);
    const before = await stats(first.url);
    // DESK_DEMO_COUNT Jiko cases, and the Fin.com and generic-provider demo cases beside them.
    expect((await stats(first.url, 'provider=jiko')).total).toBe(60);
    expect((await stats(first.url, 'provider=fin')).total).toBeGreaterThan(0);
    expect((await stats(first.url, 'provider=kyc')).total).toBeGreaterThan(0);
    const claimed = await claimACase(first.url);

    // A second desk on the same data folder must refuse rather than corrupt it.
    await expect(spawnDesk(env, 20_000)).rejects.toThrow(/in use by process/);

    expect(await stopDeskProcess(first, 'SIGINT')).toBe(0);
    expect(first.output()).toMatch(/shutting down/);

    const second = await spawnDesk(env);
    expect(second.output()).not.toMatch(/seeding an empty database/);
    expect(await stats(second.url)).toEqual(before);
    expect(await assigneeOf(second.url, claimed)).toBe(analystEmail);
    expect(await stopDeskProcess(second, 'SIGTERM')).toBe(0);
  });

  it('When the desk is stopped while its first start seeds the database, then the seeding finishes, both processes exit cleanly, and the next start finds the demo whole', async () => {
    const dataDir = freshDataDir();
    const env = { DESK_DATA_DIR: dataDir, DESK_DEMO_COUNT: '60' };
    const first = launchDesk(env);
    // The preparing process has begun to seed: the desk is told to stop now.
    await waitFor(async () => first.output().includes('seeding an empty database'), {
      timeoutMs: 120_000,
      intervalMs: 20,
      what: 'the first start to begin seeding',
    });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/stopped once the database was prepared/);
    expect(first.output()).not.toMatch(/is up at/);
    // The preparing process has exited too: it held the data folder's lock and let it go.
    await waitFor(async () => !existsSync(path.join(dataDir, 'desk.lock')), {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: 'the data folder to be let go',
    });

    const second = await spawnDesk(env);
    expect(second.output()).not.toMatch(/seeding an empty database/);
    expect((await stats(second.url, 'provider=jiko')).total).toBe(60);
    expect((await stats(second.url, 'provider=fin')).total).toBeGreaterThan(0);
    expect((await stats(second.url, 'provider=kyc')).total).toBeGreaterThan(0);
    expect(await stopDeskProcess(second, 'SIGINT')).toBe(0);
  });

  it('When the desk was killed outright, then the next start takes over the stale lock and recovers the data', async () => {
    const env = { DESK_DATA_DIR: freshDataDir(), DESK_DEMO_COUNT: '60' };
    const first = await spawnDesk(env);
    expect((await stats(first.url, 'provider=jiko')).total).toBe(60);
    const claimed = await claimACase(first.url);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await spawnDesk(env);
    expect(second.output()).not.toMatch(/seeding an empty database/);
    expect((await stats(second.url, 'provider=jiko')).total).toBe(60);
    expect(await assigneeOf(second.url, claimed)).toBe(analystEmail);
    expect(await stopDeskProcess(second, 'SIGINT')).toBe(0);
  });
});
