/**
 * The desk for the benchmarks, in a process of its own (its memory and event loop are then its
 * own), started on BENCH_DATABASE_URL (DESK_DB_POOL_SIZE connections, 10 by default) with the
 * PII keys of BENCH_PII_KEYS (JSON, see `desk-process.ts`) or fresh ones. It prints `{"url": ...}` on one line once it answers, and
 * stops on SIGTERM.
 */
import {
  createLogger,
  generatePiiKeys,
  type PiiKeySettings,
  sandboxFinSettings,
  sandboxJikoSettings,
  sandboxKycSettings,
  startDesk,
} from '@desk/server';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is not set');

function piiKeys(): PiiKeySettings {
  const text = process.env.BENCH_PII_KEYS;
  if (!text) return generatePiiKeys();
  const parsed = JSON.parse(text) as { keys: Record<string, string>; activeKeyId: string; lookupKey: string };
  return {
    keys: Object.fromEntries(Object.entries(parsed.keys).map(([id, key]) => [id, Buffer.from(key, 'base64')])),
    activeKeyId: parsed.activeKeyId,
    lookupKey: Buffer.from(parsed.lookupKey, 'base64'),
  };
}

const unreachable = 'http://127.0.0.1:9';

const desk = await startDesk({
  database: { kind: 'url', url, poolSize: Number(process.env.DESK_DB_POOL_SIZE ?? 10) },
  port: 0,
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  worker: false,
  pii: piiKeys(),
  // As in production, no sandbox is mounted; the benchmarks never reach a provider, but the
  // desk needs an address for each all the same (the discard port: nothing answers there).
  jiko: { ...sandboxJikoSettings, baseUrl: unreachable },
  fin: { ...sandboxFinSettings, baseUrl: unreachable },
  kyc: { ...sandboxKycSettings, baseUrl: unreachable },
});
process.stdout.write(`${JSON.stringify({ url: desk.url })}\n`);
process.on('SIGTERM', () => {
  desk.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
