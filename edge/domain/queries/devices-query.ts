/** The caller's camera units under a filter: the query behind GET /api/v1/devices and the assistant's device tool. */
import type { Kysely } from 'kysely';
import type { CameraRole, Database } from '../../db/schema.ts';
import type { Principal } from '../auth/access-tokens.ts';
import { scopedTo } from '../tenancy.ts';

export const DEVICE_COLUMNS = [
  'id', 'fleet_id', 'vehicle_id', 'name', 'camera_role', 'key_prefix', 'key_expires_at', 'previous_key_valid_until', 'status',
  'last_seen_at', 'firmware_version', 'battery_pct', 'rssi', 'created_at',
] as const;

export interface DeviceFilter {
  vehicleId?: string;
  status?: 'active' | 'revoked';
  cameraRole?: CameraRole;
}

export function devicesWhere(db: Kysely<Database>, principal: Principal, filter: DeviceFilter = {}) {
  let query = scopedTo(db, principal, 'devices');
  if (filter.vehicleId) query = query.where('devices.vehicle_id', '=', filter.vehicleId);
  if (filter.status) query = query.where('devices.status', '=', filter.status);
  if (filter.cameraRole) query = query.where('devices.camera_role', '=', filter.cameraRole);
  return query;
}
