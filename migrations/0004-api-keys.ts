/** Integrator API keys: per fleet, with scopes, stored hashed, revocable, with their last use recorded. */
import { sqlMigration } from './sql-migration.ts';

export const apiKeys = sqlMigration(`
  CREATE TABLE api_keys (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    name text NOT NULL,
    key_prefix text NOT NULL,
    key_hash text NOT NULL UNIQUE,
    scopes jsonb NOT NULL,
    created_by text REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz
  );
  CREATE INDEX api_keys_fleet_idx ON api_keys (fleet_id);
`);
