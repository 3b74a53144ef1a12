export { startDesk, openDatabase, type RunningDesk, type DatabaseTarget } from './desk.js';
export { createApp } from './app.js';
export { createLogger } from './logger.js';
export { seedDemoData, countApplicationRows } from './demo/seed.js';
export { connectDatabase } from './db/database.js';
export type { Database } from './db/schema.js';
