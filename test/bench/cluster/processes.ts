/**
 * The desk's processes for the cluster benchmark, as production runs them: the bundled API
 * (`pnpm serve`, `server/dist/main.mjs`) and the bundled worker (`pnpm serve:worker`,
 * `server/dist/worker.mjs`), each a child process with the root scripts' Node flags. An API
 * process keeps its port across a restart (the load balancer's target does not move).
 * Every child is killed when the benchmark exits, however it exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { serveFlags } from '../desk-process.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const serverDir = path.join(repoRoot, 'server');

export type Role = 'api' | 'worker';

export type ClusterProcess = {
  name: string;
  role: Role;
  child: ChildProcess;
  /** The API's origin (null for a worker). */
  url: string | null;
  exited: Promise<void>;
  output(): string;
};

const running = new Set<ChildProcess>();

/** SIGKILLs every child still running (on any exit of the benchmark). */
export function killAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Bundles the production entries (`pnpm --filter @desk/server build`). */
export async function buildServer(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(serverDir, 'scripts/build.ts')], {
    cwd: serverDir,
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`building the server failed (${code})`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function spawnBundle(name: string, role: Role, entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [...serveFlags(), path.join(serverDir, 'dist', entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return { child, exited, output: () => output, gone, name, role };
}

/** Starts an API process on `port` and resolves once it answers /readyz. */
export async function startApi(name: string, port: number, env: Record<string, string>): Promise<ClusterProcess> {
  const p = spawnBundle(name, 'api', 'main.mjs', { ...env, PORT: String(port), DESK_WORKER: 'false' });
  const url = `http://127.0.0.1:${port}`;
  await until(`${name} to answer /readyz`, 90_000, async () => {
    if (p.gone()) throw new Error(`${name} exited before it was ready:\n${p.output().slice(-4000)}`);
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (res) => res.ok,
      () => false,
    );
    return ok ? true : null;
  });
  return { ...p, url };
}

/** Starts a worker process and resolves once it logs that its workers run. */
export async function startWorker(name: string, env: Record<string, string>): Promise<ClusterProcess> {
  const p = spawnBundle(name, 'worker', 'worker.mjs', { ...env, LOG_LEVEL: 'info' });
  await until(`${name} to start`, 90_000, async () => {
    if (p.gone()) throw new Error(`${name} exited before it started:\n${p.output().slice(-4000)}`);
    return p.output().includes('"msg":"worker started"') ? true : null;
  });
  return { ...p, url: null };
}

export async function stopProcess(p: ClusterProcess, timeoutMs = 15_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  await p.exited;
  clearTimeout(timer);
}
