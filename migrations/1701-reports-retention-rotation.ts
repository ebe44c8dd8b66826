/**
 * Reports, retention, evidence packs and key rotation (issue 17):
 * - fleets.retention: per-fleet overrides of how long frames, fixes, reports and evidence packs are kept;
 * - fleet_day_runs: which once-a-day task (daily report, each retention kind) ran for which fleet and local day, so a
 *   task runs once per fleet-day whatever the number of schedulers, restarts or DST changes, and what it deleted;
 * - reports and evidence_packs: generated files, kept in blobs, listed here;
 * - devices.next_key_*: the key a device is handed before its current one expires (only its hash, and the salt
 *   that derives it from the current key, are stored);
 * - api_keys: optional expiry, and the key that replaced a rotated one;
 * - key_notices: which expiry reminders (device keys, API keys) were already raised.
 * The hourly frame sweep of 0013 gives way to the 02:00 per-fleet retention jobs: its schedule is removed.
 */
import { sqlMigration } from './sql-migration.ts';

export const reportsRetentionRotation = sqlMigration(`
  ALTER TABLE fleets ADD COLUMN retention jsonb NOT NULL DEFAULT '{}';

  CREATE TABLE fleet_day_runs (
    task text NOT NULL,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    day date NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'done')),
    cutoff timestamptz,
    deleted bigint NOT NULL DEFAULT 0,
    enqueued integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    finished_at timestamptz,
    PRIMARY KEY (task, fleet_id, day)
  );
  CREATE INDEX fleet_day_runs_updated_idx ON fleet_day_runs (updated_at);

  CREATE TABLE reports (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('daily', 'on_demand')),
    format text NOT NULL CHECK (format IN ('pdf', 'csv', 'xlsx')),
    status text NOT NULL CHECK (status IN ('queued', 'ready', 'failed')),
    from_day date NOT NULL,
    to_day date NOT NULL CHECK (to_day >= from_day),
    vehicle_id text,
    driver_id text,
    language text NOT NULL CHECK (language IN ('es', 'en')),
    requested_by text REFERENCES users(id) ON DELETE SET NULL,
    generation integer NOT NULL DEFAULT 1,
    announced integer NOT NULL DEFAULT 0,
    blob_key text,
    size_bytes integer,
    pages integer,
    error text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    ready_at timestamptz
  );
  CREATE UNIQUE INDEX reports_daily_key ON reports (fleet_id, from_day) WHERE kind = 'daily';
  CREATE INDEX reports_fleet_idx ON reports (fleet_id, created_at);

  CREATE TABLE evidence_packs (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    incident_id text NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    blob_key text NOT NULL,
    size_bytes integer NOT NULL,
    sha256 text NOT NULL,
    frames integer NOT NULL,
    created_by text REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX evidence_packs_incident_idx ON evidence_packs (incident_id, created_at);
  CREATE INDEX evidence_packs_fleet_idx ON evidence_packs (fleet_id, created_at);

  ALTER TABLE devices ADD COLUMN next_key_hash text UNIQUE;
  ALTER TABLE devices ADD COLUMN next_key_prefix text;
  ALTER TABLE devices ADD COLUMN next_key_salt text;
  ALTER TABLE devices ADD COLUMN next_key_expires_at timestamptz;
  CREATE INDEX devices_key_expiry_idx ON devices (fleet_id, key_expires_at);

  ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
  ALTER TABLE api_keys ADD COLUMN replaced_by text REFERENCES api_keys(id) ON DELETE SET NULL;

  CREATE TABLE key_notices (
    kind text NOT NULL CHECK (kind IN ('device', 'api_key')),
    key_id text NOT NULL,
    expires_at timestamptz NOT NULL,
    level text NOT NULL CHECK (level IN ('expires_within_30_days', 'expires_within_7_days', 'expires_within_1_day')),
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    alert_id text REFERENCES alerts(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (kind, key_id, expires_at, level)
  );

  CREATE INDEX frames_fleet_captured_idx ON frames (fleet_id, captured_at);
  DELETE FROM schedules WHERE name = 'purge-old-frames';
`);
