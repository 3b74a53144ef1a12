/**
 * `pnpm worker` as a process of its own (`server/src/worker.ts`, run as `process.ts` runs the
 * desk), for tests of job workers beside API processes started with `DESK_WORKER=false`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './process.js';
import { waitFor } from './wait-for.js';

export type WorkerProcess = {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Sends `signal` and resolves with the exit code; a worker that does not exit in time is killed and the promise rejects. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
};

const logTail = (output: string) => output.split('\n').slice(-40).join('\n');

/** Starts the worker and waits until it logs that its workers run; throws (with its log) if it exits first or never does. */
export async function spawnWorker(env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/worker.ts')], {
    // tsx is a dependency of the server package, so resolve it from there.
    cwd: path.join(repoRoot, 'server'),
    env: { ...process.env, DATABASE_URL: '', DESK_SANDBOXES: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const worker: WorkerProcess = {
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM', stopTimeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), stopTimeoutMs);
      });
      const result = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`worker did not exit within ${stopTimeoutMs} ms of ${signal}:\n${logTail(output)}`);
      }
      return result;
    },
  };
  const started = /"msg":"worker started"/;
  const state = await waitFor(
    async () => (child.exitCode !== null ? 'exited' : started.test(output) ? 'started' : null),
    {
      timeoutMs,
      intervalMs: 100,
      what: 'the worker to start',
    },
  ).catch(() => 'timed out');
  if (state !== 'started') {
    child.kill('SIGKILL');
    throw new Error(`worker did not start (${state}):\n${logTail(output)}`);
  }
  return worker;
}
