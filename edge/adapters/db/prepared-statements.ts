/**
 * Named (prepared) statements for node-postgres under Kysely. Kysely sends every query as an unnamed statement,
 * which Postgres parses and plans again on every execution; ingest sends the same few dozen statements thousands
 * of times a second, so there that parsing and planning was a large part of Postgres's CPU. A statement seen a
 * few times gets a name: each connection then parses it once, and Postgres may keep its plan.
 *
 * Bounded, because statement texts are not all alike: grouped inserts and `IN` lists change with their row count.
 * Only texts seen `repeatsBeforeNaming` times are named, at most `maxNames` of them (each connection holds a
 * prepared statement per name), none longer than `maxLength`, and the counts of texts not yet named are forgotten
 * when they grow past a limit.
 * Every execution is still planned for its own parameters (plan_cache_mode=force_custom_plan): a generic plan
 * cannot use a partial index whose condition is a parameter here (Kysely sends literals such as 'pending' as
 * parameters), and counting a fleet's pending frames through another index got slower with every frame stored.
 * Behind a pooler in transaction mode (PgBouncer before 1.21) named statements break: set
 * DATABASE_PREPARED_STATEMENTS=false there.
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

export interface StatementNamerOptions {
  maxNames?: number;
  repeatsBeforeNaming?: number;
  /** Distinct unnamed texts counted before the counts start over. */
  maxCounted?: number;
  /** Longer texts are never named. */
  maxLength?: number;
}

/** The name a statement text runs under, or undefined to send it unnamed. */
export function createStatementNamer(options: StatementNamerOptions = {}): (text: string) => string | undefined {
  const maxNames = options.maxNames ?? 300;
  const repeats = options.repeatsBeforeNaming ?? 3;
  const maxCounted = options.maxCounted ?? 5000;
  const maxLength = options.maxLength ?? 4096;
  const names = new Map<string, string>();
  let counts = new Map<string, number>();
  return (text) => {
    // A long text is a grouped insert of many rows: its row count varies, and parsing it is little next to running it.
    if (text.length > maxLength) return undefined;
    const name = names.get(text);
    if (name !== undefined || names.size >= maxNames) return name;
    const seen = (counts.get(text) ?? 0) + 1;
    if (seen < repeats) {
      if (counts.size >= maxCounted) counts = new Map();
      counts.set(text, seen);
      return undefined;
    }
    counts.delete(text);
    const named = `tw${names.size + 1}`;
    names.set(text, named);
    return named;
  };
}

/** The pool as Kysely's PostgresDialect sees it, with each client's queries named by `nameOf`. */
export function withPreparedStatements(pool: pg.Pool, nameOf = createStatementNamer()): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    query: ((textOrCursor: unknown, values?: unknown[]) => {
      // A cursor (streamed results) goes through as it came.
      if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never, values as never);
      const name = nameOf(textOrCursor);
      return name === undefined ? client.query(textOrCursor, values) : client.query({ name, text: textOrCursor, values });
    }) as never,
    release: (destroy?: boolean) => client.release(destroy),
  });
  return {
    async connect() {
      const client = await pool.connect();
      let kyselyClient = wrapped.get(client);
      if (!kyselyClient) wrapped.set(client, (kyselyClient = wrap(client)));
      return kyselyClient;
    },
    end: () => pool.end(),
  };
}
