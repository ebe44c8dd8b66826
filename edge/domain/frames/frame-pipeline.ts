/**
 * The steps every camera frame passes through, from the device's upload to the owner's phone. Read top to bottom,
 * this file is the pipeline:
 *   upload → stored → analysed → judged → incident → announced
 * `receiveFrame` (the upload route) reads and checks the JPEG and stores it; the device gets its answer once the frame
 * is stored, and the analyse-frame job is queued after it. `processFrame` (that job) analyses it with the camera's
 * context (its recent frames, its calibration, the fleet's model, the taxi's speed, a telemetry event just before),
 * judges it, records the incident, steps the camera's calibration and the day's spend in one transaction guarded on
 * `pending` — so a redelivered job writes nothing twice — and announces the incident after the commit (a crash in
 * between is healed by the redelivery, which sends it then: at least once, never a second incident).
 * A road camera's frames are stored as evidence and not judged: no driver rule applies to them.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { recordVisionAnalysis, recordVisionSkip } from '../../observability/app-metrics.ts';
import type { Platform } from '../../platform.ts';
import { AnalyserInputError, SecondOpinionUnavailableError, type AnalyserOutput } from '../../ports/analyser.ts';
import { afterAnswer, type Background } from '../after-answer.ts';
import { seesDriver } from '../devices/camera-role.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';
import { touchLastSeen } from '../devices/last-seen.ts';
import { incidentAnnouncement, publishAnnouncement, type Announcement } from '../incidents/announce-incident.ts';
import { recordIncident, type Detection } from '../incidents/record-incident.ts';
import { refreshIncidentCounts } from '../telemetry/telemetry-store.ts';
import { stepCalibration } from '../vision/calibration-store.ts';
import { addDailyUsage, loadFrame, loadFrameContext, patchAnalysis, reopenFrame, settleFrame, type FrameRow } from '../vision/frame-analysis-store.ts';
import { judgeSignals } from '../vision/judge-signals.ts';
import { isIncident } from '../vision/vision-verdict.ts';
import { resolveCapturedAt } from './captured-at.ts';
import { staleSkip } from './frame-priority.ts';
import { readJpegInfo } from './jpeg-info.ts';
import { readUpload } from './read-upload.ts';
import { analysisOf, type StoredAnalysis } from './stored-analysis.ts';
import { ANALYSE_FRAME_MAX_ATTEMPTS, storeFrame, type StoredFrame } from './store-frame.ts';

// ── upload → stored ────────────────────────────────────────────────────────────────────────────────────────────

/** `capturedAt`: the time the request names outside the body (query, header), in order of preference. */
/** `trigger`: the device's local-trigger flag outside the body (`?trigger=`, `X-Frame-Trigger`), any of which counts. */
export async function receiveFrame(platform: Platform, device: DeviceIdentity, request: Request, capturedAt: (string | undefined)[], options: { background?: Background; trigger?: (string | undefined)[] } = {}): Promise<StoredFrame> {
  const limits = { maxBytes: platform.config.FRAME_MAX_BYTES, idleTimeoutMs: platform.config.FRAME_READ_TIMEOUT_MS, totalTimeoutMs: platform.config.FRAME_UPLOAD_TIMEOUT_MS };
  // 1. upload: the body, whole, within the limits (multipart or raw), and when it was taken.
  const { image, fields } = await readUpload(request, limits);
  const at = resolveCapturedAt([fields.captured_at, ...capturedAt], platform.clock.now());
  const deviceTrigger = readTrigger([fields.trigger, ...(options.trigger ?? [])]);
  const jpeg = readJpegInfo(image);
  if (!jpeg.ok) {
    // 422, not 415: the declared type was acceptable, the bytes are not a complete JPEG. Never worth retrying as is.
    throw new AppError('unprocessable', jpeg.message, { details: { reason: `jpeg_${jpeg.problem}`, size_bytes: image.byteLength } });
  }
  // 2. stored: blob, then row (a duplicate answers with the first frame); the job and `new_frame` follow the answer.
  const stored = await storeFrame(platform, device, at, image, jpeg, { background: options.background, deviceTrigger });
  // The device is alive whether or not the frame was new; with Redis this is a round trip it need not wait for.
  await afterAnswer(options.background, () => touchLastSeen(platform, device.deviceId), (error) => platform.log.warn('last_seen update failed', { error: String(error) }));
  return stored;
}

// ── analysed → judged → incident → announced ────────────────────────────────────────────────────────────────────

