/**
 * Ingest at 10× the seed (issue 20): the rows written for every fix batch and frame stop checking foreign keys that
 * say nothing the vehicle key does not already say.
 *
 * A foreign-key check is a look-up that locks the referenced row (SELECT … FOR KEY SHARE) for every inserted row.
 * All of a fleet's taxis point at one fleets row, so every fix, frame and pending-telemetry mark locked that one
 * row. What goes and what stays:
 * - fleet_id of gps_fixes, frames and pending_telemetry: not checked. The column copies the vehicle's fleet, and the
 *   vehicle_id key (kept, ON DELETE CASCADE) already removes the rows when the vehicle, or its fleet, is deleted.
 * - device_id of gps_fixes: not checked (a check per fix); the ON DELETE SET NULL it did is done by a trigger on
 *   devices, one statement per deleting statement. Only an authenticated device writes fixes, so the id is real.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const statements = [
  `ALTER TABLE gps_fixes DROP CONSTRAINT gps_fixes_fleet_id_fkey`,
  `ALTER TABLE frames DROP CONSTRAINT frames_fleet_id_fkey`,
  `ALTER TABLE pending_telemetry DROP CONSTRAINT pending_telemetry_fleet_id_fkey`,
  `ALTER TABLE gps_fixes DROP CONSTRAINT gps_fixes_device_id_fkey`,
  `CREATE FUNCTION gps_fixes_forget_devices() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    UPDATE gps_fixes SET device_id = NULL WHERE device_id IN (SELECT id FROM gone_devices);
    RETURN NULL;
  END $fn$`,
  `CREATE TRIGGER gps_fixes_forget_devices AFTER DELETE ON devices REFERENCING OLD TABLE AS gone_devices
    FOR EACH STATEMENT EXECUTE FUNCTION gps_fixes_forget_devices()`,
];

export const ingestForeignKeys: Migration = {
  async up(db: Kysely<any>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
