/** Owners' webhooks and the log of every delivery attempt (status, attempts), kept for inspection and replay. */
import { sqlMigration } from './sql-migration.ts';

export const webhooks = sqlMigration(`
  CREATE TABLE webhooks (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    url text NOT NULL,
    event_types jsonb NOT NULL,
    -- the shared HMAC secret must be readable to sign with; it is shown to the owner once
    secret text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX webhooks_fleet_idx ON webhooks (fleet_id);

  CREATE TABLE webhook_deliveries (
    id text PRIMARY KEY,
    webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    last_status_code integer,
    last_error text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  );
  CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id);
`);
