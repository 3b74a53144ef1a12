/**
 * The hooks a desk is started with when it is a demo: `mountSandboxes` serves the three
 * built-in provider sandboxes on the desk's own server, and `demoSeeder` fills an empty
 * database with demo cases at all three providers. The desk itself (`@desk/server`) knows
 * neither; `main.ts` (`pnpm start`), `pnpm db:seed` and the tests compose them.
 */

import type { Database, PiiVault, SandboxesHook, SeedEmptyDatabaseHook } from '@desk/server';
import type { Kysely } from 'kysely';
import { seedDemoStaffPasswords } from './demo/demo-staff.js';
import { seedProviderDemo } from './demo/provider-demo/index.js';
import { seedDemoData } from './demo/seed.js';
import { createFinSandbox } from './fin/index.js';
import { registerSeededApplications } from './jiko/demo-fixtures.js';
import { createJikoSandbox } from './jiko/index.js';
import { createKycSandbox } from './kyc/index.js';
import { migrateSandboxes } from './migrate.js';

export type SandboxesOptions = {
  /**
   * Decision and review delay of every sandbox, for tests that want them short. Unset, each
   * sandbox keeps its own: 300 ms for Jiko and Fin.com, about 30 s for the generic provider
   * (as its guide says).
   */
  decisionDelayMs?: number;
  /**
   * The one origin the generic provider's sandbox fetches document images from. Default: the
   * desk's public origin, where its signed file links point; a test that serves images itself
   * names its own.
   */
  kycDocumentOrigin?: string;
};

/** Migrates the sandbox schema, then creates, starts and mounts the sandboxes at /sandbox/{jiko,fin,kyc}. */
export function mountSandboxes(options: SandboxesOptions = {}): SandboxesHook {
  return async ({ db, logger, publicUrl, providers }) => {
    const applied = await migrateSandboxes(db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'sandbox migrations applied');
    const jiko = createJikoSandbox({
      db,
      credentials: { username: providers.jiko.username, password: providers.jiko.password },
      signingSecret: providers.jiko.signingSecret,
      webhook: { url: `${publicUrl}/api/webhooks/jiko`, secret: providers.jiko.webhookSecret },
      decisionDelayMs: options.decisionDelayMs,
      logger,
    });
    const fin = createFinSandbox({
      db,
      apiToken: providers.fin.token,
      webhook: { url: `${publicUrl}/api/webhooks/fin`, secret: providers.fin.webhookSecret },
      reviewDelayMs: options.decisionDelayMs,
      logger,
    });
    const kyc = createKycSandbox({
      db,
      apiKey: providers.kyc.apiKey,
      webhook: { url: `${publicUrl}/api/webhooks/kyc`, secret: providers.kyc.webhookSecret },
      reviewDelayMs: options.decisionDelayMs,
      documentOrigin: options.kycDocumentOrigin ?? publicUrl,
      logger,
    });
    const sandboxes = [jiko, fin, kyc];
    for (const sandbox of sandboxes) sandbox.start();
    return {
      routers: [
        { path: '/sandbox/jiko', router: jiko.router },
        { path: '/sandbox/fin', router: fin.router },
        { path: '/sandbox/kyc', router: kyc.router },
      ],
      stop: async () => {
        await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
      },
    };
  };
}

export type DemoOptions = {
  /** How many Jiko demo applications (the Fin.com and generic-provider demo comes beside them). */
  count: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
};

/**
 * Demo data in an empty database: the Jiko cases (walked through the sandbox rules), the demo
 * staff's password, the same Jiko cases at the Jiko sandbox, and the Fin.com and
 * generic-provider cases with RFIs in every state, at their sandboxes too, so every action on
 * a demo case reaches a provider that knows it.
 */
export async function seedDemo(db: Kysely<Database>, pii: PiiVault, options: DemoOptions): Promise<void> {
  await migrateSandboxes(db);
  await seedDemoData(db, { count: options.count, seed: options.seed, pii, onProgress: options.onProgress });
  await seedDemoStaffPasswords(db);
  await registerSeededApplications(db, pii);
  await seedProviderDemo(db, { seed: options.seed, pii });
}

/** `seedDemo` as the desk's hook for an empty database. */
export function demoSeeder(options: DemoOptions): SeedEmptyDatabaseHook {
  return (db, pii) => seedDemo(db, pii, options);
}
