/**
 * `prepared\`…\``: Kysely's `sql`, for a statement that the Postgres adapters prepare once per connection and then
 * only bind and execute. Planning dominates what Postgres spends on the small statements ingest sends many times a
 * second: locking a group's vehicles and taking their pending marks costs 720–760 µs of backend CPU planned each
 * time and 245–280 µs prepared (tmp measurements in docs/develop/benchmarks.md). Only for statements whose text never
 * changes with their input — lists as arrays (`= ANY(${ids}::text[])`, `unnest(…)`), never `IN (${sql.join(…)})` —
 * and with literals, not parameters, where a partial index must match, since a prepared plan does not know the values.
 * The mark is a leading comment, so PGlite and any reader of pg_stat_activity see an ordinary statement.
 */
import { sql, type RawBuilder } from 'kysely';

export const PREPARED_MARK = '/* prepared */ ';

export function prepared<T = unknown>(fragments: TemplateStringsArray, ...values: unknown[]): RawBuilder<T> {
  return sql<T>([PREPARED_MARK + fragments[0], ...fragments.slice(1)] as unknown as TemplateStringsArray, ...values);
}
