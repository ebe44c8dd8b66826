/**
 * Named statements: which texts get a name (repeated ones, a bounded number of them), and on the real Postgres that
 * a repeated Kysely query runs as a prepared statement of its connection, with the same results, while
 * `preparedStatements: false` leaves every statement unnamed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayDatabase, postgresAvailable, TEST_POSTGRES_URL } from '../../../e2e/support/test-databases.ts';
import { createPostgresDb } from './postgres-db.ts';
import { createStatementNamer } from './prepared-statements.ts';

describe('statement names', () => {
  it('names a text once it has been seen a few times, and always the same way', () => {
    const nameOf = createStatementNamer({ repeatsBeforeNaming: 3 });
    expect([nameOf('select 1'), nameOf('select 1')]).toEqual([undefined, undefined]);
    const name = nameOf('select 1');
    expect(name).toMatch(/^tw\d+$/);
    expect(nameOf('select 1')).toBe(name);
    expect(nameOf('select 2')).toBeUndefined();
  });

  it('names at most maxNames texts, and forgets the counts of unnamed ones past maxCounted', () => {
    const nameOf = createStatementNamer({ repeatsBeforeNaming: 2, maxNames: 2, maxCounted: 3 });
    for (const text of ['a', 'b', 'c']) nameOf(text);
    expect(nameOf('a')).toBeDefined();
    expect(nameOf('b')).toBeDefined();
    expect(nameOf('c')).toBeUndefined(); // two names already
    const fresh = createStatementNamer({ repeatsBeforeNaming: 2, maxCounted: 3 });
    for (const text of ['a', 'b', 'c', 'd']) fresh(text); // the fourth text starts the counts over
    expect(fresh('a')).toBeUndefined();
    expect(fresh('d')).toBeDefined();
  });
});

const postgresUp = await postgresAvailable();

describe.skipIf(!postgresUp)('named statements on Postgres', () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createThrowawayDatabase(TEST_POSTGRES_URL, 'taxiwatch_prepared');
  });
  afterAll(() => database?.drop());

  const preparedOnConnection = async (preparedStatements: boolean) => {
    // One connection, so the session that prepared the statement is the one asked about it.
    const db = createPostgresDb({ connectionString: database.url, maxConnections: 1, preparedStatements });
    try {
      const answers: number[] = [];
      for (let n = 0; n < 6; n++) answers.push((await sql<{ v: number }>`select ${n}::int + 1 as v`.execute(db.kysely)).rows[0].v);
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db.kysely);
      return { answers, prepared: rows.map((r) => r.statement) };
    } finally {
      await db.close();
    }
  };

  it('runs a repeated query as a prepared statement of its connection, with the same results', async () => {
    const { answers, prepared } = await preparedOnConnection(true);
    expect(answers).toEqual([1, 2, 3, 4, 5, 6]);
    expect(prepared).toContain('select $1::int + 1 as v');
  });

  it('prepares nothing when turned off', async () => {
    const { answers, prepared } = await preparedOnConnection(false);
    expect(answers).toEqual([1, 2, 3, 4, 5, 6]);
    expect(prepared).toEqual([]);
  });
});
