/**
 * The sandboxes' own migration chain, apart from the desk's: every table lives in the
 * `sandbox` schema, and so does the record of which migrations ran (`sandbox.kysely_migration`),
 * so a desk database where no sandbox was ever mounted has neither. Names are ISO timestamps,
 * run in that order.
 */
import type { Migration } from 'kysely/migration';
import * as jiko from './2026-12-07T00-00-00_jiko.js';
import * as kyc from './2026-12-07T00-01-00_kyc.js';
import * as fin from './2026-12-07T00-02-00_fin.js';
import * as finV1 from './2026-12-07T00-03-00_fin_v1.js';

export const sandboxMigrations: Record<string, Migration> = {
  '2026-12-07T00-00-00_jiko': jiko,
  '2026-12-07T00-01-00_kyc': kyc,
  '2026-12-07T00-02-00_fin': fin,
  '2026-12-07T00-03-00_fin_v1': finV1,
};
