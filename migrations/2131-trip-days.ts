/**
 * Safety-score rollup (issue 21): trip_days holds, per taxi, per driver and per fleet-local day of the trip's start,
 * the trips' count, metres and seconds. The driver is attributed as the scores always did (activity-store.ts): the
 * trip's stored driver, else the driver whose stint on the taxi was in force when the trip started (null: none, the
 * day counts for the taxi only). Scores read whole days from it instead of scanning every trip of a period.
 *
 * It is kept by triggers, not by each writer: trips change through the telemetry pipeline (upserts on close and
 * recompute, deletes of superseded trips), the offline job closing a trip, and foreign keys (a deleted driver's
 * trips lose their driver, a deleted taxi's trips go) — a trigger sees them all, retries included. Stints
 * (vehicle_drivers) move attribution, so their changes recount the taxi-days of the trips in the changed span.
 * Each statement recounts the taxi-days it touched from the trips themselves (no running sums to drift or double
 * up), after locking each taxi-day's row in a fixed order so that a concurrent writer of the same day waits and then
 * recounts with its trips visible (READ COMMITTED takes a new snapshot per statement). A fleet changing its
 * timezone moves day boundaries: its rollup is rebuilt. The last statement back-fills existing trips.
 *
 * Function bodies are run as single statements (sqlMigration splits at a `;` ending a line).
 */
import { sql, type Kysely, type Migration } from 'kysely';

/** The stint in force when trip x started (stints of a taxi never overlap: at most one). */
const STINT = `LEFT JOIN vehicle_drivers vd ON vd.fleet_id = x.fleet_id AND vd.vehicle_id = x.vehicle_id
    AND x.started_at >= vd.started_at AND (vd.ended_at IS NULL OR x.started_at < vd.ended_at)`;

/** The trips of taxi-days (vehicle_id, day) k, grouped as trip_days rows; the day is the trip's fleet-local day, whose instants
 * lie within a day either side of the date read as UTC (offsets span −12 h to +14 h): a range for the time index. */
const RECOUNT = `
  SELECT x.fleet_id, x.vehicle_id, coalesce(x.driver_id, vd.driver_id), k.day, count(*)::int, sum(x.distance_m), sum(x.duration_s)
  FROM k JOIN trips x ON x.vehicle_id = k.vehicle_id
    JOIN fleets f ON f.id = x.fleet_id
    ${STINT}
  WHERE x.started_at >= k.day::timestamp AT TIME ZONE 'UTC' - interval '1 day'
    AND x.started_at < (k.day + 2)::timestamp AT TIME ZONE 'UTC'
    AND (x.started_at AT TIME ZONE f.timezone)::date = k.day
  GROUP BY 1, 2, 3, 4`;

