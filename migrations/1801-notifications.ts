/**
 * Notifications that reach a person (issue 18):
 * - push_subscriptions: each browser a person allowed Web Push on (the endpoint and its RFC 8291 keys);
 * - notification_preferences: what each person wants, on which channel, and quiet hours (domain/notifications/preferences.ts);
 * - notification_deliveries: the delivery log — one row per alert, person, channel and target, its status, attempts
 *   and last error; `dedupe_key` makes a redelivered alert or job queue nothing twice;
 * - alert_events: an alert's timeline (notified, escalated, acknowledged), shown on the incident page;
 * - fleets.notifications: the fleet's escalation settings (minutes before escalating, the escalation list).
 */
import { sqlMigration } from './sql-migration.ts';

export const notifications = sqlMigration(`
  ALTER TABLE fleets ADD COLUMN notifications jsonb NOT NULL DEFAULT '{}';

  CREATE TABLE push_subscriptions (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    endpoint text NOT NULL UNIQUE,
    p256dh text NOT NULL,
    auth text NOT NULL,
    user_agent text,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz
  );
  CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id);

  CREATE TABLE notification_preferences (
    user_id text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    preferences jsonb NOT NULL,
    updated_at timestamptz NOT NULL
  );

  CREATE TABLE notification_deliveries (
    id text PRIMARY KEY,
    dedupe_key text NOT NULL UNIQUE,
    fleet_id text REFERENCES fleets(id) ON DELETE CASCADE,
    alert_id text REFERENCES alerts(id) ON DELETE CASCADE,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel text NOT NULL CHECK (channel IN ('push', 'email')),
    target text NOT NULL,
    reason text NOT NULL CHECK (reason IN ('alert', 'escalation', 'digest')),
    status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'gone', 'held')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    sent_at timestamptz
  );
  CREATE INDEX notification_deliveries_alert_idx ON notification_deliveries (alert_id);
  CREATE INDEX notification_deliveries_created_idx ON notification_deliveries (created_at);

  CREATE TABLE alert_events (
    id text PRIMARY KEY,
    alert_id text NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('notified', 'escalated', 'acknowledged')),
    detail jsonb NOT NULL DEFAULT '{}',
    at timestamptz NOT NULL
  );
  CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, at);
`);
