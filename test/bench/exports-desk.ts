/**
 * The desk for the exports benchmark, in a process of its own so that its memory is its own:
 * started on BENCH_DATABASE_URL, it prints `{"url": ...}` on one line once it answers, and
 * stops on SIGTERM.
 */
import { createLogger, generatePiiKeys, startDesk } from '@desk/server';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is not set');

const desk = await startDesk({
  database: { kind: 'url', url },
  port: 0,
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  demoCount: 0,
  sandboxes: false,
  worker: false,
  pii: generatePiiKeys(),
});
process.stdout.write(`${JSON.stringify({ url: desk.url })}\n`);
process.on('SIGTERM', () => {
  desk.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
