/**
 * `prepared\`…\``: Kysely's `sql`, for a statement that the Postgres adapters prepare once per connection and then
 * only bind and execute, instead of parsing and planning it each time: marking the statements ingest sends many
 * times a second took about a tenth off Postgres's CPU per request (docs/develop/benchmarks.md, ninth session). Only
 * for statements whose text never changes with their input — lists as arrays (`= ANY(${ids}::text[])`, `unnest(…)`),
 * never `IN (${sql.join(…)})`, or every list length would be a statement of its own — and with literals, not
 * parameters, where a partial index must match, since a plan made once cannot know the values. The mark is a leading
 * comment, so PGlite and any reader of pg_stat_activity see an ordinary statement.
 */
import { sql, type RawBuilder } from 'kysely';

export const PREPARED_MARK = '/* prepared */ ';

export function prepared<T = unknown>(fragments: TemplateStringsArray, ...values: unknown[]): RawBuilder<T> {
  return sql<T>([PREPARED_MARK + fragments[0], ...fragments.slice(1)] as unknown as TemplateStringsArray, ...values);
}
