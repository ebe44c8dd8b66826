/** Assembles the TaxiWatch Hono app from a Platform. The only place routes and middleware are wired together. */
import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { accessLog } from './middleware/access-log.ts';
import { browserCors } from './middleware/browser-cors.ts';
import { handleError, handleNotFound } from './middleware/error-handler.ts';
import { secureHeaders } from 'hono/secure-headers';
import { contentSecurityPolicy } from './middleware/content-security-policy.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestBodyLimit } from './middleware/request-body-limit.ts';
import { requestId } from './middleware/request-id.ts';
import { retryableForDevices } from './middleware/device-retry.ts';
import { rejectControlCharactersInUrl } from './middleware/control-characters.ts';
import type { Platform } from './platform.ts';
import { adminQueueDocs, registerAdminQueue } from './routes/admin-queue.ts';
import { registerApiDocs } from './routes/api-docs.ts';
import { apiKeyDocs, registerApiKeys } from './routes/api-keys.ts';
import { authDocs, registerAuth } from './routes/auth.ts';
import { blobDownloadDocs, registerBlobDownloads } from './routes/blob-downloads.ts';
import { deviceHeartbeatDocs, registerDeviceHeartbeat } from './routes/device-heartbeat.ts';
import { registerTracking, TRACKING_MAX_BODY_BYTES, TRACKING_PATH, trackingDocs } from './routes/tracking.ts';
import { osmandDocs, registerOsmand } from './routes/osmand.ts';
import { deviceDocs, registerDevices } from './routes/devices.ts';
import { driverDocs, registerDrivers } from './routes/drivers.ts';
import { registerVehicles, vehicleDocs } from './routes/vehicles.ts';
import { registerScores, scoreDocs } from './routes/scores.ts';
import { driverShareDocs, registerDriverShareLinks } from './routes/driver-share-links.ts';
import { alertDocs, registerAlerts } from './routes/alerts.ts';
import { fixDocs, registerFixes } from './routes/fixes.ts';
import { fleetDocs, registerFleets } from './routes/fleets.ts';
import { frameDocs, registerFrames } from './routes/frames.ts';
import { FRAME_UPLOAD_PATH, frameUploadDocs, registerFrameUpload } from './routes/frame-upload.ts';
import { registerVisionLearning, visionLearningDocs } from './routes/vision-learning.ts';
import { incidentDocs, registerIncidents } from './routes/incidents.ts';
import { liveDocs, registerLive, type LiveOptions } from './routes/live.ts';
import { registerTrips, tripDocs } from './routes/trips.ts';
import { healthDocs, registerHealth } from './routes/health.ts';
import { httpMetrics } from './observability/http-metrics.ts';
import { metricsDocs, registerMetrics } from './routes/metrics.ts';
import { adminSystemDocs, registerAdminSystem } from './routes/admin-system.ts';
import { registerUsers, userDocs } from './routes/users.ts';
import { registerWebhooks, webhookDocs } from './routes/webhooks.ts';
import { registerReports, reportDocs } from './routes/reports.ts';
import { evidencePackDocs, registerEvidencePacks } from './routes/evidence-packs.ts';
import { jobDeliveryDocs, registerJobDeliveries } from './routes/job-deliveries.ts';
import { mfaDocs, registerMfa } from './routes/mfa.ts';
import { chatDocs, registerChat } from './routes/chat.ts';
import { notificationDocs, registerNotifications } from './routes/notifications.ts';
import { registerWeb } from '../web/server/register-web.ts';
import type { AssetReader } from './ports/assets.ts';
import { jobHandlers } from '../jobs/index.ts';
import type { JobHandlers } from './ports/queue.ts';

export interface AppOptions {
  /** The jobs QStash deliveries may run; defaults to every job in jobs/. */
  jobs?: JobHandlers;
  /** Heartbeat and maximum duration of live streams (tests shorten them). */
  live?: LiveOptions;
  /** The built web files (web/dist); without them pages render without scripts. */
  webAssets?: AssetReader;
}

