/** The caller's drivers under a filter: the query behind GET /api/v1/drivers and the assistant's licence tool. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Principal } from '../auth/access-tokens.ts';
import { scopedTo } from '../tenancy.ts';

export const DRIVER_COLUMNS = ['id', 'fleet_id', 'name', 'licence_number', 'licence_expires_on', 'created_at'] as const;

export interface DriverFilter {
  /** Licences expiring strictly before this day (YYYY-MM-DD). */
  licenceExpiresBefore?: string;
}

export function driversWhere(db: Kysely<Database>, principal: Principal, filter: DriverFilter = {}) {
  let query = scopedTo(db, principal, 'drivers');
  if (filter.licenceExpiresBefore) query = query.where('drivers.licence_expires_on', '<', filter.licenceExpiresBefore);
  return query;
}