export async function processFrame(platform: Platform, frameId: string, attempt: number): Promise<void> {
  const db = platform.db.kysely;
  const frame = await loadFrame(db, frameId);
  if (!frame) return; // deleted since the upload
  if (frame.analysis_status === 'done') return resendAnnouncement(platform, frame);
  // A dead letter replayed by an admin: the frame its last attempt gave up on is analysed again.
  const replayed = frame.analysis_status === 'failed' && Boolean((frame.analysis as { gave_up?: boolean } | null)?.gave_up);
  if (replayed) await reopenFrame(db, frameId);
  else if (frame.analysis_status !== 'pending') return;

  // Too late to matter: a routine frame whose job first reaches it after VISION_ROUTINE_MAX_AGE_S is let go with its
  // reason, so the analysers spend their time on current frames (edge/domain/frames/frame-priority.ts). A retry of
  // an analysis already begun (a model error, backoff) carries on to its result or its dead letter instead, and so
  // does a dead letter an admin replays.
  const stale = attempt === 1 && !replayed ? staleSkip({ priority: frame.priority, receivedAt: frame.received_at.getTime() }, platform.clock.now(), platform.config.VISION_ROUTINE_MAX_AGE_S) : null;
  if (stale) {
    // Not written when a late telemetry event made the frame high meanwhile: that round's own job analyses it.
    if (await settleFrame(db, frameId, 'skipped', { skipped_reason: stale, skipped_at: isoNow(platform) }, nowDate(platform))) recordVisionSkip(platform, stale);
    return;
  }

  // A road camera sees no driver: its frames are accident evidence, not judged by the driver rules.
  if (!seesDriver(frame.camera_role)) {
    await settleFrame(db, frameId, 'done', { camera_role: frame.camera_role, analyser: null, verdict: null, decided_by: 'camera_role', analysed_at: isoNow(platform) }, nowDate(platform));
    return;
  }
  const analyser = platform.analyser;
  if (!analyser) {
    await settleFrame(db, frameId, 'not_configured', null, nowDate(platform));
    return;
  }
  const blob = await platform.blobs.get(frame.blob_key);
  if (!blob) {
    await settleFrame(db, frameId, 'failed', { error: 'the frame image is missing from blob storage', failed_at: isoNow(platform) }, nowDate(platform));
    return;
  }

  // 3. analysed, with what the camera's judgement needs.
  const capturedAt = frame.captured_at.getTime();
  const { history, telemetry, place, calibration, model } = await loadFrameContext(db, frame);
  const camera = { baseline: calibration?.baseline ?? null, model, speedKmh: place.speedKmh };
  const reviewerPick = frame.priority_reason === 'reviewer';
  let output: AnalyserOutput;
  let secondOpinionError: string | null = null;
  try {
    output = await analyser.analyse({ jpeg: blob.body, width: frame.width, height: frame.height, language: frame.locale, context: telemetry, capturedAt, history, camera });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    recordVisionAnalysis(platform, analyser.name, 'failed');
    if (error instanceof AnalyserInputError) {
      await settleFrame(db, frameId, 'failed', { analyser: analyser.name, error: reason, failed_at: isoNow(platform) }, nowDate(platform));
      return;
    }
    const lastAttempt = attempt >= ANALYSE_FRAME_MAX_ATTEMPTS;
    const settleLocally = error instanceof SecondOpinionUnavailableError && (lastAttempt || error.final);
    if (!settleLocally) {
      if (lastAttempt) await settleFrame(db, frameId, 'failed', { analyser: analyser.name, error: `gave up after ${attempt} attempts: ${reason}`, gave_up: true, failed_at: isoNow(platform) }, nowDate(platform));
      throw error;
    }
    // The cascade's cloud stayed unreachable through every attempt, or refused: its local conclusion stands.
    output = error.fallback;
    secondOpinionError = error.final ? `no second opinion: ${reason}` : `gave up on a second opinion after ${attempt} attempts: ${reason}`;
  }

  // 4. judged: a model's verdict is already graded by the severity policy; signals are judged here, over the camera's
  // window, against its baseline and the fleet's model.
  const judged = output.signals ? judgeSignals({ capturedAt, signals: output.signals }, history, { language: frame.locale, baseline: camera.baseline, model, motion: { speedKmh: place.speedKmh } }) : null;
  const verdict = output.verdict ?? judged?.verdict ?? null;
  const analysis: StoredAnalysis = analysisOf({ frame, output, judged, verdict, telemetry, secondOpinionError, speedKmh: place.speedKmh, analysedAt: isoNow(platform) });
  const now = new Date(platform.clock.now());
  const detection: Detection | null =
    verdict && isIncident(verdict)
      ? { fleetId: frame.fleet_id, vehicleId: frame.vehicle_id, type: verdict.type, severity: verdict.severity, confidence: verdict.confidence, description: verdict.description, source: 'vision', occurredAt: frame.captured_at, frameId, latitude: place.latitude, longitude: place.longitude, tripId: place.tripId }
      : null;

  // 5. incident, in one transaction with the result, the camera's calibration and the day's spend.
  const committed = await db.transaction().execute(async (tx) => {
    // First, so that a frame another delivery already settled costs nothing more than this one statement.
    if (!(await settleFrame(tx, frameId, 'done', analysis, now))) return null;
    await addDailyUsage(tx, frame.fleet_id, now, { modelCall: analysis.model_call, inputTokens: output.usage?.inputTokens ?? 0, outputTokens: output.usage?.outputTokens ?? 0, costUsd: analysis.cost });
    // Only measured signals calibrate (a cloud model's yes/no observations carry no positions or angles), and not a
    // reviewer's pick: a frame chosen because it looked wrong, often long after, says nothing about the usual pose.
    if (frame.device_id && output.signals && output.signals.scene !== null && !reviewerPick) {
      const step = await stepCalibration(tx, { deviceId: frame.device_id, fleetId: frame.fleet_id }, { signals: output.signals, speedKmh: place.speedKmh, suspect: Boolean(detection || telemetry || judged?.finding) }, now);
      if (step.event) await patchAnalysis(tx, frameId, { calibration_event: step.event });
    }
    if (!detection) return analysis;
    // A re-analysis (frame-reopening.ts) that finds what an incident already holds this frame for adds nothing: the
    // incident, its review and its alert stay as they are, and no second incident or alert is made for the frame.
    const existing = frame.analysis_round > 0 ? await incidentHoldingFrame(tx, frameId, detection.type) : undefined;
    if (existing) {
      const final: StoredAnalysis = { ...analysis, incident: { id: existing.id, outcome: 'existing', alert_id: null } };
      await patchAnalysis(tx, frameId, { incident: final.incident });
      return final;
    }
    const recorded = await recordIncident(tx, detection, { mergeWindowMs: platform.config.INCIDENT_MERGE_WINDOW_MINUTES * 60_000, now, newId: () => platform.ids.next() });
    if (recorded.kind === 'created' && place.tripId) await refreshIncidentCounts(tx, [place.tripId]);
    const announcement = incidentAnnouncement(detection, recorded);
    const final: StoredAnalysis = {
      ...analysis,
      incident: { id: recorded.incidentId, outcome: recorded.kind, alert_id: recorded.kind === 'created' ? recorded.alertId : null },
      announcement: { ...announcement, sent: false },
    };
    await patchAnalysis(tx, frameId, { incident: final.incident, announcement: final.announcement });
    return final;
  });
  if (committed) recordVisionAnalysis(platform, output.analyser, detection ? 'incident' : analysis.uncertain ? 'inconclusive' : 'no_incident');

  // 6. announced: the live feed and the fleet's webhooks, after the commit.
  if (committed?.announcement) await sendAnnouncement(platform, frameId, committed.announcement);
}

