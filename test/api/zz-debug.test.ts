import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { spawnDesk } from '../support/process.js';
const dataDir = mkdtempSync(path.join(tmpdir(), 'desk-dbg-'));
it('dbg', { timeout: 300_000 }, async () => {
  const env = { DESK_DATA_DIR: dataDir, DESK_DEMO_COUNT: '60', LOG_LEVEL: 'debug' };
  for (let round = 0; round < 4; round++) {
    const t = Date.now();
    const first = await spawnDesk(env);
    if (round % 2 === 1) { first.child.kill('SIGKILL'); await first.exited; continue; }
    first.child.kill('SIGINT');
    const res = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r('TIMEOUT'), 20_000))]);
    console.log('round', round, res, Date.now() - t);
    if (res === 'TIMEOUT') {
      console.log(first.output().split('\n').filter((l) => !l.includes('readyz')).slice(-25).map((l) => l.slice(0, 500)).join('\n'));
      first.child.kill('SIGKILL');
      return;
    }
  }
});
