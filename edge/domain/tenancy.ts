/**
 * Tenancy in one place: every query a tenant can reach goes through `scopedTo`, which restricts a fleet-owned
 * table to the caller's fleet (platform admins see every fleet). A row of another fleet is therefore simply not
 * found — the API answers 404, never 403, so ids of other tenants leak nothing.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Principal } from './auth/access-tokens.ts';

/** Tables whose rows belong to one fleet (they carry fleet_id). */
export type FleetTable = 'vehicles' | 'drivers' | 'devices' | 'users' | 'api_keys' | 'webhooks' | 'webhook_deliveries' | 'gps_fixes' | 'trips' | 'frames' | 'incidents' | 'alerts' | 'reports' | 'evidence_packs';

export function scopedTo<T extends FleetTable>(db: Kysely<Database>, principal: Principal, table: T): SelectQueryBuilder<Database, T, {}> {
  const query = db.selectFrom(table) as SelectQueryBuilder<Database, any, {}>;
  const scoped = principal.role === 'admin' ? query : query.where(`${table}.fleet_id` as any, '=', principal.fleetId as any);
  return scoped as SelectQueryBuilder<Database, T, {}>;
}

/** The fleet a write goes to: the caller's own, or for admins the one they name. */
export function targetFleet(principal: Principal, requested: string | undefined): string {
  if (principal.role !== 'admin') return principal.fleetId!;
  if (!requested) throw new AppError('validation_failed', 'fleet_id is required for platform admins', { details: [{ path: 'fleet_id', message: 'required' }] });
  return requested;
}

/**
 * Whether the caller may read or write a kind of resource: viewers only read; API keys need the matching scope.
 * Checked after the resource is found, so another fleet's resource is still a 404, not a 403.
 */
export function authorize(principal: Principal, action: 'read' | 'write', resource: string): void {
  if (principal.apiKey) {
    if (!principal.apiKey.scopes.includes(`${action}:${resource}`)) {
      throw new AppError('forbidden', `this API key lacks the ${action}:${resource} scope`);
    }
    return;
  }
  if (action === 'write' && principal.role === 'viewer') throw new AppError('forbidden', 'fleet viewers have read-only access');
}

/**
 * Evidence (an incident's frames and GPS track, or a pack of them) shows what `/frames` and `/vehicles/{id}/fixes`
 * show, so an API key needs their read scopes besides the incident scope: `read:incidents` alone must not open a
 * side door to frames and positions.
 */
export function authorizeEvidence(principal: Principal, action: 'read' | 'write'): void {
  authorize(principal, action, 'incidents');
  authorize(principal, 'read', 'frames');
  authorize(principal, 'read', 'fixes');
}

/** Managing people and keys is for users, never for API keys, and never for viewers. */
export function requireManager(principal: Principal): void {
  if (principal.apiKey) throw new AppError('forbidden', 'API keys cannot manage users or keys');
  if (principal.role === 'viewer') throw new AppError('forbidden', 'fleet viewers have read-only access');
}

export function notFound(kind: string, id: string): AppError {
  return new AppError('not_found', `${kind} ${id} not found`);
}

