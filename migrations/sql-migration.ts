/**
 * Turns a block of DDL into a Kysely migration. Statements run one at a time because prepared statements
 * (PGlite, pg with parameters, Neon) accept one command each; they are split at a `;` that ends a line,
 * so a statement with a body (functions, DO blocks) must keep its inner semicolons off line ends.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely';

export function sqlMigration(ddl: string): Migration {
  const statements = ddl
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
  return {
    async up(db: Kysely<any>) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