export function createApp(platform: Platform, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    requestId(platform.log, () => platform.ids.next()),
  );
  app.use('*', accessLog());
  app.use('*', httpMetrics(platform));
  app.use('*', secureHeaders({ xFrameOptions: 'DENY' }));
  app.use('*', contentSecurityPolicy(platform.config));
  const origins = (platform.config.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // Browsers on other origins get in only when listed; the app's own pages are same-origin and need no CORS.
  app.use(
    '/api/*',
    browserCors({
      origin: origins,
      credentials: true,
      exposeHeaders: ['X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'],
    }),
  );
  app.use('*', rejectControlCharactersInUrl());
  // Before the rate limit: its shared cache failing is no reason for a unit to drop its data either.
  for (const path of ['/api/v1/tracking/*', '/api/v1/video/*', '/api/v1/devices/heartbeat', '/api/v1/osmand'])
    app.use(path, retryableForDevices(platform.db.kysely));
  app.use(
    '/api/v1/*',
    rateLimit(platform, {
      perKey: platform.config.RATE_LIMIT_PER_MINUTE,
      perIp: platform.config.RATE_LIMIT_PER_IP_PER_MINUTE,
    }),
  );
  // Before any handler reads a body; the frame upload streams its larger body under FRAME_* limits of its own.
  app.use(
    '*',
    requestBodyLimit({
      maxBytes: platform.config.BODY_MAX_BYTES,
      timeoutMs: platform.config.BODY_READ_TIMEOUT_MS,
      ownLimits: [FRAME_UPLOAD_PATH],
      routeMaxBytes: { [TRACKING_PATH]: TRACKING_MAX_BODY_BYTES },
    }),
  );
  app.onError(handleError);
  app.notFound(handleNotFound);

  registerHealth(app, platform);
  registerAuth(app, platform);
  registerMfa(app, platform);
  registerFleets(app, platform);
  registerUsers(app, platform);
  registerVehicles(app, platform);
  registerDrivers(app, platform);
  registerScores(app, platform);
  registerDriverShareLinks(app, platform);
  registerDevices(app, platform);
  registerDeviceHeartbeat(app, platform);
  registerTracking(app, platform);
  registerOsmand(app, platform);
  registerFixes(app, platform);
  registerTrips(app, platform);
  registerFrames(app, platform);
  registerFrameUpload(app, platform);
  registerVisionLearning(app, platform);
  registerIncidents(app, platform);
  registerEvidencePacks(app, platform);
  registerAlerts(app, platform);
  registerLive(app, platform, options.live);
  registerApiKeys(app, platform);
  registerAdminQueue(app, platform);
  registerAdminSystem(app, platform);
  // After the alert and admin routes: their authentication guards /api/v1/alerts/* and /api/v1/admin/*.
  registerNotifications(app, platform);
  registerMetrics(app, platform);
  registerWebhooks(app, platform);
  registerReports(app, platform);
  registerChat(app, platform);
  registerBlobDownloads(app, platform);
  registerJobDeliveries(app, platform, options.jobs ?? jobHandlers(platform));
  registerWeb(app, platform, { assets: options.webAssets });
  registerApiDocs(app, [
    ...healthDocs,
    ...authDocs,
    ...mfaDocs,
    ...fleetDocs,
    ...userDocs,
    ...vehicleDocs,
    ...driverDocs,
    ...scoreDocs,
    ...driverShareDocs,
    ...deviceDocs,
    ...deviceHeartbeatDocs,
    ...trackingDocs,
    ...osmandDocs,
    ...fixDocs,
    ...tripDocs,
    ...frameDocs,
    ...frameUploadDocs,
    ...visionLearningDocs,
    ...incidentDocs,
    ...alertDocs,
    ...notificationDocs,
    ...liveDocs,
    ...apiKeyDocs,
    ...webhookDocs,
    ...reportDocs,
    ...chatDocs,
    ...evidencePackDocs,
    ...blobDownloadDocs,
    ...jobDeliveryDocs,
    ...adminQueueDocs,
    ...adminSystemDocs,
    ...metricsDocs,
  ]);
  return app;
}
