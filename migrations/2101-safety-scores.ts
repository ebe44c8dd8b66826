/**
 * Safety scores and coaching (issue 21):
 * - indexes the score queries lean on: a fleet's trips and incidents by time, carrying the columns a score reads (the
 *   leaderboard then reads the index alone), and a taxi's incidents by time (one driver's stints);
 * - coaching_sessions: a talk with a driver — notes, the agreed action, a follow-up date, who recorded it; an
 *   optional request_key (the Idempotency-Key header) makes a retried POST return the first session, not a second one;
 * - coaching_session_incidents: the incidents discussed (their evidence is the incident's own);
 * - coaching_notices: a coaching_due already announced, one per driver and period, so the daily job never repeats it.
 */
import { sqlMigration } from './sql-migration.ts';

export const safetyScores = sqlMigration(`
  CREATE INDEX trips_fleet_started_idx ON trips (fleet_id, started_at) INCLUDE (vehicle_id, driver_id, distance_m, duration_s);
  CREATE INDEX incidents_fleet_scored_idx ON incidents (fleet_id, occurred_at) INCLUDE (vehicle_id, driver_id, type, severity, status, last_seen_at);
  CREATE INDEX incidents_vehicle_time_idx ON incidents (vehicle_id, occurred_at);

  CREATE TABLE coaching_sessions (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    driver_id text NOT NULL REFERENCES drivers(id) ON DELETE CASCADE,
    notes text NOT NULL DEFAULT '',
    agreed_action text NOT NULL DEFAULT '',
    follow_up_on date,
    created_by text REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    request_key text
  );
  CREATE INDEX coaching_sessions_driver_idx ON coaching_sessions (driver_id, created_at);
  CREATE INDEX coaching_sessions_fleet_idx ON coaching_sessions (fleet_id, created_at);
  CREATE UNIQUE INDEX coaching_sessions_request_key ON coaching_sessions (fleet_id, request_key) WHERE request_key IS NOT NULL;

  CREATE TABLE coaching_session_incidents (
    session_id text NOT NULL REFERENCES coaching_sessions(id) ON DELETE CASCADE,
    incident_id text NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, incident_id)
  );
  CREATE INDEX coaching_session_incidents_incident_idx ON coaching_session_incidents (incident_id);

  CREATE TABLE coaching_notices (
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    driver_id text NOT NULL REFERENCES drivers(id) ON DELETE CASCADE,
    period text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (driver_id, period)
  );
`);
