/** Applies migrations/ to a database; the same code path for PGlite, Postgres and Neon. */
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely';
import { migrations } from '../../migrations/index.ts';

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Migrations are named by the issue that added them (1201-…, 1701-…) and each touches only its own tables and
    // columns, so one that lands after a later-numbered one has been applied must still run, not stop the start.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
