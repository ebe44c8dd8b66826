/**
 * Camera incidents whose frame was analysed before the fixes that opened their trip arrived were left without a
 * trip (trips list 0 incidents, the replay 1). The telemetry step now links them when the trip is saved; this index
 * keeps that look-up cheap (it holds only the unlinked ones), and the incidents already left unlinked are linked to
 * the trip they happened in, with those trips' counts refreshed.
 */
import { sqlMigration } from './sql-migration.ts';

export const triplessCameraIncidents = sqlMigration(`
  CREATE INDEX incidents_tripless_vision_idx ON incidents (vehicle_id, occurred_at) WHERE trip_id IS NULL AND source = 'vision';
  UPDATE incidents SET trip_id = (
    SELECT trips.id FROM trips
    WHERE trips.vehicle_id = incidents.vehicle_id AND trips.started_at <= incidents.occurred_at
      AND (trips.ended_at IS NULL OR trips.ended_at >= incidents.occurred_at)
    ORDER BY trips.started_at DESC LIMIT 1
  ) WHERE trip_id IS NULL AND source = 'vision';
  UPDATE trips SET incident_count = (SELECT count(*) FROM incidents WHERE incidents.trip_id = trips.id);
`);