const statements = [
  `CREATE TABLE trip_days (
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    driver_id text,
    day date NOT NULL,
    trips integer NOT NULL,
    distance_m double precision NOT NULL,
    duration_s bigint NOT NULL
  )`,
  // One row per taxi-day without a driver (also the row a recount locks), one per driver.
  `CREATE UNIQUE INDEX trip_days_vehicle_day_key ON trip_days (vehicle_id, day) WHERE driver_id IS NULL`,
  `CREATE UNIQUE INDEX trip_days_vehicle_day_driver_key ON trip_days (vehicle_id, day, driver_id) WHERE driver_id IS NOT NULL`,
  `CREATE INDEX trip_days_fleet_day_idx ON trip_days (fleet_id, day) INCLUDE (vehicle_id, driver_id, distance_m, duration_s)`,
  `CREATE INDEX trip_days_driver_day_idx ON trip_days (driver_id, day) WHERE driver_id IS NOT NULL`,
  `CREATE INDEX trip_days_vehicle_day_idx ON trip_days (vehicle_id, day)`,

  `CREATE FUNCTION trip_days_recount(vehicles text[], days date[]) RETURNS void LANGUAGE plpgsql AS $fn$
  BEGIN
    IF vehicles IS NULL THEN RETURN; END IF;
    -- The lock: each taxi-day's null-driver row, made if missing, in a fixed order (no deadlock between two recounts).
    -- Taxis deleted in this statement are left out (their rows go with them).
    INSERT INTO trip_days AS t (fleet_id, vehicle_id, driver_id, day, trips, distance_m, duration_s)
      SELECT v.fleet_id, k.vehicle_id, NULL, k.day, 0, 0, 0
      FROM (SELECT DISTINCT u.vehicle_id, u.day FROM unnest(vehicles, days) u(vehicle_id, day)) k
        JOIN vehicles v ON v.id = k.vehicle_id
      ORDER BY k.vehicle_id, k.day
      ON CONFLICT (vehicle_id, day) WHERE driver_id IS NULL DO UPDATE SET trips = t.trips;
    DELETE FROM trip_days t USING (SELECT DISTINCT u.vehicle_id, u.day FROM unnest(vehicles, days) u(vehicle_id, day)) k
      WHERE t.vehicle_id = k.vehicle_id AND t.day = k.day;
    INSERT INTO trip_days (fleet_id, vehicle_id, driver_id, day, trips, distance_m, duration_s)
      WITH k AS (SELECT DISTINCT u.vehicle_id, u.day FROM unnest(vehicles, days) u(vehicle_id, day)) ${RECOUNT};
  END $fn$`,

  `CREATE FUNCTION trip_days_after_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM trip_days_recount(array_agg(k.vehicle_id), array_agg(k.day)) FROM (
      SELECT n.vehicle_id, (n.started_at AT TIME ZONE f.timezone)::date AS day FROM new_trips n JOIN fleets f ON f.id = n.fleet_id
    ) k;
    RETURN NULL;
  END $fn$`,
  // Only rows whose day, taxi, driver, metres or seconds changed (not an incident count or an end time).
  `CREATE FUNCTION trip_days_after_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM trip_days_recount(array_agg(k.vehicle_id), array_agg(k.day)) FROM (
      SELECT x.vehicle_id, (x.started_at AT TIME ZONE f.timezone)::date AS day
      FROM old_trips o JOIN new_trips n ON n.id = o.id,
        LATERAL (VALUES (o.fleet_id, o.vehicle_id, o.started_at), (n.fleet_id, n.vehicle_id, n.started_at)) x(fleet_id, vehicle_id, started_at)
        JOIN fleets f ON f.id = x.fleet_id
      WHERE (o.fleet_id, o.vehicle_id, o.driver_id, o.started_at, o.distance_m, o.duration_s)
        IS DISTINCT FROM (n.fleet_id, n.vehicle_id, n.driver_id, n.started_at, n.distance_m, n.duration_s)
    ) k;
    RETURN NULL;
  END $fn$`,
  `CREATE FUNCTION trip_days_after_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM trip_days_recount(array_agg(k.vehicle_id), array_agg(k.day)) FROM (
      SELECT o.vehicle_id, (o.started_at AT TIME ZONE f.timezone)::date AS day FROM old_trips o JOIN fleets f ON f.id = o.fleet_id
    ) k;
    RETURN NULL;
  END $fn$`,
  // Transition tables allow one event per trigger.
  `CREATE TRIGGER trip_days_insert AFTER INSERT ON trips REFERENCING NEW TABLE AS new_trips
    FOR EACH STATEMENT EXECUTE FUNCTION trip_days_after_insert()`,
  `CREATE TRIGGER trip_days_update AFTER UPDATE ON trips REFERENCING OLD TABLE AS old_trips NEW TABLE AS new_trips
    FOR EACH STATEMENT EXECUTE FUNCTION trip_days_after_update()`,
  `CREATE TRIGGER trip_days_delete AFTER DELETE ON trips REFERENCING OLD TABLE AS old_trips
    FOR EACH STATEMENT EXECUTE FUNCTION trip_days_after_delete()`,

  // A stint's change moves the trips started in the changed span: all of an added or removed stint; for an edit, the
  // spans between its old and new start and between its old and new end (an open end is +infinity), or both whole
  // stints if it changed taxi or driver. The taxi-days recounted are those of the trips in these spans.
  `CREATE FUNCTION trip_days_stints_changed(spans tstzrange[], vehicles text[]) RETURNS void LANGUAGE plpgsql AS $fn$
  BEGIN
    IF vehicles IS NULL THEN RETURN; END IF;
    PERFORM trip_days_recount(array_agg(k.vehicle_id), array_agg(k.day)) FROM (
      SELECT DISTINCT x.vehicle_id, (x.started_at AT TIME ZONE f.timezone)::date AS day
      FROM unnest(spans, vehicles) c(span, vehicle_id)
        JOIN trips x ON x.vehicle_id = c.vehicle_id AND x.started_at >= lower(c.span) AND x.started_at < upper(c.span)
        JOIN fleets f ON f.id = x.fleet_id
      WHERE NOT isempty(c.span)
    ) k;
  END $fn$`,
  `CREATE FUNCTION trip_days_after_stint_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM trip_days_stints_changed(array_agg(tstzrange(n.started_at, coalesce(n.ended_at, 'infinity'))), array_agg(n.vehicle_id)) FROM new_stints n;
    RETURN NULL;
  END $fn$`,
  `CREATE FUNCTION trip_days_after_stint_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM trip_days_stints_changed(array_agg(tstzrange(o.started_at, coalesce(o.ended_at, 'infinity'))), array_agg(o.vehicle_id)) FROM old_stints o;
    RETURN NULL;
  END $fn$`,
  `CREATE FUNCTION trip_days_after_stint_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM trip_days_stints_changed(array_agg(c.span), array_agg(c.vehicle_id)) FROM (
      SELECT s.span, s.vehicle_id FROM old_stints o JOIN new_stints n ON n.id = o.id,
        LATERAL (VALUES
          (coalesce(o.ended_at, 'infinity'), coalesce(n.ended_at, 'infinity'))
        ) e(old_end, new_end),
        LATERAL (
          SELECT tstzrange(least(o.started_at, n.started_at), greatest(o.started_at, n.started_at)), o.vehicle_id
            WHERE (o.vehicle_id, o.driver_id, o.fleet_id) IS NOT DISTINCT FROM (n.vehicle_id, n.driver_id, n.fleet_id)
          UNION ALL SELECT tstzrange(least(e.old_end, e.new_end), greatest(e.old_end, e.new_end)), o.vehicle_id
            WHERE (o.vehicle_id, o.driver_id, o.fleet_id) IS NOT DISTINCT FROM (n.vehicle_id, n.driver_id, n.fleet_id)
          UNION ALL SELECT tstzrange(o.started_at, e.old_end), o.vehicle_id
            WHERE (o.vehicle_id, o.driver_id, o.fleet_id) IS DISTINCT FROM (n.vehicle_id, n.driver_id, n.fleet_id)
          UNION ALL SELECT tstzrange(n.started_at, e.new_end), n.vehicle_id
            WHERE (o.vehicle_id, o.driver_id, o.fleet_id) IS DISTINCT FROM (n.vehicle_id, n.driver_id, n.fleet_id)
        ) s(span, vehicle_id)
    ) c;
    RETURN NULL;
  END $fn$`,
  `CREATE TRIGGER trip_days_stint_insert AFTER INSERT ON vehicle_drivers REFERENCING NEW TABLE AS new_stints
    FOR EACH STATEMENT EXECUTE FUNCTION trip_days_after_stint_insert()`,
  `CREATE TRIGGER trip_days_stint_update AFTER UPDATE ON vehicle_drivers REFERENCING OLD TABLE AS old_stints NEW TABLE AS new_stints
    FOR EACH STATEMENT EXECUTE FUNCTION trip_days_after_stint_update()`,
  `CREATE TRIGGER trip_days_stint_delete AFTER DELETE ON vehicle_drivers REFERENCING OLD TABLE AS old_stints
    FOR EACH STATEMENT EXECUTE FUNCTION trip_days_after_stint_delete()`,

  `CREATE FUNCTION trip_days_rebuild_fleet() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    DELETE FROM trip_days WHERE fleet_id = NEW.id;
    INSERT INTO trip_days (fleet_id, vehicle_id, driver_id, day, trips, distance_m, duration_s)
      SELECT x.fleet_id, x.vehicle_id, coalesce(x.driver_id, vd.driver_id), (x.started_at AT TIME ZONE NEW.timezone)::date, count(*)::int, sum(x.distance_m), sum(x.duration_s)
      FROM trips x ${STINT} WHERE x.fleet_id = NEW.id GROUP BY 1, 2, 3, 4;
    RETURN NULL;
  END $fn$`,
  `CREATE TRIGGER trip_days_fleet_timezone AFTER UPDATE OF timezone ON fleets
    FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION trip_days_rebuild_fleet()`,

  // Back-fill: every existing trip, once.
  `INSERT INTO trip_days (fleet_id, vehicle_id, driver_id, day, trips, distance_m, duration_s)
    SELECT x.fleet_id, x.vehicle_id, coalesce(x.driver_id, vd.driver_id), (x.started_at AT TIME ZONE f.timezone)::date, count(*)::int, sum(x.distance_m), sum(x.duration_s)
    FROM trips x JOIN fleets f ON f.id = x.fleet_id ${STINT} GROUP BY 1, 2, 3, 4`,
];

export const tripDays: Migration = {
  async up(db: Kysely<any>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
