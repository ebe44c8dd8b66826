/**
 * Kysely dialect for PGlite. PGlite has one connection, so the driver hands it to one caller at a time: a transaction
 * holds it from BEGIN to COMMIT, and every other query waits its turn (an unrelated insert can never land inside, or
 * be rolled back with, somebody else's transaction). Transactions run through PGlite's own exclusive
 * `transaction()`, so direct use of the PGlite instance (dumps) cannot interleave either.
 *
 * Kysely 0.29 ships the same design as `PGliteDialect`, but declares Node ≥ 22; this project runs on Node 20, so it
 * uses Kysely 0.28, which has no PGlite dialect.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

export class PgliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

/** Promise.withResolvers, which Node 20 lacks. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(private readonly pglite: PGlite) {
    this.#connection = new PgliteConnection(pglite);
  }

  async init() {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const turn = deferred();
    const previous = this.#queue;
    this.#queue = previous.then(() => turn.promise);
    await previous;
    this.#release = turn.resolve;
    return this.#connection;
  }

  async releaseConnection() {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  beginTransaction() {
    return this.#connection.begin();
  }
  commitTransaction() {
    return this.#connection.commit();
  }
  rollbackTransaction() {
    return this.#connection.rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${identifier(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${identifier(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${identifier(name)}`));
  }

  async destroy() {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

class PgliteConnection implements DatabaseConnection {
  #transaction: Transaction | undefined;
  #finish: ReturnType<typeof deferred<void>> | undefined;
  #closed: Promise<void> | undefined;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await (this.#transaction ?? this.pglite).query<R>(query.sql, [...query.parameters], { rowMode: 'object' });
    return { rows: result.rows ?? [], numAffectedRows: result.affectedRows == null ? undefined : BigInt(result.affectedRows) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results');
  }

  async begin() {
    const begun = deferred();
    this.#finish = deferred();
    const finish = this.#finish.promise;
    this.#closed = this.pglite.transaction(async (tx) => {
      this.#transaction = tx;
      begun.resolve();
      await finish; // rejecting it makes PGlite roll back
    });
    // A BEGIN that fails rejects #closed before the callback runs.
    await Promise.race([begun.promise, this.#closed]);
  }

  async commit() {
    this.#finish?.resolve();
    try {
      await this.#closed;
    } catch (error) {
      // 25P02: a statement failed inside, so PGlite rolled back instead of committing.
      if ((error as { code?: string })?.code === '25P02') throw Object.assign(new AbortedTransactionError(), { cause: error });
      throw error;
    } finally {
      this.#reset();
    }
  }

  async rollback() {
    this.#finish?.reject(new Error('rolled back'));
    await this.#closed?.catch(() => {});
    this.#reset();
  }

  #reset() {
    this.#transaction = undefined;
    this.#finish = undefined;
    this.#closed = undefined;
  }
}
