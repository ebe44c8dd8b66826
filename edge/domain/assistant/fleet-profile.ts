/** The asker's fleet as the assistant needs it: name, timezone, language and the minutes after which a unit is offline. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../tenancy.ts';
import { telemetrySettings } from '../telemetry/settings.ts';
import type { FleetProfile } from './tool.ts';

export async function loadFleetProfile(db: Kysely<Database>, fleetId: string): Promise<FleetProfile> {
  const fleet = await db.selectFrom('fleets').select(['id', 'name', 'timezone', 'locale', 'speed_limit_kmh', 'telemetry']).where('id', '=', fleetId).executeTakeFirst();
  if (!fleet) throw notFound('fleet', fleetId);
  return { id: fleet.id, name: fleet.name, timezone: fleet.timezone, locale: fleet.locale === 'es' ? 'es' : 'en', offlineMinutes: telemetrySettings(fleet).offlineMinutes };
}
