/**
 * For push-based queues (QStash): deliveries already handled, so a redelivered or replayed message runs its job
 * once; and dead letters reported by the failure callback, so admins can see and replay them.
 */
import { sqlMigration } from './sql-migration.ts';

export const pushQueue = sqlMigration(`
  CREATE TABLE job_deliveries (
    message_id text PRIMARY KEY,
    job_name text NOT NULL,
    completed_at timestamptz NOT NULL
  );

  CREATE TABLE dead_letters (
    id text PRIMARY KEY,
    source_message_id text NOT NULL UNIQUE,
    job_name text NOT NULL,
    payload jsonb NOT NULL DEFAULT 'null',
    attempts integer NOT NULL,
    last_error text,
    created_at timestamptz NOT NULL,
    replayed_at timestamptz
  );
  CREATE INDEX dead_letters_open_idx ON dead_letters (created_at) WHERE replayed_at IS NULL;
`);
