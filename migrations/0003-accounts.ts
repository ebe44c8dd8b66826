/** Sessions and security: rotating refresh tokens grouped in families, and the audit log of security events. */
import { sqlMigration } from './sql-migration.ts';

export const accounts = sqlMigration(`
  CREATE TABLE refresh_tokens (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- every token issued by rotating one login's tokens shares its family; reuse revokes the family
    family_id text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
  CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

  CREATE TABLE audit_log (
    id text PRIMARY KEY,
    fleet_id text REFERENCES fleets(id) ON DELETE CASCADE,
    user_id text REFERENCES users(id) ON DELETE SET NULL,
    event text NOT NULL,
    ip text,
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL
  );
  CREATE INDEX audit_log_fleet_idx ON audit_log (fleet_id, created_at);
`);
