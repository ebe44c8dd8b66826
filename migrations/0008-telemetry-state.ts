/**
 * What the telemetry pipeline remembers per vehicle between batches (engine state, the last processed device time,
 * moving/stopped/offline), each fleet's telemetry thresholds, and the natural keys that make recomputation
 * idempotent: one trip per vehicle and start time, one telemetry incident per vehicle, type and time.
 */
import { sqlMigration } from './sql-migration.ts';

export const telemetryState = sqlMigration(`
  ALTER TABLE fleets ADD COLUMN telemetry jsonb NOT NULL DEFAULT '{}'::jsonb;

  CREATE TABLE vehicle_telemetry (
    vehicle_id text PRIMARY KEY REFERENCES vehicles(id) ON DELETE CASCADE,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    state jsonb NOT NULL,
    processed_until timestamptz,
    status text NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'moving', 'stopped', 'offline')),
    status_changed_at timestamptz,
    last_report_at timestamptz,
    updated_at timestamptz NOT NULL
  );
  CREATE INDEX vehicle_telemetry_online_idx ON vehicle_telemetry (last_report_at) WHERE status <> 'offline';

  DROP INDEX trips_vehicle_idx;
  CREATE UNIQUE INDEX trips_vehicle_start_key ON trips (vehicle_id, started_at);
  CREATE UNIQUE INDEX incidents_telemetry_key ON incidents (vehicle_id, type, occurred_at) WHERE source = 'telemetry';
  CREATE INDEX incidents_trip_idx ON incidents (trip_id);
`);
