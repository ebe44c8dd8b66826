/**
 * Every migration, in order, imported statically so the same list runs on PGlite, Postgres and Neon
 * (Workers have no file system to read a folder from). Add new files here with the next number.
 */
import type { Migration } from 'kysely';
import { foundation } from './0001-foundation.ts';
import { pushQueue } from './0002-push-queue.ts';
import { accounts } from './0003-accounts.ts';
import { apiKeys } from './0004-api-keys.ts';
import { mfa } from './0005-mfa.ts';
import { webhooks } from './0006-webhooks.ts';
import { telemetryAndIncidents } from './0007-telemetry-and-incidents.ts';
import { telemetryState } from './0008-telemetry-state.ts';
import { visionIncidents } from './0009-vision-incidents.ts';
import { incidentReview } from './0010-incident-review.ts';
import { pendingFramesIndex } from './0011-pending-frames-index.ts';
import { vehicleDrivers } from './0012-vehicle-drivers.ts';
import { frameRetentionIndex } from './0013-frame-retention-index.ts';
import { licenceNotices } from './0014-licence-notices.ts';
import { webhookMinSeverity } from './0015-webhook-min-severity.ts';
import { cameraRoles } from './1201-camera-roles.ts';
import { visionLearning } from './1202-vision-learning.ts';
import { userTokensValidAfter } from './1301-user-tokens-valid-after.ts';
import { pendingTelemetry } from './1401-pending-telemetry.ts';
import { triplessCameraIncidents } from './1551-tripless-camera-incidents.ts';
import { assistant } from './1601-assistant.ts';
import { reportsRetentionRotation } from './1701-reports-retention-rotation.ts';
import { notifications } from './1801-notifications.ts';
import { visionPriority } from './2001-vision-priority.ts';
import { frameReanalysis } from './2002-frame-reanalysis.ts';
import { ingestForeignKeys } from './2003-ingest-foreign-keys.ts';
import { safetyScores } from './2101-safety-scores.ts';
import { incidentsDriverTime } from './2120-incidents-driver-time.ts';
import { driverShareLinks } from './2130-driver-share-links.ts';
import { tripDays } from './2131-trip-days.ts';
import { tripDaysOnRead } from './2132-trip-days-on-read.ts';

export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-push-queue': pushQueue,
  '0003-accounts': accounts,
  '0004-api-keys': apiKeys,
  '0005-mfa': mfa,
  '0006-webhooks': webhooks,
  '0007-telemetry-and-incidents': telemetryAndIncidents,
  '0008-telemetry-state': telemetryState,
  '0009-vision-incidents': visionIncidents,
  '0010-incident-review': incidentReview,
  '0011-pending-frames-index': pendingFramesIndex,
  '0012-vehicle-drivers': vehicleDrivers,
  '0013-frame-retention-index': frameRetentionIndex,
  '0014-licence-notices': licenceNotices,
  '0015-webhook-min-severity': webhookMinSeverity,
  '1201-camera-roles': cameraRoles,
  '1202-vision-learning': visionLearning,
  '1301-user-tokens-valid-after': userTokensValidAfter,
  '1401-pending-telemetry': pendingTelemetry,
  '1551-tripless-camera-incidents': triplessCameraIncidents,
  '1601-assistant': assistant,
  '1701-reports-retention-rotation': reportsRetentionRotation,
  '1801-notifications': notifications,
  '2001-vision-priority': visionPriority,
  '2002-frame-reanalysis': frameReanalysis,
  '2003-ingest-foreign-keys': ingestForeignKeys,
  '2101-safety-scores': safetyScores,
  '2120-incidents-driver-time': incidentsDriverTime,
  '2130-driver-share-links': driverShareLinks,
  '2131-trip-days': tripDays,
  '2132-trip-days-on-read': tripDaysOnRead,
};
