/** `npm run admin -- <command>`: headless provisioning against the configured database (Node only). */
import { createSystemClock } from '../adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { checkArgs, parseArgs, runAdminCommand, USAGE, UsageError, type ParsedArgs } from './admin-commands.ts';
import { openLocalDb } from './local-db.ts';

const usageFailure = (error: unknown) => {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  return 2;
};

/** Exit codes: 0 done, 1 the command was refused (AppError), 2 bad command line or configuration. */
async function main(argv: string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
    if (args.command === 'help') {
      console.log(USAGE);
      return 0;
    }
    // Before opening the database: opening the embedded one takes seconds and a typo should not.
    checkArgs(args);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error);
    throw error;
  }

  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  const db = await openLocalDb(config);
  try {
    await migrateToLatest(db.kysely);
    const clock = createSystemClock();
    const { result, summary } = await runAdminCommand({ db: db.kysely, clock, ids: createUuidV7Ids(clock) }, args);
    console.log(args.json ? JSON.stringify(result) : summary);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error);
    if (error instanceof AppError) {
      const body = { error: { code: error.code, message: error.message, details: error.details } };
      console.error(args.json ? JSON.stringify(body) : `error (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
