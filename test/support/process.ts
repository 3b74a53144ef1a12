/**
 * Runs the desk as its own process, as `pnpm start` does (the sandboxes package's demo entry),
 * for lifecycle tests; `entry: 'production'` runs the production entry (`pnpm serve`'s source).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait-for.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export type DeskProcess = { url: string; child: ChildProcess; output: () => string; exited: Promise<number | null> };

const entries = {
  demo: { script: 'sandboxes/src/main.ts', cwd: 'sandboxes' },
  /** What `pnpm start` runs: the demo entry bundled, under plain `node` (built afresh for this test process). */
  'demo-bundle': { script: 'bundle', cwd: 'sandboxes' },
  production: { script: 'server/src/main.ts', cwd: 'server' },
  worker: { script: 'server/src/worker.ts', cwd: 'server' },
} as const;
export type DeskEntry = keyof typeof entries;

/**
 * The demo entry bundled as `pnpm start` bundles it (`sandboxes/scripts/build.ts`), into a file
 * of its own so that no other process's build (or a stale one) is run. The desk has loaded it
 * once it is up, and the caller removes it then.
 */
async function buildDemoBundle(): Promise<string> {
  const name = `main-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`;
  const build = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'sandboxes/scripts/build.ts'), '--outfile', `dist/${name}`],
    { cwd: path.join(repoRoot, 'sandboxes'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  build.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  build.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => build.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`the demo bundle did not build (${code}):\n${output}`);
  return path.join(repoRoot, 'sandboxes/dist', name);
}

/** The address the desk logs once it has started ("Compliance Desk is up at http://…"). */
const upAt = /is up at (http:\/\/[^\s"]+)/;

/** The end of a desk's log, without the readiness probes. */
const tail = (output: string, lines: number) =>
  output
    .split('\n')
    .filter((line) => !line.includes('/readyz'))
    .slice(-lines)
    .join('\n');

/** A desk's process as started, before it serves: its log so far and its exit. */
export type LaunchedDesk = Omit<DeskProcess, 'url'>;

/**
 * Starts the desk's process (`args` after `node`) with the test environment, gathering its log;
 * does not wait for anything.
 */
function launch(args: string[], cwd: string, env: Record<string, string>): LaunchedDesk {
  const child = spawn(process.execPath, args, {
    // tsx is a dependency of the entry's package, so resolve it from there.
    cwd: path.join(repoRoot, cwd),
    env: { ...process.env, DATABASE_URL: '', DESK_SANDBOXES: '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Starts a source entry of the desk (run by tsx) and returns at once, for tests of its start itself. */
export function launchDesk(
  env: Record<string, string>,
  entry: Exclude<DeskEntry, 'demo-bundle'> = 'demo',
): LaunchedDesk {
  const { script, cwd } = entries[entry];
  return launch(['--import', 'tsx', path.join(repoRoot, script)], cwd, env);
}

/**
 * Spawns the desk on a port of the system's choosing (`PORT=0`: bound at once, never reserved
 * first and bound later, which another process could take in between), reads the address it
 * logs, and waits until it answers /readyz; throws (with its log) if it exits or never does.
 * The address changes with every start: a test that restarts a desk reads the new `url`.
 */
export async function spawnDesk(
  env: Record<string, string>,
  timeoutMs = 90_000,
  entry: DeskEntry = 'demo',
): Promise<DeskProcess> {
  const { script, cwd } = entries[entry];
  const bundle = script === 'bundle' ? await buildDemoBundle() : null;
  const args = bundle ? [bundle] : ['--import', 'tsx', path.join(repoRoot, script)];
  const { child, output, exited } = launch(args, cwd, env);
  try {
    const url = await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`the desk exited (${child.exitCode ?? child.signalCode})`);
        const address = upAt.exec(output())?.[1];
        if (!address) return null;
        const ready = await fetch(`${address}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
          (res) => res.ok,
          () => false,
        );
        return ready ? address : null;
      },
      { timeoutMs, intervalMs: 100, what: 'the desk to log its address and answer /readyz' },
    );
    return { url, child, output, exited };
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(
      `desk did not become ready (${err instanceof Error ? err.message : String(err)}):\n${tail(output(), 60)}`,
    );
  } finally {
    if (bundle) rmSync(bundle, { force: true });
  }
}

/**
 * Starts the desk expecting it to refuse: resolves with its exit code and output once it has
 * exited; a desk that is still running after `timeoutMs` is killed and the promise rejects.
 */
export async function spawnRefusedDesk(
  env: Record<string, string>,
  entry: Exclude<DeskEntry, 'demo-bundle'> = 'demo',
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const { child, output, exited } = launchDesk(env, entry);
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    exited,
    new Promise<'running'>((resolve) => {
      timer = setTimeout(() => resolve('running'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (code === 'running') {
    child.kill('SIGKILL');
    throw new Error(`the desk was expected to refuse to start, but it is running:\n${output()}`);
  }
  return { code, output: output() };
}

/**
 * Sends a signal and waits for the desk to exit; a desk that does not exit in time is killed
 * and the error carries the end of its log, so a stuck shutdown step can be seen.
 */
export async function stopDeskProcess(
  desk: DeskProcess,
  signal: NodeJS.Signals,
  timeoutMs = 30_000,
): Promise<number | null> {
  desk.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([desk.exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    desk.child.kill('SIGKILL');
    throw new Error(`desk did not exit within ${timeoutMs} ms of ${signal}:\n${tail(desk.output(), 40)}`);
  }
  return result;
}

/** Runs `pnpm desk <args>` (the admin CLI) against the given database, to completion. */
export async function runDeskCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
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
