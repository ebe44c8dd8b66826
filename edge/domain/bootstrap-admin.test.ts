import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import type { Db } from '../ports/db.ts';
import { createTestPglite, createTestPostgres, postgresAvailable } from '../../e2e/support/test-databases.ts';
import { bootstrapAdmin } from './bootstrap-admin.ts';
import type { DomainDeps } from './deps.ts';
import { verifyPassword } from './passwords.ts';

const databases = [
  { name: 'pglite', available: async () => true, open: async () => { const db = await createTestPglite(); return { db, dispose: () => db.close() }; } },
  // Real Postgres runs the two starts truly in parallel on separate connections.
  { name: 'postgres', available: postgresAvailable, open: async () => { const pg = await createTestPostgres(); return { db: pg.db, dispose: pg.drop }; } },
];

for (const database of databases) {
  describe.skipIf(!(await database.available()))(`bootstrapAdmin on ${database.name}`, () => {
    let db: Db;
    let dispose: () => Promise<void>;
    let deps: DomainDeps;
    beforeAll(async () => {
      ({ db, dispose } = await database.open());
      const clock = createManualClock();
      deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
    });
    afterAll(() => dispose?.());

    it('creates the first admin once, even when two starts race', async () => {
      const outcomes = await Promise.all([
        bootstrapAdmin(deps, { email: 'Root@Example.com', password: 'bootstrap-password' }),
        bootstrapAdmin(deps, { email: 'root@example.com', password: 'bootstrap-password' }),
      ]);
      expect(outcomes.sort()).toEqual(['created', 'exists']);
      expect(await bootstrapAdmin(deps, { email: 'other@example.com', password: 'another-password' })).toBe('exists');
      const admins = await db.kysely.selectFrom('users').selectAll().where('role', '=', 'admin').execute();
      expect(admins).toHaveLength(1);
      expect(admins[0]).toMatchObject({ email: 'root@example.com', fleet_id: null });
      expect(await verifyPassword('bootstrap-password', admins[0].password_hash)).toBe(true);
    });

    it('rejects credentials that do not make a valid admin', async () => {
      await db.kysely.deleteFrom('users').execute();
      await expect(bootstrapAdmin(deps, { email: 'root@example.com', password: 'short' })).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await db.kysely.selectFrom('users').select('id').execute()).toEqual([]);
    });
  });
}
