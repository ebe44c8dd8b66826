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
export type FleetTable = 'vehicles' | 'drivers' | 'devices' | 'users';

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

export function requireWriter(principal: Principal): void {
  if (principal.role === 'viewer') throw new AppError('forbidden', 'fleet viewers have read-only access');
}

export function notFound(kind: string, id: string): AppError {
  return new AppError('not_found', `${kind} ${id} not found`);
}
