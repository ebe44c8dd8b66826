/** Records security events (logins, failures, token reuse, key and role changes) in the audit log. */
import type { DomainDeps } from '../deps.ts';

export interface AuditEvent {
  event: string;
  userId?: string | null;
  fleetId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function audit(deps: DomainDeps, entry: AuditEvent): Promise<void> {
  await deps.db
    .insertInto('audit_log')
    .values({
      id: deps.ids.next(),
      event: entry.event,
      user_id: entry.userId ?? null,
      fleet_id: entry.fleetId ?? null,
      ip: entry.ip ?? null,
      details: JSON.stringify(entry.details ?? {}),
      created_at: new Date(deps.clock.now()),
    })
    .execute();
}
