/**
 * `npm run dev:services`: the loopback stand-ins the tests use for Neon, Upstash, QStash and S3, started together
 * for `npx wrangler dev`, so the Worker runs locally on its production adapters. It prints the variables the Worker
 * needs (or writes them to .dev.vars with `--write`) and runs until stopped (Ctrl+C).
 *
 *   npm run dev:services [-- --write] [--database-url postgres://…] [--redis-url redis://…] [--worker-url http://…]
 *
 * Needs a local Postgres (the database is created and migrated when missing) and Redis. The job schedules are
 * registered with the QStash stand-in as the Worker's cron trigger registers them (same code, same ids), and it fires
 * them at their cron times and delivers jobs, signed, to the Worker's URL (PUBLIC_URL, default http://127.0.0.1:8787).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@upstash/qstash';
import { Cron } from 'croner';
import pg from 'pg';
import { schedules } from '../../jobs/index.ts';
import { createSystemClock } from '../../edge/adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../../edge/adapters/clock/uuid-v7-ids.ts';
import { createPostgresDb } from '../../edge/adapters/db/postgres-db.ts';
import { createQStashQueue } from '../../edge/adapters/queue/qstash-queue.ts';
import { migrateToLatest } from '../../edge/db/migrate.ts';
import { startNeonWsProxy } from './neon-ws-proxy.ts';
import { startQStashServer } from './qstash-server.ts';
import { startTestS3 } from './test-s3.ts';
import { startUpstashRestServer } from './upstash-rest-server.ts';

export interface DevServicesOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Where `wrangler dev` serves the Worker (its PUBLIC_URL): QStash delivers there, and signed links point there. */
  workerUrl: string;
  /** Where the S3 stand-in keeps its files. */
  s3Directory?: string;
}

const random = () => crypto.randomUUID().replace(/-/g, '');

/** Creates the database named in the URL when it does not exist yet, then applies the migrations. */
async function prepareDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const db = createPostgresDb({ connectionString: url });
  try {
    await migrateToLatest(db.kysely);
  } finally {
    await db.close();
  }
}

/** What the Worker's cron trigger does with QStash configured, so schedules run without waiting for wrangler's cron. */
async function registerSchedules(databaseUrl: string, qstashUrl: string, token: string, workerUrl: string): Promise<void> {
  const db = createPostgresDb({ connectionString: databaseUrl });
  const clock = createSystemClock();
  try {
    const queue = createQStashQueue({ client: new Client({ token, baseUrl: qstashUrl }), db, publicUrl: workerUrl, clock, ids: createUuidV7Ids(clock) });
    for (const spec of schedules) await queue.schedule(spec);
  } finally {
    await db.close();
  }
}

export async function startDevServices(options: DevServicesOptions) {
  await prepareDatabase(options.databaseUrl);
  const database = new URL(options.databaseUrl);
  const neon = await startNeonWsProxy({ allow: [`${database.hostname}:${database.port || 5432}`] });
  const upstash = await startUpstashRestServer({ redisUrl: options.redisUrl, token: `dev-${random()}` });
  const keys = { token: `dev-${random()}`, currentSigningKey: `sig_${random()}`, nextSigningKey: `sig_${random()}` };
  const qstash = await startQStashServer({ ...keys, backoffMs: (retry) => 1000 * 2 ** (retry - 1) });
  const s3 = await startTestS3({ directory: options.s3Directory });
  await registerSchedules(options.databaseUrl, qstash.url, keys.token, options.workerUrl);

  // The loopback QStash fires schedules only when asked: ask at each schedule's cron time, as QStash would.
  const timers = new Map<string, Cron>();
  const watch = setInterval(() => {
    for (const [id, schedule] of qstash.schedules) {
      if (timers.get(id)?.getPattern() === schedule.cron) continue;
      timers.get(id)?.stop();
      const [, zone, pattern] = /^(?:CRON_TZ=(\S+)\s+)?(.*)$/.exec(schedule.cron)!;
      timers.set(id, new Cron(pattern, { timezone: zone }, () => qstash.fireSchedule(id)));
    }
  }, 1000);

  const vars: Record<string, string> = {
    PUBLIC_URL: options.workerUrl,
    DATABASE_URL: options.databaseUrl,
    NEON_WS_PROXY: `127.0.0.1:${neon.port}/v2`,
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
    REDIS_KEY_PREFIX: 'tw-dev:',
    QSTASH_URL: qstash.url,
    QSTASH_TOKEN: keys.token,
    QSTASH_CURRENT_SIGNING_KEY: keys.currentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: keys.nextSigningKey,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.credentials.region,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    JWT_SECRET: `dev-${random()}${random()}`,
  };
  return {
    vars,
    async close() {
      clearInterval(watch);
      for (const timer of timers.values()) timer.stop();
      await Promise.all([neon.close(), upstash.close(), qstash.close(), s3.close()]);
    },
  };
}

export const formatDevVars = (vars: Record<string, string>) => `${Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n')}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      write: { type: 'boolean', default: false },
      'database-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/taxiwatch_dev' },
      'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
      'worker-url': { type: 'string', default: process.env.PUBLIC_URL ?? 'http://127.0.0.1:8787' },
    },
  });
  const services = await startDevServices({
    databaseUrl: values['database-url']!,
    redisUrl: values['redis-url']!,
    workerUrl: values['worker-url']!,
    s3Directory: join(process.env.DATA_DIR ?? './data', 'dev-s3'),
  });
  const text = formatDevVars(services.vars);
  if (values.write) {
    // DEV_VARS_FILE: somewhere else than wrangler's .dev.vars (the tests use it, to leave a developer's file alone).
    const file = process.env.DEV_VARS_FILE ?? '.dev.vars';
    await writeFile(file, text, { mode: 0o600 });
    console.log(`Wrote ${file}. Now start the Worker in another terminal: npx wrangler dev`);
  } else {
    console.log(`Put these in .dev.vars (or run with -- --write), then start the Worker: npx wrangler dev\n\n${text}`);
  }
  console.log('Services ready; Ctrl+C stops them.');
  const stop = () => void services.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
