/**
 * The production entry (`pnpm serve`, bundled by scripts/build.ts): the desk on DATABASE_URL
 * (or the embedded database), talking to the providers at their configured base URLs. It
 * mounts no provider sandbox and seeds no demo data; `pnpm start` runs the demo entry of the
 * sandboxes package instead.
 */
import { createLogger } from './logger.js';
import { loadConfigOrExit, serveDesk } from './serve.js';

const config = loadConfigOrExit();
await serveDesk(config, createLogger(config.logLevel));
