/**
 * What taxis report and what the platform finds: GPS fixes (one per vehicle and device time), trips, frames,
 * incidents and their alerts. Ingest and vision fill them; the REST API reads them and reviews incidents.
 */
import { sqlMigration } from './sql-migration.ts';

export const telemetryAndIncidents = sqlMigration(`
  CREATE TABLE gps_fixes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    device_id text REFERENCES devices(id) ON DELETE SET NULL,
    device_time timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    speed_kmh real,
    heading real,
    accuracy_m real,
    altitude_m real,
    UNIQUE (vehicle_id, device_time)
  );
  CREATE INDEX gps_fixes_fleet_idx ON gps_fixes (fleet_id, device_time);

  CREATE TABLE trips (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    driver_id text REFERENCES drivers(id) ON DELETE SET NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    distance_m double precision NOT NULL DEFAULT 0,
    duration_s integer NOT NULL DEFAULT 0,
    max_speed_kmh real NOT NULL DEFAULT 0,
    avg_speed_kmh real NOT NULL DEFAULT 0,
    incident_count integer NOT NULL DEFAULT 0
  );
  CREATE INDEX trips_vehicle_idx ON trips (vehicle_id, started_at);

  CREATE TABLE frames (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    device_id text REFERENCES devices(id) ON DELETE SET NULL,
    blob_key text NOT NULL,
    captured_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    size_bytes integer NOT NULL,
    width integer,
    height integer,
    analysis_status text NOT NULL DEFAULT 'pending' CHECK (analysis_status IN ('pending', 'done', 'failed', 'not_configured')),
    analysis jsonb,
    UNIQUE (device_id, captured_at)
  );
  CREATE INDEX frames_vehicle_idx ON frames (vehicle_id, captured_at);

  CREATE TABLE incidents (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    driver_id text REFERENCES drivers(id) ON DELETE SET NULL,
    trip_id text REFERENCES trips(id) ON DELETE SET NULL,
    frame_id text REFERENCES frames(id) ON DELETE SET NULL,
    type text NOT NULL,
    severity text NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    confidence real,
    description text NOT NULL DEFAULT '',
    source text NOT NULL CHECK (source IN ('vision', 'telemetry')),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved', 'false_positive')),
    latitude double precision,
    longitude double precision,
    occurred_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    occurrences integer NOT NULL DEFAULT 1,
    status_changed_by text REFERENCES users(id) ON DELETE SET NULL,
    status_changed_at timestamptz,
    status_reason text,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX incidents_fleet_idx ON incidents (fleet_id, occurred_at);

  CREATE TABLE alerts (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    incident_id text REFERENCES incidents(id) ON DELETE CASCADE,
    vehicle_id text REFERENCES vehicles(id) ON DELETE CASCADE,
    severity text NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    message text NOT NULL,
    created_at timestamptz NOT NULL,
    read_at timestamptz,
    acknowledged_at timestamptz,
    acknowledged_by text REFERENCES users(id) ON DELETE SET NULL
  );
  CREATE INDEX alerts_fleet_idx ON alerts (fleet_id, created_at);
`);
