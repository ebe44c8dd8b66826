/** Multi-factor authentication: whether TOTP is on, and hashed single-use recovery codes. */
import { sqlMigration } from './sql-migration.ts';

export const mfa = sqlMigration(`
  ALTER TABLE users ADD COLUMN mfa_enabled boolean NOT NULL DEFAULT false;
  ALTER TABLE users ADD COLUMN recovery_codes jsonb NOT NULL DEFAULT '[]';
  -- the last accepted TOTP time step, so one code cannot be used twice
  ALTER TABLE users ADD COLUMN totp_last_step bigint;
`);
