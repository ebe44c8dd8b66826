/** What domain use cases need: the database, the clock and ids — passed in, never imported. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock, IdGenerator } from '../ports/clock.ts';

export interface DomainDeps {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
}
