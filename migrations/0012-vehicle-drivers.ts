/**
 * Who drives which taxi when. A row is one stint: ended_at null means it is the current one. A vehicle has at most
 * one current driver and a driver drives at most one vehicle at a time — the partial unique indexes hold that even
 * when two assignments race. Trips and incidents look up the stint in force at their time through the time index.
 */
import { sqlMigration } from './sql-migration.ts';

export const vehicleDrivers = sqlMigration(`
  CREATE TABLE vehicle_drivers (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    driver_id text NOT NULL REFERENCES drivers(id) ON DELETE CASCADE,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    assigned_by text REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ended_at IS NULL OR ended_at >= started_at)
  );
  CREATE UNIQUE INDEX vehicle_drivers_current_vehicle_key ON vehicle_drivers (vehicle_id) WHERE ended_at IS NULL;
  CREATE UNIQUE INDEX vehicle_drivers_current_driver_key ON vehicle_drivers (driver_id) WHERE ended_at IS NULL;
  -- "who drove vehicle V at time T": the latest stint of V that started at or before T
  CREATE INDEX vehicle_drivers_vehicle_time_idx ON vehicle_drivers (vehicle_id, started_at DESC);
  CREATE INDEX vehicle_drivers_fleet_idx ON vehicle_drivers (fleet_id);
  -- a driver's stints, for "trips driven by D"
  CREATE INDEX vehicle_drivers_driver_time_idx ON vehicle_drivers (driver_id, started_at);
`);
