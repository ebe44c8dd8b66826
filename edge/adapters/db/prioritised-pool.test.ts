/**
 * The two doors onto one pool: with every connection busy, a freed connection goes to the urgent caller first,
 * whatever the order they came in; routine callers still get every connection urgent ones do not want. First over
 * a stand-in pool (the order is all that is under test), then on Postgres through the adapter itself.
 */
import { sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createThrowawayDatabase, postgresAvailable, TEST_POSTGRES_URL } from '../../../e2e/support/test-databases.ts';
import { createPostgresDb } from './postgres-db.ts';
import { prioritisedPool } from './prioritised-pool.ts';

function standInPool() {
  const released: string[] = [];
  let made = 0;
  let ends = 0;
  let failNext = false;
  const pool: PostgresPool = {
    async connect() {
      if (failNext) {
        failNext = false;
        throw new Error('connection refused');
      }
      const name = `client-${++made}`;
      return { query: async () => ({ rows: [] }), release: () => released.push(name) } as unknown as PostgresPoolClient;
    },
    async end() {
      ends++;
    },
  };
  return { pool, released, ends: () => ends, failNextConnect: () => (failNext = true) };
}

describe('prioritisedPool', () => {
  it('hands a freed connection to the urgent caller before routine callers who came first', async () => {
    const { pool } = standInPool();
    const doors = prioritisedPool(pool, 1);
    const held = await doors.routine.connect();
    const order: string[] = [];
    // Each caller gives its connection back as soon as it has it, so the next in line gets it.
    const take = (door: 'urgent' | 'routine', name: string) => doors[door].connect().then((c) => (order.push(name), c.release()));
    const all = Promise.all([take('routine', 'routine A'), take('routine', 'routine B'), take('urgent', 'urgent')]);
    await Promise.resolve();
    expect(doors.waiting()).toEqual({ urgent: 1, routine: 2 });
    held.release();
    await all;
    expect(order).toEqual(['urgent', 'routine A', 'routine B']);
    expect(doors.waiting()).toEqual({ urgent: 0, routine: 0 });
  });

  it('lets routine callers use every connection while no urgent caller waits', async () => {
    const { pool } = standInPool();
    const doors = prioritisedPool(pool, 3);
    const clients = await Promise.all([doors.routine.connect(), doors.routine.connect(), doors.routine.connect()]);
    let fourth = false;
    const waiting = doors.routine.connect().then((c) => ((fourth = true), c));
    await Promise.resolve();
    expect(fourth).toBe(false);
    clients[0].release();
    (await waiting).release();
    expect(fourth).toBe(true);
  });

  it('frees the slot when the pool cannot connect, so the next caller is not stuck', async () => {
    const stand = standInPool();
    const doors = prioritisedPool(stand.pool, 1);
    stand.failNextConnect();
    await expect(doors.urgent.connect()).rejects.toThrow('connection refused');
    const client = await doors.routine.connect();
    client.release();
    expect(stand.released).toEqual(['client-1']);
  });

  it('ends the pool once, from either door', async () => {
    const stand = standInPool();
    const doors = prioritisedPool(stand.pool, 2);
    await Promise.all([doors.urgent.end(), doors.routine.end(), doors.routine.end()]);
    expect(stand.ends()).toBe(1);
  });

  it('refuses a size below one', () => {
    expect(() => prioritisedPool(standInPool().pool, 0)).toThrow('at least 1');
  });
});

const postgres = await postgresAvailable();
describe.skipIf(!postgres)('prioritised pool on Postgres (createPostgresDb)', () => {
  it('runs an urgent statement before routine ones queued earlier while a transaction holds the only connection', async () => {
    const database = await createThrowawayDatabase(TEST_POSTGRES_URL, 'taxiwatch_prio');
    const db = createPostgresDb({ connectionString: database.url, maxConnections: 1 });
    try {
      const order: string[] = [];
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const transaction = db.kysely.transaction().execute(async (tx) => {
        await sql`select 1`.execute(tx);
        holding();
        await finished;
      });
      await held;
      const routine = sql`select 'routine' as who`.execute(db.kysely).then(() => order.push('routine'));
      const urgent = sql`select 'urgent' as who`.execute(db.urgent).then(() => order.push('urgent'));
      await new Promise((r) => setTimeout(r, 20));
      expect(order).toEqual([]);
      finish();
      await Promise.all([transaction, routine, urgent]);
      expect(order).toEqual(['urgent', 'routine']);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
