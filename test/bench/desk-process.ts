/**
 * The desk as production runs it, for the benchmarks: bundled (`server/scripts/build.ts`, no
 * TypeScript loader), started with the root `serve` script's Node flags in a child process, so
 * that the benchmark's own clients and bookkeeping do not share its event loop or its memory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { PiiKeySettings } from '@desk/server';

const serverDir = path.resolve(import.meta.dirname, '../../server');
const bundledDesk = path.join(serverDir, 'dist', 'bench-desk.mjs');

export type DeskProcess = { child: ChildProcess; url: string; pid: number };

/** The Node flags production runs the desk with (the root package's `serve` script). */
export function serveFlags(): string[] {
  const manifest = JSON.parse(readFileSync(path.resolve(serverDir, '../package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (manifest.scripts.serve ?? '').split(/\s+/).filter((arg) => arg.startsWith('--'));
}

/** Bundles `bench-desk.ts` the way the server is built for production. */
export async function buildBenchDesk(): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(serverDir, 'scripts/build.ts'), path.join(import.meta.dirname, 'bench-desk.ts')],
    {
      cwd: serverDir,
      stdio: 'inherit',
    },
  );
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`building the desk failed (${code})`);
}

/** The PII keys as `bench-desk.ts` reads them from BENCH_PII_KEYS. */
function piiKeysJson(keys: PiiKeySettings): string {
  return JSON.stringify({
    keys: Object.fromEntries(Object.entries(keys.keys).map(([id, key]) => [id, key.toString('base64')])),
    activeKeyId: keys.activeKeyId,
    lookupKey: keys.lookupKey.toString('base64'),
  });
}

/**
 * Starts the bundled desk on a database; resolves once it answers. BENCH_DESK_NODE_FLAGS adds
 * Node flags for a diagnosis (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
export async function startDeskProcess(
  databaseUrl: string,
  pii?: PiiKeySettings,
  env: Record<string, string> = {},
): Promise<DeskProcess> {
  const extraFlags = (process.env.BENCH_DESK_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...serveFlags(), ...extraFlags, bundledDesk], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      ...env,
      BENCH_DATABASE_URL: databaseUrl,
      ...(pii ? { BENCH_PII_KEYS: piiKeysJson(pii) } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!child.stdout || child.pid === undefined) throw new Error('the desk process did not start');
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the desk process exited (${code}) before it was ready`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  child.removeAllListeners('exit');
  const pid = child.pid;
  // What the desk logs after it is ready (warnings and errors) goes to the benchmark's stderr,
  // and its end, if nobody asked for it, is said with its exit code, signal and memory.
  lines.on('line', (line) => process.stderr.write(`desk: ${line}\n`));
  let memory = { rss: 0, hwm: 0 };
  const sampler = setInterval(() => {
    memoryOf(pid).then(
      (m) => {
        memory = m;
      },
      () => undefined,
    );
  }, 2000);
  sampler.unref();
  child.once('exit', (code, signal) => {
    clearInterval(sampler);
    if (stopping.has(child)) return;
    const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
    process.stderr.write(
      `the desk process exited unasked: code ${code}, signal ${signal}; last resident memory ${mb(memory.rss)}, peak ${mb(memory.hwm)}\n`,
    );
  });
  return { child, url, pid };
}

/** Desk processes being stopped on purpose (their exit is not reported). */
const stopping = new WeakSet<ChildProcess>();

/** A line saying whether the desk still runs (and its memory) or how it ended, for an error message. */
export async function deskState(desk: DeskProcess): Promise<string> {
  const { exitCode, signalCode } = desk.child;
  if (exitCode !== null || signalCode !== null)
    return `the desk process had exited: code ${exitCode}, signal ${signalCode}`;
  const memory = await memoryOf(desk.pid).catch(() => null);
  return memory
    ? `the desk process still runs (resident ${Math.round(memory.rss / 1e6)} MB, peak ${Math.round(memory.hwm / 1e6)} MB)`
    : 'the desk process still runs';
}

export async function stopDeskProcess(desk: DeskProcess): Promise<void> {
  if (desk.child.exitCode !== null) return;
  stopping.add(desk.child);
  const exited = new Promise<void>((resolve) => desk.child.once('exit', () => resolve()));
  desk.child.kill('SIGTERM');
  await exited;
}

/** Resident memory of a process, from /proc: current (VmRSS) and the peak since reset (VmHWM). */
export async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/**
 * CPU time (user + system, ms) a process has used, from /proc/<pid>/stat; 0 once it is gone.
 * With `reapedChildren`, also what its children that ended used (cutime + cstime).
 */
export async function cpuMsOf(pid: number, options: { reapedChildren?: boolean } = {}): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces): utime, stime, cutime and cstime are
  // the 12th to the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (k: number) => Number(fields[k] ?? 0);
  const own = ticks(11) + ticks(12);
  return ((own + (options.reapedChildren ? ticks(13) + ticks(14) : 0)) * 1000) / 100;
}

/**
 * CPU time (ms) used so far by every process of a command name (e.g. all `postgres` processes),
 * including those of them that already ended: a backend whose connection closed counts in its
 * parent's reaped-children time, so a measure taken as a difference loses nothing when a pool
 * closes an idle connection in between.
 */
export async function cpuMsOfCommand(command: string): Promise<number> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  let total = 0;
  for (const pid of pids) {
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    if (comm === command) total += await cpuMsOf(Number(pid), { reapedChildren: true });
  }
  return total;
}
