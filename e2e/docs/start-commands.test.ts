/**
 * The start commands README.md and docs/ give, run exactly as written (through a shell, from the repository root) to
 * a green health. Only the environment is the test's: a free PORT and a throwaway DATA_DIR.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestPostgres, postgresAvailable } from '../support/test-databases.ts';
import { redisAvailable, serverRedisKeys, TEST_REDIS_URL } from '../support/test-redis.ts';
import { freePort, waitForHttp, type RunningServer } from '../support/spawn-server.ts';
import { fillPlaceholders, startDocumented } from './run-documented.ts';

const postgresUp = await postgresAvailable();
const redisUp = await redisAvailable();
const running: RunningServer[] = [];
const dirs: string[] = [];

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-doc-start-'));
  dirs.push(dir);
  return dir;
}

async function start(command: string, env: Record<string, string | undefined> = {}) {
  const port = await freePort();
  const server = startDocumented(command, { DATA_DIR: await tempDir(), DATABASE_URL: undefined, REDIS_URL: undefined, ...env }, port);
  running.push(server);
  return server;
}

async function greenHealth(server: RunningServer, url = server.url) {
  const res = await waitForHttp(`${url}/api/v1/health/`, server, 150_000, [200, 503]);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('documented start commands', () => {
  it('npm start: green health, then the first start says what to open and gives the logins once', { timeout: 240_000 }, async () => {
    const dataDir = await tempDir();
    const first = await start(`npm start`, { DATA_DIR: dataDir });
    expect((await greenHealth(first)).runtime).toBe('node');
    const port = new URL(first.url).port;
    for (const url of [`http://localhost:${port}/ `, `http://localhost:${port}/api/v1/health/`, `http://localhost:${port}/api/docs`]) expect(first.output()).toContain(url);
    expect(first.output()).toContain('npm start -- --demo');
    expect(first.output()).toMatch(/Owner: owner@taxiwatch\.local {2}password: \S{12,}/);
    await first.stop();

    const second = await start(`npm start`, { DATA_DIR: dataDir });
    await greenHealth(second);
    expect(second.output()).not.toContain('password:');
    expect(second.output()).toContain('npm run admin -- reset-password --email <email>');
    expect(second.output()).toContain('npm run admin -- reset-mfa --email <email>');
  });

  it.each([`npm start -- --demo`, `DEMO_SIMULATOR=1 npm start`])('%s: green health, and the demo taxis drive', { timeout: 240_000 }, async (command) => {
    const server = await start(command);
    await greenHealth(server);
    expect(server.output()).toContain('The demo taxis are driving');
    // The simulator posts through the device protocol: its fixes reach this server's ingest.
    await expect.poll(() => server.output(), { timeout: 60_000, interval: 500 }).toMatch(/"path":"\/api\/v1\/tracking\/location","status":202/);
  });

  it('npx deno task start: green health on Deno (the task must not run node_modules/.bin/deno as a script)', { timeout: 240_000 }, async () => {
    const server = await start(`npx deno task start`);
    expect((await greenHealth(server)).runtime).toBe('deno');
    expect(server.output()).toContain('TaxiWatch is running');
  });

  it('deno task start, with a Deno on the PATH: green health', { timeout: 240_000 }, async () => {
    const server = await start(`deno task start`, { PATH: `${join(process.cwd(), 'node_modules/.bin')}${delimiter}${process.env.PATH}` });
    expect((await greenHealth(server)).runtime).toBe('deno');
  });

  it.skipIf(!postgresUp || !redisUp)('DATABASE_URL=… REDIS_URL=… npx deno task start: green on Postgres and Redis', { timeout: 240_000 }, async () => {
    const pg = await createTestPostgres();
    const redisKeys = serverRedisKeys();
    try {
      const server = await start(fillPlaceholders(`DATABASE_URL=… REDIS_URL=… npx deno task start`, { '…': [pg.url, TEST_REDIS_URL] }), { REDIS_KEY_PREFIX: redisKeys.REDIS_KEY_PREFIX });
      const body = await greenHealth(server);
      expect(body.components).toMatchObject({ db: { adapter: 'postgres' }, cache: { adapter: 'redis' }, bus: { adapter: 'redis' } });
      await server.stop();
    } finally {
      await redisKeys.deleteAll();
      await pg.drop();
    }
  });

  it.each([
    `VISION_ANALYSER=cloud OPENAI_BASE_URL=http://127.0.0.1:11434/v1 OPENAI_VISION_MODEL=qwen2.5vl:7b OPENAI_TIMEOUT_MS=60000 npm start`,
    `VISION_ANALYSER=cloud OPENAI_BASE_URL=http://127.0.0.1:8000/v1 OPENAI_VISION_MODEL=Qwen/Qwen2.5-VL-7B-Instruct npm start`,
  ])('%s: starts green with the cloud analyser', { timeout: 240_000 }, async (command) => {
    const server = await start(command);
    await greenHealth(server);
    expect(server.output()).toMatch(/"msg":"vision analyser".*"analyser":"openai/);
  });

  it.each([`npx wrangler dev`, `wrangler dev`])('%s: workerd answers, and its health names what is not configured', { timeout: 240_000 }, async (command) => {
    // wrangler takes its port from wrangler.toml or 8787, falling back to a free one; the test reads which it chose.
    // The bare `wrangler dev` finds the installed wrangler on the PATH, as a global install would be.
    const path = `${join(process.cwd(), 'node_modules/.bin')}${delimiter}${process.env.PATH}`;
    const server = await start(command, { WRANGLER_SEND_METRICS: 'false', CI: 'true', XDG_CONFIG_HOME: await tempDir(), PATH: path });
    await expect.poll(() => /Ready on (http:\/\/\S+)/.exec(server.output())?.[1], { timeout: 150_000, interval: 500 }).toBeTruthy();
    const url = /Ready on (http:\/\/\S+)/.exec(server.output())![1].replace(/\/$/, '');
    const res = await waitForHttp(`${url}/api/v1/health`, server, 60_000, [200, 503]);
    const body = await res.json();
    expect(body.runtime).toBe('workerd');
    expect(res.status).toBe(503);
    expect(body.components.db.error).toContain('DATABASE_URL');
  });
});
