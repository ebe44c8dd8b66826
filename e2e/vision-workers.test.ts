/**
 * `npm run worker` processes on one Postgres (issue 20): two workers together analyse every queued frame exactly
 * once, and a worker killed with SIGKILL in the middle of a frame loses nothing — its lease expires and another
 * worker analyses that frame. The model is the loopback OpenAI-compatible server, so every analysis is one recorded
 * request and a slow reply holds a worker mid-job at a known moment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsBlobs } from '../edge/adapters/blobs/fs-blobs.ts';
import { createSystemClock } from '../edge/adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../edge/adapters/clock/uuid-v7-ids.ts';
import { createDbQueue } from '../edge/adapters/queue/db-queue.ts';
import { createBlobUrlSigner } from '../edge/domain/blob-url-signer.ts';
import {
  ANALYSE_FRAME_MAX_ATTEMPTS,
  analyseFrameDedupeId,
  ANALYSE_FRAME_JOB,
} from '../edge/domain/frames/frame-triage.ts';
import { createDevice, createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import { createMemoryLogger } from '../edge/observability/logger.ts';
import { sharedDataDir } from '../firmware/simulator/shared-data.ts';
import { reply, startOpenAiCompatibleServer } from './support/openai-compatible-server.ts';
import { freePort, startProcess, type RunningServer } from './support/spawn-server.ts';
import { createTestPostgres, postgresAvailable } from './support/test-databases.ts';

const postgresUp = await postgresAvailable();
const JPEG = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_advlane_test1.jpg')));
const LEASE_MS = 3000;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const until = async (
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  describeState: () => string = () => '',
) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${describeState()}`);
};

describe.skipIf(!postgresUp)('vision workers on Postgres', () => {
  it(
    'two workers analyse each frame once, and a worker killed mid-job loses nothing',
    { timeout: 300_000 },
    async () => {
      const pg = await createTestPostgres();
      cleanups.push(() => pg.drop());
      const dataDir = await mkdtemp(join(tmpdir(), 'taxiwatch-workers-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const model = await startOpenAiCompatibleServer();
      cleanups.push(() => model.close());
      let replyDelayMs = 100;
      model.respondWith(() => reply.delay(replyDelayMs));

      const clock = createSystemClock();
      const ids = createUuidV7Ids(clock);
      const deps = { db: pg.db.kysely, clock, ids };
      const fleetId = (await createFleet(deps, { name: 'Workers' })).id;
      const vehicleId = (await createVehicle(deps, { fleetId, plate: 'W-1' })).id;
      const deviceId = (await createDevice(deps, { vehicleId })).id;
      const blobs = createFsBlobs({
        root: join(dataDir, 'blobs'),
        signer: createBlobUrlSigner({
          secret: 'workers-test-secret-workers-test-secret',
          baseUrl: 'http://127.0.0.1',
          clock,
        }),
      });
      const queue = createDbQueue({ db: pg.db, clock, ids, log: createMemoryLogger().logger });
      let taken = 0;
      /** Stores `n` frames (high priority, so none is skipped as stale however slow the machine) and queues each. */
      const queueFrames = async (n: number) => {
        const frameIds: string[] = [];
        for (let i = 0; i < n; i++) {
          const id = ids.next();
          const key = `frames/${vehicleId}/${id}.jpg`;
          await blobs.put(key, JPEG, { contentType: 'image/jpeg' });
          await pg.db.kysely
            .insertInto('frames')
            .values({
              id,
              fleet_id: fleetId,
              vehicle_id: vehicleId,
              device_id: deviceId,
              blob_key: key,
              captured_at: new Date(Date.now() - 60_000 + ++taken * 10),
              received_at: new Date(),
              size_bytes: JPEG.length,
              width: 1280,
              height: 720,
              priority: 'high',
            })
            .execute();
          await queue.enqueue(
            ANALYSE_FRAME_JOB,
            { frameId: id },
            { dedupeId: analyseFrameDedupeId(id), maxAttempts: ANALYSE_FRAME_MAX_ATTEMPTS, priority: 10 },
          );
          frameIds.push(id);
        }
        return frameIds;
      };
      const statuses = async (frameIds: string[]) =>
        (await pg.db.kysely.selectFrom('frames').select('analysis_status').where('id', 'in', frameIds).execute()).map(
          (r) => r.analysis_status,
        );
      const allDone = (frameIds: string[]) => async () => (await statuses(frameIds)).every((s) => s === 'done');

      const env = {
        DATABASE_URL: pg.url,
        DATA_DIR: dataDir,
        REDIS_URL: undefined,
        QSTASH_TOKEN: undefined,
        VISION_ANALYSER: 'cloud',
        OPENAI_BASE_URL: model.baseURL,
        OPENAI_API_KEY: 'sk-workers',
        OPENAI_MAX_RETRIES: '0',
        QUEUE_POLL_MS: '50',
        QUEUE_CONCURRENCY: '1',
        QUEUE_LEASE_MS: String(LEASE_MS),
        JWT_SECRET: 'workers-test-jwt-secret-workers-test-jwt-secret',
        LOG_LEVEL: 'info',
      };
      const workers: RunningServer[] = [];
      const exited = new Set<RunningServer>();
      const startWorker = async () => {
        // The port is never opened (a worker serves nothing); the configuration only needs a valid one.
        const worker = startProcess(
          join(process.cwd(), 'node_modules/.bin/tsx'),
          ['edge/runtime/node-worker.ts', '--jobs', ANALYSE_FRAME_JOB],
          env,
          await freePort(),
        );
        void worker.exited.then(() => exited.add(worker));
        workers.push(worker);
        cleanups.push(() => worker.stop());
        return worker;
      };
      const output = () => workers.map((w, i) => `--- worker ${i}\n${w.output()}`).join('\n');
      /** Waits for `check`, failing at once when a running worker exits on its own. */
      const waitFor = (what: string, check: () => Promise<boolean>) =>
        until(
          what,
          async () => {
            const gone = workers.find((w) => exited.has(w));
            if (gone) throw new Error(`a worker exited while waiting for ${what}:\n${output()}`);
            return check();
          },
          180_000,
          output,
        );

      // 1. Two workers share twenty frames: every frame analysed, one model call each (no frame twice).
      const first = await queueFrames(20);
      await startWorker();
      await startWorker();
      await waitFor('20 frames analysed by two workers', allDone(first));
      expect(model.requests).toHaveLength(20);
      expect(output()).toMatch(/worker started/);
      await Promise.all(workers.splice(0).map((w) => w.stop()));

      // 2. One worker, slow replies: killed with SIGKILL while the model holds its frame; another worker takes over.
      replyDelayMs = 4000;
      const before = model.requests.length;
      const second = await queueFrames(5);
      const doomed = await startWorker();
      await waitFor('the first worker to be mid-job', async () => model.requests.length > before);
      workers.splice(workers.indexOf(doomed), 1);
      process.kill(-doomed.pid, 'SIGKILL');
      await doomed.exited;
      replyDelayMs = 50;
      await startWorker();
      await waitFor('every frame analysed after the kill', allDone(second));
      const jobs = await pg.db.kysely
        .selectFrom('jobs')
        .select(['status', 'attempts'])
        .where('name', '=', ANALYSE_FRAME_JOB)
        .execute();
      expect(jobs.every((j) => j.status === 'done')).toBe(true);
      // The killed job ran twice (the lost attempt and the one that finished); the model saw one extra request for it.
      expect(jobs.filter((j) => j.attempts === 2)).toHaveLength(1);
      expect(model.requests.length - before).toBe(second.length + 1);
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    },
  );

  it('an offline worker loads and runs its model before it claims a frame', { timeout: 300_000 }, async () => {
    const pg = await createTestPostgres();
    cleanups.push(() => pg.drop());
    const dataDir = await mkdtemp(join(tmpdir(), 'taxiwatch-warm-worker-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const worker = startProcess(
      join(process.cwd(), 'node_modules/.bin/tsx'),
      ['edge/runtime/node-worker.ts', '--jobs', ANALYSE_FRAME_JOB],
      {
        DATABASE_URL: pg.url,
        DATA_DIR: dataDir,
        REDIS_URL: undefined,
        QSTASH_TOKEN: undefined,
        VISION_ANALYSER: 'offline',
        OPENAI_API_KEY: undefined,
        OPENAI_BASE_URL: undefined,
        JWT_SECRET: 'workers-test-jwt-secret-workers-test-jwt-secret',
        LOG_LEVEL: 'info',
      },
      await freePort(),
    );
    cleanups.push(() => worker.stop());
    await until('the worker to start', async () => /worker started/.test(worker.output()), 240_000, worker.output);
    const lines = worker.output().split('\n');
    const warmed = lines.findIndex((l) => l.includes('analyser warmed up'));
    const started = lines.findIndex((l) => l.includes('worker started'));
    expect(warmed, worker.output()).toBeGreaterThanOrEqual(0);
    expect(warmed).toBeLessThan(started);
    expect(lines[started]).toMatch(/"analyserReady":\s*true/);
  });
});
