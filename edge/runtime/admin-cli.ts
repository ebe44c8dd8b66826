/** `npm run admin -- <command>`: headless provisioning against the configured database (Node only). */
import { createSystemClock } from '../adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { checkArgs, parseArgs, runAdminCommand, USAGE, UsageError, type ParsedArgs } from './admin-commands.ts';
import { openLocalDb } from './local-db.ts';
import { parseVerifyPackArgs, trustedKeysFromFile, verifyPackFile } from './verify-pack-command.ts';
import { sendTestEmail } from './send-test-email-command.ts';
import { serverPackKey } from '../domain/evidence/pack-signing.ts';

const usageFailure = (error: unknown) => {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  return 2;
};

/** Exit codes: 0 done, 1 the command was refused (AppError), 2 bad command line or configuration. */
async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'verify-pack') return verifyPackMain(argv.slice(1));
  if (argv[0] === 'send-test-email') return sendTestEmailMain(argv.slice(1));
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

/** Exit codes: 0 the pack is intact and signed by this server, 1 it is not, 2 bad command line or unreadable files. */
async function verifyPackMain(argv: string[]): Promise<number> {
  const args = parseVerifyPackArgs(argv);
  if (typeof args === 'string') return usageFailure(new UsageError(args));
  let trusted: string[];
  try {
    if (args.publicKeyFile) trusted = await trustedKeysFromFile(args.publicKeyFile);
    else {
      const db = await openLocalDb(loadConfig(process.env));
      try {
        await migrateToLatest(db.kysely);
        const key = await serverPackKey(db.kysely);
        if (!key) {
          console.error('this server has never signed an evidence pack: there is no key to check against (give one with --public-key FILE)');
          return 1;
        }
        trusted = [key.keyId];
      } finally {
        await db.close();
      }
    }
    const { code, output } = await verifyPackFile(args, trusted);
    (code === 0 || args.json ? console.log : console.error)(output);
    return code;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EISDIR' || error instanceof SyntaxError) {
      console.error(`cannot read ${e.path ?? 'the key file'}: ${e.message}`);
      return 2;
    }
    throw error;
  }
}

/** Exit codes: 0 the mail service took the message, 1 it did not or none is configured, 2 bad command line or configuration. */
async function sendTestEmailMain(argv: string[]): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  const { code, output } = await sendTestEmail(config, argv, new Date());
  if (code === 2) return usageFailure(new UsageError(output));
  (code === 0 ? console.log : console.error)(output);
  return code;
}

process.exitCode = await main(process.argv.slice(2));
