/** Foundation tables: tenancy (fleets, users), the fleet's assets, the durable job queue and settings. */
import { sqlMigration } from './sql-migration.ts';

export const foundation = sqlMigration(`
    CREATE TABLE fleets (
      id text PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      timezone text NOT NULL DEFAULT 'UTC',
      locale text NOT NULL DEFAULT 'es' CHECK (locale IN ('es', 'en')),
      speed_limit_kmh integer NOT NULL DEFAULT 90 CHECK (speed_limit_kmh BETWEEN 10 AND 250),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id text PRIMARY KEY,
      fleet_id text REFERENCES fleets(id) ON DELETE CASCADE,
      email text NOT NULL,
      name text NOT NULL DEFAULT '',
      role text NOT NULL CHECK (role IN ('admin', 'owner', 'viewer')),
      password_hash text NOT NULL,
      totp_secret text,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- platform admins belong to no fleet; everyone else belongs to exactly one
      CHECK ((role = 'admin') = (fleet_id IS NULL))
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));
    CREATE INDEX users_fleet_idx ON users (fleet_id);

    CREATE TABLE vehicles (
      id text PRIMARY KEY,
      fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
      plate text NOT NULL CHECK (length(plate) BETWEEN 1 AND 20),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'maintenance', 'inactive')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (fleet_id, plate)
    );

    CREATE TABLE drivers (
      id text PRIMARY KEY,
      fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      licence_number text,
      licence_expires_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX drivers_fleet_idx ON drivers (fleet_id);

    CREATE TABLE devices (
      id text PRIMARY KEY,
      fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
      vehicle_id text NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
      name text NOT NULL DEFAULT '',
      key_prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      previous_key_hash text UNIQUE,
      previous_key_valid_until timestamptz,
      key_expires_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
      last_seen_at timestamptz,
      firmware_version text,
      battery_pct integer,
      rssi integer,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX devices_fleet_idx ON devices (fleet_id);
    CREATE INDEX devices_vehicle_idx ON devices (vehicle_id);

    CREATE TABLE jobs (
      id text PRIMARY KEY,
      name text NOT NULL,
      payload jsonb NOT NULL DEFAULT 'null',
      dedupe_id text UNIQUE,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL CHECK (max_attempts >= 1),
      run_at timestamptz NOT NULL,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    -- the worker's claim query: due queued jobs and expired leases, oldest first
    CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE status IN ('queued', 'running');
    CREATE INDEX jobs_dead_idx ON jobs (updated_at) WHERE status = 'dead';

    CREATE TABLE schedules (
      name text PRIMARY KEY,
      cron text NOT NULL,
      timezone text NOT NULL,
      job_name text NOT NULL,
      payload jsonb NOT NULL DEFAULT 'null',
      next_run_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );

    CREATE TABLE settings (
      key text PRIMARY KEY,
      value text NOT NULL
    );
`);
