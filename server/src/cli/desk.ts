/**
 * `pnpm desk <command>`: administration from the command line.
 *
 *   staff:create --email EMAIL --role ROLE [--name NAME]
 *     Creates a staff member. The password comes from DESK_STAFF_PASSWORD, or is generated and
 *     printed once. On the embedded database, stop the desk first (it holds the data folder).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { staffCreateSchema, staffRoles } from '@desk/shared';
import { loadConfig } from '../config.js';
import { openDatabase } from '../desk.js';
import { createLogger } from '../logger.js';
import { createStaff } from '../staff/staff.service.js';

const usage = `usage: pnpm desk staff:create --email EMAIL --role ${staffRoles.join('|')} [--name NAME]
  password: DESK_STAFF_PASSWORD, or generated and printed once`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
});

const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);

async function staffCreate(): Promise<number> {
  const generated = process.env.DESK_STAFF_PASSWORD ? null : randomBytes(18).toString('base64url');
  const input = staffCreateSchema.safeParse({
    email: values.email,
    role: values.role,
    name: values.name ?? values.email?.split('@')[0] ?? '',
    password: process.env.DESK_STAFF_PASSWORD ?? generated,
  });
  if (!input.success) {
    for (const issue of input.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    console.error(usage);
    return 2;
  }
  const database = await openDatabase(
    config.databaseUrl ? { kind: 'url', url: config.databaseUrl } : { kind: 'embedded', dataDir: config.dataDir },
    logger,
  );
  try {
    const member = await createStaff(database.db, input.data, { kind: 'system' });
    console.log(`created ${member.role} ${member.email} (${member.id})`);
    if (generated) console.log(`password: ${generated}`);
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await database.close();
  }
}

const commands: Record<string, () => Promise<number>> = { 'staff:create': staffCreate };
const command = commands[positionals[0] ?? ''];
if (!command) {
  console.error(usage);
  process.exitCode = 2;
} else {
  process.exitCode = await command();
}
