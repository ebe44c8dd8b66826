/**
 * The "not yet applied" mark of a stored fix batch: written in the transaction that stores the fixes, deleted in
 * the transaction that applies their telemetry (trips, incidents). A row that outlives its batch's after-answer work
 * (a crash, a killed Worker, a failed step) is picked up by the vehicle's next batch, by the sweep every minute and
 * by the sweep at start, so acknowledged fixes always reach trips and incidents (edge/domain/telemetry/pending-telemetry.ts).
 */
import { sqlMigration } from './sql-migration.ts';

export const pendingTelemetry = sqlMigration(`
  CREATE TABLE pending_telemetry (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    from_at timestamptz NOT NULL,
    stored_at timestamptz NOT NULL
  );
  CREATE INDEX pending_telemetry_vehicle_idx ON pending_telemetry (vehicle_id, seq);
  CREATE INDEX pending_telemetry_stored_idx ON pending_telemetry (stored_at);
`);
