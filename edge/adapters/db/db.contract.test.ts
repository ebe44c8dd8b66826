/** The Db port contract (ports/db.ts), run over every adapter: PGlite always, Postgres when it answers. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ports/db.ts';
import { prepared } from '../../db/prepared.ts';
import { relaxedCommit } from '../../db/relaxed-commit.ts';
import WebSocket from 'ws';
import { startNeonWsProxy } from '../../../e2e/support/neon-ws-proxy.ts';
import { createTestPglite, createTestPostgres, postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createNeonDb } from './neon-db.ts';

interface AdapterUnderTest {
  name: string;
  available: () => Promise<boolean>;
  open: () => Promise<{ db: Db; dispose: () => Promise<void> }>;
}

const adapters: AdapterUnderTest[] = [
  {
    name: 'pglite',
    available: async () => true,
    open: async () => {
      const db = await createTestPglite();
      return { db, dispose: () => db.close() };
    },
  },
  {
    name: 'postgres',
    available: postgresAvailable,
    open: async () => {
      const pg = await createTestPostgres();
      return { db: pg.db, dispose: pg.drop };
    },
  },
  {
    // The real Neon driver over WebSocket, through a local proxy to the same Postgres.
    name: 'neon',
    available: postgresAvailable,
    open: async () => {
      const pg = await createTestPostgres();
      const target = new URL(pg.url);
      const proxy = await startNeonWsProxy({ allow: [`${target.hostname}:${target.port || 5432}`] });
      const db = createNeonDb({ connectionString: pg.url, wsProxy: proxy.wsProxy, insecure: true, webSocketConstructor: WebSocket });
      return {
        db,
        dispose: async () => {
          await db.close();
          await proxy.close();
          await pg.drop();
        },
      };
    },
  },
];

for (const adapter of adapters) {
  describe.skipIf(!(await adapter.available()))(`Db contract: ${adapter.name}`, () => {
    let db: Db;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await adapter.open());
    });
    afterAll(async () => dispose?.());

    it('names its adapter and answers ping', async () => {
      expect(db.adapter).toBe(adapter.name);
      await expect(db.ping()).resolves.toBeUndefined();
    });

    it('returns int8, numeric, timestamptz, date, jsonb and bytea in the promised shapes', async () => {
      const { rows } = await sql<{
        big: number;
        exact: string;
        at: Date;
        day: string;
        doc: unknown;
        bytes: Uint8Array;
        n: number;
      }>`select 9007199254740991::int8 as big, 12.50::numeric as exact,
                '2026-03-01T10:00:00Z'::timestamptz as at, '2026-03-01'::date as day,
                '{"a":[1,"x"]}'::jsonb as doc, '\\x00ff10'::bytea as bytes,
                (select count(*) from fleets) as n`.execute(db.kysely);
      const row = rows[0];
      expect(row.big).toBe(9007199254740991);
      expect(row.exact).toBe('12.50');
      expect(row.at).toBeInstanceOf(Date);
      expect(row.at.toISOString()).toBe('2026-03-01T10:00:00.000Z');
      expect(row.day).toBe('2026-03-01');
      expect(row.doc).toEqual({ a: [1, 'x'] });
      expect(Object.getPrototypeOf(row.bytes)).toBe(Uint8Array.prototype);
      expect(Array.from(row.bytes)).toEqual([0, 255, 16]);
      expect(typeof row.n).toBe('number');
    });

    it('reaches the same database through urgent: writes, reads and transactions', async () => {
      await db.urgent.insertInto('fleets').values({ id: 'urgent-fleet', name: 'U', timezone: 'UTC', locale: 'en', speed_limit_kmh: 50 }).execute();
      expect(await db.kysely.selectFrom('fleets').select('name').where('id', '=', 'urgent-fleet').executeTakeFirst()).toEqual({ name: 'U' });
      await db.urgent.transaction().execute((tx) => tx.updateTable('fleets').set({ name: 'V' }).where('id', '=', 'urgent-fleet').execute());
      expect(await db.urgent.selectFrom('fleets').select('name').where('id', '=', 'urgent-fleet').executeTakeFirst()).toEqual({ name: 'V' });
    });

    it('runs a statement marked prepared again and again, with other values and through either handle', async () => {
      const sum = (values: number[], handle: Db['kysely']) => prepared<{ total: number }>`SELECT coalesce(sum(v), 0)::int AS total FROM unnest(${values}::int[]) AS v`.execute(handle);
      expect((await sum([1, 2, 3], db.kysely)).rows).toEqual([{ total: 6 }]);
      expect((await sum([], db.urgent)).rows).toEqual([{ total: 0 }]);
      for (let i = 0; i < 7; i++) expect((await sum([i, 10], db.kysely)).rows).toEqual([{ total: i + 10 }]);
      await db.kysely.transaction().execute(async (tx) => expect((await sum([5], tx)).rows).toEqual([{ total: 5 }]));
    });

    it('relaxes the commit of the one transaction that asks, and only where a written row asks', async () => {
      const setting = async (handle: Db['kysely']) => (await sql<{ s: string }>`SELECT current_setting('synchronous_commit') AS s`.execute(handle)).rows[0].s;
      const before = await setting(db.kysely);
      await db.kysely.transaction().execute(async (tx) => {
        await tx.insertInto('fleets').values({ id: 'relaxed-fleet', name: 'Q', timezone: 'UTC', locale: 'es', speed_limit_kmh: 50 }).execute();
        // Evaluated only for rows the statement writes: no row matches, nothing is relaxed.
        await sql`UPDATE fleets SET name = 'none' WHERE id = 'no-such-fleet' AND ${relaxedCommit}`.execute(tx);
        expect(await setting(tx)).toBe(before);
        await sql`UPDATE fleets SET name = 'R' WHERE id = 'relaxed-fleet' AND ${relaxedCommit}`.execute(tx);
        expect(await setting(tx)).toBe('off');
      });
      // Committed, and the setting went back with the transaction: the next statements commit durably again.
      expect(await setting(db.kysely)).toBe(before);
      expect(await db.kysely.selectFrom('fleets').select('name').where('id', '=', 'relaxed-fleet').executeTakeFirst()).toEqual({ name: 'R' });
    });

    it('rolls back everything in a failed transaction', async () => {
      await expect(
        db.kysely.transaction().execute(async (tx) => {
          await tx.insertInto('fleets').values({ id: 'rollback-fleet', name: 'R', timezone: 'UTC', locale: 'es', speed_limit_kmh: 50 }).execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const found = await db.kysely.selectFrom('fleets').where('id', '=', 'rollback-fleet').selectAll().execute();
      expect(found).toEqual([]);
    });

    it('keeps a concurrent write out of a transaction that rolls back', async () => {
      const fleet = (id: string) => ({ id, name: id, timezone: 'UTC', locale: 'es' as const, speed_limit_kmh: 50 });
      let inside!: () => void;
      const txStarted = new Promise<void>((resolve) => (inside = resolve));
      const failing = db.kysely.transaction().execute(async (tx) => {
        await tx.insertInto('fleets').values(fleet('concurrent-tx')).execute();
        inside();
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('boom');
      });
      await txStarted;
      const outside = db.kysely.insertInto('fleets').values(fleet('concurrent-outside')).execute();
      await expect(failing).rejects.toThrow('boom');
      await outside;
      const ids = (await db.kysely.selectFrom('fleets').select('id').where('id', 'like', 'concurrent-%').execute()).map((r) => r.id);
      expect(ids).toEqual(['concurrent-outside']);
    });

    it('rolls back to a savepoint and commits the rest', async () => {
      const fleet = (id: string) => ({ id, name: id, timezone: 'UTC', locale: 'es' as const, speed_limit_kmh: 50 });
      const tx = await db.kysely.startTransaction().execute();
      await tx.insertInto('fleets').values(fleet('savepoint-kept')).execute();
      const inner = await tx.savepoint('before "dropped"').execute();
      await inner.insertInto('fleets').values(fleet('savepoint-dropped')).execute();
      await inner.rollbackToSavepoint('before "dropped"').execute();
      await tx.commit().execute();
      const ids = (await db.kysely.selectFrom('fleets').select('id').where('id', 'like', 'savepoint-%').execute()).map((r) => r.id);
      expect(ids).toEqual(['savepoint-kept']);
    });

    it('enforces the schema constraints', async () => {
      await db.kysely.insertInto('fleets').values({ id: 'f1', name: 'F', timezone: 'UTC', locale: 'en', speed_limit_kmh: 80 }).execute();
      await expect(
        db.kysely.insertInto('users').values({ id: 'u1', fleet_id: 'f1', email: 'a@b.c', name: '', role: 'admin', password_hash: 'x' }).execute(),
      ).rejects.toThrow();
      await db.kysely.insertInto('users').values({ id: 'u2', fleet_id: 'f1', email: 'Owner@b.c', name: '', role: 'owner', password_hash: 'x' }).execute();
      await expect(
        db.kysely.insertInto('users').values({ id: 'u3', fleet_id: 'f1', email: 'owner@B.C', name: '', role: 'viewer', password_hash: 'x' }).execute(),
      ).rejects.toThrow();
    });
  });
}