async function sendAnnouncement(platform: Platform, frameId: string, announcement: Announcement): Promise<void> {
  await publishAnnouncement(platform, announcement);
  await patchAnalysis(platform.db.kysely, frameId, { announcement: { ...announcement, sent: true } });
}

/** A delivery after the result committed but before its alert went out (a crash, a bus error): send it now. */
async function resendAnnouncement(platform: Platform, frame: FrameRow): Promise<void> {
  const announcement = (frame.analysis as Partial<StoredAnalysis> | null)?.announcement;
  if (announcement && !announcement.sent) await sendAnnouncement(platform, frame.id, announcement);
}

/** The vision incident of this type that already has the frame as evidence, if any. */
function incidentHoldingFrame(tx: Transaction<Database>, frameId: string, type: string) {
  return tx
    .selectFrom('incident_frames as x')
    .innerJoin('incidents as i', 'i.id', 'x.incident_id')
    .select('i.id')
    .where('x.frame_id', '=', frameId)
    .where('i.type', '=', type)
    .where('i.source', '=', 'vision')
    .orderBy('i.created_at')
    .limit(1)
    .executeTakeFirst();
}

const isoNow = (platform: Platform) => new Date(platform.clock.now()).toISOString();
const nowDate = (platform: Platform) => new Date(platform.clock.now());

// Our firmware names its trigger (`X-Frame-Trigger: harsh_braking`, `button`); others send 1 or true.
const TRIGGER_OFF = new Set(['', '0', 'false', 'no']);
/** Any trigger value but empty/0/false/no flags the frame (device protocol, "Local trigger"). */
function readTrigger(values: (string | undefined)[]): boolean {
  return values.some((v) => v !== undefined && !TRIGGER_OFF.has(v.trim().toLowerCase()));
}
