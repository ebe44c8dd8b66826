/**
 * Ingest at 10× the seed (issue 20): trip writes no longer recount the score rollup (trip_days, migration 2131) in
 * their own statement; they mark the taxi-days they touched as stale, and the rollup is recounted when it is read
 * (activity-store.ts) and once a minute (jobs/refresh-trip-days.ts).
 *
 * Why: the telemetry pipeline saves a taxi's open trip with every fix batch (its metres and seconds grow), so at
 * thousands of taxis the recount — lock the taxi-day, delete its rows, recount them from the trips, insert them
 * again into a table with five indexes — ran hundreds of times a second and was a fifth of Postgres's work during
 * ingest. A mark is one row upserted in a small table; each taxi-day is then recounted at most once a minute,
 * or once per read, whatever the number of batches.
 *
 * Reads stay exact: a reader recounts every stale day of its fleet first. Marks cannot be lost to a race:
 * - a trip writer upserts its marks in (taxi, day) order and, when a mark exists, updates it, so it holds the mark's
 *   row lock until it commits;
 * - a refresh locks the fleet's marks in the same order and deletes them. A mark a writer holds makes the refresh
 *   wait for the writer's commit, and the recount that follows, a new statement, sees the writer's trips. A mark
 *   committed after the refresh's snapshot stays for the next refresh.
 * - a writer that finds a mark a refresh is deleting waits for the refresh to end, then inserts a mark of its own.
 * How: 2131's recount is renamed trip_days_recount_now (the refresh calls it), and trip_days_recount — the name 2131's
 * triggers on trips and on stints call — now marks the days instead. So stint changes are recounted on read too; a
 * fleet's timezone change still rebuilds its rollup at once.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const statements = [
  `CREATE TABLE trip_days_stale (
    fleet_id text NOT NULL,
    vehicle_id text NOT NULL,
    day date NOT NULL,
    PRIMARY KEY (vehicle_id, day)
  )`,
  `CREATE INDEX trip_days_stale_fleet_idx ON trip_days_stale (fleet_id)`,
  `ALTER FUNCTION trip_days_recount(text[], date[]) RENAME TO trip_days_recount_now`,
  // What 2131's triggers call, by name: the days are marked, in (taxi, day) order, and recounted by the next refresh.
  // Taxis deleted in this statement are left out, as the recount leaves them out (their rows go with them).
  `CREATE FUNCTION trip_days_recount(vehicles text[], days date[]) RETURNS void LANGUAGE plpgsql AS $fn$
  BEGIN
    IF vehicles IS NULL THEN RETURN; END IF;
    INSERT INTO trip_days_stale AS s (fleet_id, vehicle_id, day)
      SELECT v.fleet_id, k.vehicle_id, k.day
      FROM (SELECT DISTINCT u.vehicle_id, u.day FROM unnest(vehicles, days) u(vehicle_id, day)) k JOIN vehicles v ON v.id = k.vehicle_id
      ORDER BY k.vehicle_id, k.day
      ON CONFLICT (vehicle_id, day) DO UPDATE SET day = s.day;
  END $fn$`,
  // Recounts the stale taxi-days of one fleet (all fleets: null); returns how many.
  `CREATE FUNCTION trip_days_refresh(fleet text) RETURNS integer LANGUAGE plpgsql AS $fn$
  DECLARE vs text[]; ds date[];
  BEGIN
    WITH taken AS (
      DELETE FROM trip_days_stale s USING (
        SELECT vehicle_id, day FROM trip_days_stale WHERE fleet IS NULL OR fleet_id = fleet ORDER BY vehicle_id, day FOR UPDATE
      ) k WHERE s.vehicle_id = k.vehicle_id AND s.day = k.day
      RETURNING s.vehicle_id, s.day
    ) SELECT array_agg(vehicle_id), array_agg(day) INTO vs, ds FROM taken;
    PERFORM trip_days_recount_now(vs, ds);
    RETURN coalesce(array_length(vs, 1), 0);
  END $fn$`,
];

export const tripDaysOnRead: Migration = {
  async up(db: Kysely<any>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
