/**
 * Runs the desk as its own process, as `pnpm start` does (the sandboxes package's demo entry),
 * for lifecycle tests; `entry: 'production'` runs the production entry (`pnpm serve`'s source).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export type DeskProcess = { url: string; child: ChildProcess; output: () => string; exited: Promise<number | null> };

const entries = {
  demo: { script: 'sandboxes/src/main.ts', cwd: 'sandboxes' },
  production: { script: 'server/src/main.ts', cwd: 'server' },
  worker: { script: 'server/src/worker.ts', cwd: 'server' },
} as const;
export type DeskEntry = keyof typeof entries;

/** Spawns the desk and waits until it answers /readyz; throws (with its log) if it exits or never does. */
export async function spawnDesk(env: Record<string, string>, timeoutMs = 90_000, fixedPort?: number, entry: DeskEntry = 'demo'): Promise<DeskProcess> {
  const port = fixedPort ?? (await freePort());
  const { script, cwd } = entries[entry];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, script)], {
    // tsx is a dependency of the entry's package, so resolve it from there.
    cwd: path.join(repoRoot, cwd),
    env: { ...process.env, DATABASE_URL: '', DESK_SANDBOXES: '', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return { url, child, output: () => output, exited };
    } catch {
      // not listening yet, or not answering yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`desk did not become ready:\n${output.split('\n').filter((line) => !line.includes('/readyz')).slice(-60).join('\n')}`);
}

/**
 * Starts the desk expecting it to refuse: resolves with its exit code and output once it has
 * exited; a desk that is still running after `timeoutMs` is killed and the promise rejects.
 */
export async function spawnRefusedDesk(env: Record<string, string>, entry: DeskEntry = 'demo', timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const { script, cwd } = entries[entry];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, script)], {
    cwd: path.join(repoRoot, cwd),
    env: { ...process.env, DATABASE_URL: '', DESK_SANDBOXES: '', PORT: String(await freePort()), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c))),
    new Promise<'running'>((resolve) => {
      timer = setTimeout(() => resolve('running'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (code === 'running') {
    child.kill('SIGKILL');
    throw new Error(`the desk was expected to refuse to start, but it is running:\n${output}`);
  }
  return { code, output };
}

/**
 * Sends a signal and waits for the desk to exit; a desk that does not exit in time is killed
 * and the error carries the end of its log, so a stuck shutdown step can be seen.
 */
export async function stopDeskProcess(desk: DeskProcess, signal: NodeJS.Signals, timeoutMs = 30_000): Promise<number | null> {
  desk.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([desk.exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    desk.child.kill('SIGKILL');
    const tail = desk.output().split('\n').filter((line) => !line.includes('/readyz')).slice(-40).join('\n');
    throw new Error(`desk did not exit within ${timeoutMs} ms of ${signal}:\n${tail}`);
  }
  return result;
}

/** Runs `pnpm desk <args>` (the admin CLI) against the given database, to completion. */
export async function runDeskCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/cli/desk.ts'), ...args], {
    cwd: path.join(repoRoot, 'server'),
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, output };
}

/** PII keys for a desk process on a DATABASE_URL (fixed per test run; throwaway databases). */
export const processPiiEnv = {
  DESK_PII_KEYS: `test-1:${Buffer.alloc(32, 11).toString('base64')}`,
  DESK_PII_LOOKUP_KEY: Buffer.alloc(32, 12).toString('base64'),
};
