import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApplicationStats } from '@desk/shared';
import { demoPassword } from '@desk/sandboxes';
import { signInClient } from '../support/desk.js';
import { spawnDesk, stopDeskProcess } from '../support/process.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'desk-lifecycle-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Counts as a demo analyst sees them (the demo database has a user per role). */
const stats = async (url: string, filter = '') => {
  const analyst = await signInClient(url, 'alex.morgan@desk.example', demoPassword);
  return (await analyst.get<ApplicationStats>(`/api/applications/stats?${filter}`)).body;
};

// Each test starts three desk processes (tsx compiles the server in each): give them time.
describe('embedded database lifecycle', { timeout: 180_000 }, () => {
  it('When the desk is stopped with Ctrl-C and started again, then it finds its data and does not seed twice', async () => {
    const env = { DESK_DATA_DIR: dataDir, DESK_DEMO_COUNT: '60' };
    const first = await spawnDesk(env);
    const before = await stats(first.url);
    // DESK_DEMO_COUNT Jiko cases, and the Fin.com and generic-provider demo cases beside them.
    expect((await stats(first.url, 'provider=jiko')).total).toBe(60);
    expect((await stats(first.url, 'provider=fin')).total).toBeGreaterThan(0);
    expect((await stats(first.url, 'provider=kyc')).total).toBeGreaterThan(0);

    // A second desk on the same data folder must refuse rather than corrupt it.
    await expect(spawnDesk(env, 20_000)).rejects.toThrow(/in use by process/);

    expect(await stopDeskProcess(first, 'SIGINT')).toBe(0);
    expect(first.output()).toMatch(/shutting down/);

    const second = await spawnDesk(env);
    expect(await stats(second.url)).toEqual(before);
    expect(await stopDeskProcess(second, 'SIGTERM')).toBe(0);
  });

  it('When the desk was killed outright, then the next start takes over the stale lock and recovers the data', async () => {
    const env = { DESK_DATA_DIR: dataDir, DESK_DEMO_COUNT: '60' };
    const first = await spawnDesk(env);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await spawnDesk(env);
    expect((await stats(second.url, 'provider=jiko')).total).toBe(60);
    expect(await stopDeskProcess(second, 'SIGINT')).toBe(0);
  });
});
