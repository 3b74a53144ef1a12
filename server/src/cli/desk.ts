/**
 * `pnpm desk <command>`: administration from the command line.
 *
 *   staff:create --email EMAIL --role ROLE [--name NAME]
 *     Creates a staff member (the first admin, typically) and prints a one-time set-password
 *     link, as an admin's "create" does: nobody but the member ever knows the password. For
 *     scripted set-ups, DESK_STAFF_PASSWORD sets the password instead. On the embedded
 *     database, stop the desk first (it holds the data folder).
 */
import { parseArgs } from 'node:util';
import { staffCreateSchema, staffPasswordSchema, staffRoles } from '@desk/shared';
import { loadConfig } from '../config.js';
import { openDatabase } from '../desk.js';
import { createLogger } from '../logger.js';
import { createStaff } from '../staff/staff.service.js';

const usage = `usage: pnpm desk staff:create --email EMAIL --role ${staffRoles.join('|')} [--name NAME]
  prints a one-time set-password link (DESK_PUBLIC_URL, or http://localhost:PORT);
  DESK_STAFF_PASSWORD=… sets the password instead (scripted set-ups)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
});

const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);

async function staffCreate(): Promise<number> {
  const input = staffCreateSchema.safeParse({
    email: values.email,
    role: values.role,
    name: values.name ?? values.email?.split('@')[0] ?? '',
  });
  const given = process.env.DESK_STAFF_PASSWORD;
  const password = given === undefined || given === '' ? null : staffPasswordSchema.safeParse(given);
  if (!input.success || (password !== null && !password.success)) {
    for (const issue of input.error?.issues ?? []) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    for (const issue of password?.error?.issues ?? []) console.error(`DESK_STAFF_PASSWORD: ${issue.message}`);
    console.error(usage);
    return 2;
  }
  const database = await openDatabase(
    config.databaseUrl ? { kind: 'url', url: config.databaseUrl } : { kind: 'embedded', dataDir: config.dataDir },
    logger,
  );
  try {
    const member = await createStaff(
      database.db,
      { ...input.data, ...(password?.data === undefined ? {} : { password: password.data }) },
      { kind: 'system' },
      {
        ttlSeconds: config.auth.invitationTtlSeconds,
        origin: new URL(config.publicUrl ?? `http://localhost:${config.port}`).origin,
        issue: config.auth.passwordSignIn,
      },
    );
    console.log(`created ${member.role} ${member.email} (${member.id})`);
    if (member.invitation) {
      console.log(`set-password link (shown once, works once, until ${member.invitation.expiresAt}):`);
      console.log(member.invitation.link);
    }
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
