/**
 * CPU of one grouped fix insert (edge/domain/ingest/store-fixes.ts), in this process and in its Postgres backend:
 * `--batches` taxis' batches of ten fixes in one statement (at 5,000 taxis a group holds up to 400 batches), run
 * `--rounds` times after three warm-up rounds, on a throwaway Postgres database. CPU, not time, so a busy machine
 * changes little; run it in two checkouts to compare two versions of the insert.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createPostgresDb } from '../../edge/adapters/db/postgres-db.ts';
import { migrateToLatest } from '../../edge/db/migrate.ts';
import type { DeviceIdentity } from '../../edge/domain/devices/device-auth.ts';
import { storeFixesOfDevices } from '../../edge/domain/ingest/store-fixes.ts';
import type { Platform } from '../../edge/platform.ts';
import { createThrowawayDatabase } from '../support/test-databases.ts';
import { BENCH_POSTGRES_URL } from './bench-db.ts';
import { sampleTree } from './process-tree.ts';

const { values } = parseArgs({ options: { batches: { type: 'string', default: '400' }, rounds: { type: 'string', default: '20' } } });
const whole = (name: 'batches' | 'rounds') => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
};
const batchesPerGroup = whole('batches');
const rounds = whole('rounds');

const database = await createThrowawayDatabase(BENCH_POSTGRES_URL, 'taxiwatch_bench_store');
// One connection, so the backend whose CPU is read is the one that ran every statement.
const db = createPostgresDb({ connectionString: database.url, maxConnections: 1 });
try {
  await migrateToLatest(db.kysely);
  const k = db.kysely;
  await sql`insert into fleets (id, name, timezone, locale, speed_limit_kmh, created_at) values ('bench-fleet', 'Bench', 'UTC', 'en', 50, now())`.execute(k);
  await sql`insert into vehicles (id, fleet_id, plate, status, created_at)
    select 'bench-v' || i, 'bench-fleet', 'B' || i, 'active', now() from generate_series(1, ${batchesPerGroup}) i`.execute(k);
  await sql`insert into devices (id, fleet_id, vehicle_id, name, key_prefix, key_hash, key_expires_at, status, created_at)
    select 'bench-d' || i, 'bench-fleet', 'bench-v' || i, 'unit', 'p' || i, 'h' || i, now() + interval '1 year', 'active', now()
    from generate_series(1, ${batchesPerGroup}) i`.execute(k);
  const backend = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(k)).rows[0].pid;
  const backendCpuMs = () => (sampleTree(backend)[0]?.cpuSeconds ?? NaN) * 1000;
  const platform = { db, clock: { now: () => Date.now() } } as unknown as Platform;
  let start = Date.parse('2026-01-01T00:00:00Z');
  const group = () => {
    const batches = Array.from({ length: batchesPerGroup }, (_, i) => ({
      device: { deviceId: `bench-d${i + 1}`, vehicleId: `bench-v${i + 1}`, fleetId: 'bench-fleet' } as DeviceIdentity,
      fixes: Array.from({ length: 10 }, (_, j) => ({ latitude: 40.4 + i * 1e-4, longitude: -3.7 - j * 1e-5, speed: 30, heading: 90, timestamp: new Date(start + j * 1000).toISOString() })),
    }));
    start += 10_000;
    return storeFixesOfDevices(platform, batches);
  };
  for (let i = 0; i < 3; i++) await group();
  const pgBefore = backendCpuMs();
  const nodeBefore = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    const stored = await group();
    if (stored.some((s) => s.stored !== 10)) throw new Error('a batch was not stored whole');
  }
  const node = process.cpuUsage(nodeBefore);
  const nodeMs = (node.user + node.system) / 1000 / rounds;
  const pgMs = (backendCpuMs() - pgBefore) / rounds;
  console.log(`store fixes: ${batchesPerGroup} batches × 10 fixes a statement, ${rounds} statements`);
  console.log(`CPU per statement: node ${nodeMs.toFixed(1)} ms, postgres ${pgMs.toFixed(1)} ms; per fix ${((1000 * nodeMs) / (batchesPerGroup * 10)).toFixed(1)} / ${((1000 * pgMs) / (batchesPerGroup * 10)).toFixed(1)} µs`);
} finally {
  await db.close();
  await database.drop();
}
