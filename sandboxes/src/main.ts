/**
 * `pnpm start`: the desk as a demo. The same configuration as the production entry
 * (`@desk/server`'s main.ts, `loadConfig`); when the sandboxes are on (by default with the
 * embedded database, or DESK_SANDBOXES=true), they are mounted on the desk's own server and
 * an empty database gets demo data (DESK_DEMO_DATA, DESK_DEMO_COUNT). With the sandboxes off
 * this is the production desk and nothing more.
 */
import { createLogger, type DeskHooks, loadConfigOrExit, serveDesk } from '@desk/server';
import { demoSeeder, mountSandboxes } from './compose.js';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);

const hooks: DeskHooks = {};
if (config.sandboxes) {
  hooks.sandboxes = mountSandboxes();
  if (config.demoData && config.demoCount > 0) hooks.seedEmptyDatabase = demoSeeder({ count: config.demoCount });
} else {
  logger.info('the built-in provider sandboxes are off (DESK_SANDBOXES): none is mounted and no demo data is seeded');
}

await serveDesk(config, logger, hooks);
