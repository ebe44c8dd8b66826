/**
 * Incidents that do not spam: every frame that showed an incident is linked to the one incident it was merged into
 * (evidence), a frame opens at most one vision incident (a retried analysis cannot open a second), open incidents
 * are found by vehicle and type for merging, and telemetry occurrences keep their natural key (vehicle, type, time)
 * while several of them share one merged incident. Vision spend is added up per fleet and day.
 */
import { sqlMigration } from './sql-migration.ts';

export const visionIncidents = sqlMigration(`
  CREATE TABLE incident_frames (
    incident_id text NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    frame_id text NOT NULL REFERENCES frames(id) ON DELETE CASCADE,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL,
    PRIMARY KEY (incident_id, frame_id)
  );
  CREATE INDEX incident_frames_frame_idx ON incident_frames (frame_id);

  CREATE UNIQUE INDEX incidents_vision_frame_key ON incidents (frame_id) WHERE source = 'vision';
  CREATE INDEX incidents_open_by_vehicle_idx ON incidents (vehicle_id, type, last_seen_at) WHERE status IN ('open', 'acknowledged');

  CREATE TABLE incident_occurrences (
    vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    incident_id text NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    severity text NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    PRIMARY KEY (vehicle_id, type, occurred_at)
  );
  CREATE INDEX incident_occurrences_incident_idx ON incident_occurrences (incident_id);
  -- Telemetry incidents stored before this migration are one occurrence each.
  INSERT INTO incident_occurrences (vehicle_id, type, occurred_at, incident_id, fleet_id, severity)
    SELECT vehicle_id, type, occurred_at, id, fleet_id, severity FROM incidents WHERE source = 'telemetry';

  CREATE TABLE vision_usage_daily (
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    day date NOT NULL,
    frames integer NOT NULL DEFAULT 0,
    model_calls integer NOT NULL DEFAULT 0,
    input_tokens bigint NOT NULL DEFAULT 0,
    output_tokens bigint NOT NULL DEFAULT 0,
    cost_usd double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (fleet_id, day)
  );
`);
