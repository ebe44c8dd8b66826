/**
 * `npm run dev:services`, as the docs give it: the local stand-ins for Neon, Upstash, QStash and S3 start, their
 * variables are printed (or written with `--write`), and `wrangler dev` given those variables is green on every
 * production adapter, with QStash firing the job schedules at their cron times.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createThrowawayDatabase, postgresAvailable, TEST_POSTGRES_URL } from '../support/test-databases.ts';
import { redisAvailable, serverRedisKeys, TEST_REDIS_URL } from '../support/test-redis.ts';
import { freePort, startProcess, waitForHttp, type RunningServer } from '../support/spawn-server.ts';
import { startDocumented } from './run-documented.ts';

const ready = (await postgresAvailable()) && (await redisAvailable());
const running: RunningServer[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const parseVars = (text: string) => Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));

describe.skipIf(!ready)('npm run dev:services', () => {
  it('starts the stand-ins, writes .dev.vars, and wrangler dev runs on them', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-dev-services-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // A database name nobody has: the command creates and migrates it.
    const database = await createThrowawayDatabase(TEST_POSTGRES_URL, 'taxiwatch_dev');
    await database.drop();
    cleanups.push(database.drop);
    // The Worker will listen on a free port: PUBLIC_URL says where (QStash delivers there).
    const port = await freePort();
    const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, DATA_DIR: dir, DEV_VARS_FILE: join(dir, '.dev.vars'), PUBLIC_URL: `http://127.0.0.1:${port}` };

    const printing = startDocumented(`npm run dev:services`, env, await freePort());
    running.push(printing);
    await expect.poll(() => printing.output(), { timeout: 120_000, interval: 250 }).toContain('Services ready');
    expect(parseVars(printing.output())).toMatchObject({ DATABASE_URL: database.url, NEON_WS_PROXY: expect.stringMatching(/^127\.0\.0\.1:\d+\/v2$/) });
    await printing.stop();

    const services = startDocumented(`npm run dev:services -- --write`, env, await freePort());
    running.push(services);
    await expect.poll(() => services.output(), { timeout: 120_000, interval: 250 }).toContain('Services ready');
    const vars = parseVars(await readFile(env.DEV_VARS_FILE, 'utf8'));
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(['UPSTASH_REDIS_REST_URL', 'QSTASH_TOKEN', 'QSTASH_CURRENT_SIGNING_KEY', 'S3_ENDPOINT', 'JWT_SECRET']));

    expect(vars.PUBLIC_URL).toBe(env.PUBLIC_URL);
    // Keys under this run's own Redis prefix, deleted afterwards.
    const redisKeys = serverRedisKeys();
    cleanups.push(redisKeys.deleteAll);
    const overrides = { ...vars, REDIS_KEY_PREFIX: redisKeys.REDIS_KEY_PREFIX };
    const varArgs = Object.entries(overrides).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
    const wrangler = startProcess(
      join(process.cwd(), 'node_modules/.bin/wrangler'),
      ['dev', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(await freePort()), '--log-level', 'warn', ...varArgs],
      { WRANGLER_SEND_METRICS: 'false', CI: 'true', XDG_CONFIG_HOME: dir },
      port,
    );
    running.unshift(wrangler); // stopped before the services it uses
    await waitForHttp(`${wrangler.url}/api/v1/health`, wrangler, 150_000, [200, 503]);
    // Asked again with room for a slow answer: on a busy machine health (every adapter, through the stand-ins) can
    // take longer than the polling's five seconds to finish its body.
    const res = await fetch(`${wrangler.url}/api/v1/health`, { signal: AbortSignal.timeout(60_000) });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.components).toMatchObject({ db: { adapter: 'neon' }, cache: { adapter: 'upstash' }, queue: { adapter: 'qstash' }, blobs: { adapter: 's3' } });

    // The command registered the schedules; the stand-in fires the every-minute one at its time, delivered to the Worker.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await expect
        .poll(async () => (await client.query(`select 1 from job_deliveries where job_name = 'mark-offline-vehicles'`)).rowCount, { timeout: 75_000, interval: 1000 })
        .toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
