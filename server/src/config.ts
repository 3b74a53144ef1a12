import path from 'node:path';
import { z } from 'zod';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).optional(),
  DESK_DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.data')),
  DESK_DEMO_DATA: booleanFlag.default(true),
  DESK_DEMO_COUNT: z.coerce.number().int().min(0).default(500),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  demoData: boolean;
  demoCount: number;
  logLevel: string;
  clientDir: string;
};

/** Reads the environment once at start-up; a bad value stops the process with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(e.DESK_DATA_DIR),
    demoData: e.DESK_DEMO_DATA,
    demoCount: e.DESK_DEMO_COUNT,
    logLevel: e.LOG_LEVEL,
    clientDir: path.join(repoRoot, 'client', 'dist'),
  };
}
