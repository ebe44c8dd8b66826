/**
 * Analyses one uploaded camera frame: fetch the JPEG, run the platform's analyser with the vehicle's recent signals
 * (and a telemetry event just before the frame, if any, as context), store the result on the frame, and turn an
 * incident into an alert, placed at the vehicle's nearest GPS fix and on the trip it was driving, or merged into
 * the open one when the same thing keeps happening (domain/incidents/).
 *
 * Idempotent: only a `pending` frame is analysed, and the result, the incident and the day's spend are written in
 * one transaction guarded on `pending`, so a redelivery or a retry after a crash between steps writes nothing
 * twice. The live event and webhooks follow the commit; the frame remembers whether they went out, and a
 * redelivery after a crash in between sends them (at least once).
 *
 * Failures: no analyser → `not_configured` (visible, never silently dropped); an undecodable JPEG or a missing
 * blob → `failed` with the reason, no retry; anything else is thrown so the queue retries with backoff, and on the
 * last attempt the frame is marked `failed` before the job becomes a dead letter; replaying the dead letter analyses
 * it again.
 */
import { z } from 'zod';
import { ANALYSE_FRAME_MAX_ATTEMPTS } from '../edge/domain/frames/store-frame.ts';
import { incidentAnnouncement, publishAnnouncement, type Announcement } from '../edge/domain/incidents/announce-incident.ts';
import { recordIncident, type Detection } from '../edge/domain/incidents/record-incident.ts';
import { addDailyUsage, loadFrame, patchAnalysis, placeOfFrame, recentSignals, reopenFrame, settleFrame, telemetryContext, type FrameRow } from '../edge/domain/vision/frame-analysis-store.ts';
import { judgeSignals } from '../edge/domain/vision/judge-signals.ts';
import { refreshIncidentCounts } from '../edge/domain/telemetry/telemetry-store.ts';
import { isIncident, type VisionVerdict } from '../edge/domain/vision/vision-verdict.ts';
import { recordVisionAnalysis } from '../edge/observability/app-metrics.ts';
import type { Platform } from '../edge/platform.ts';
import { AnalyserInputError, SecondOpinionUnavailableError, type AnalyserOutput } from '../edge/ports/analyser.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ frameId: z.string().min(1) });

/** What frames.analysis holds once the job is done (snake_case: it is served as JSON by the frames API). */
interface StoredAnalysis {
  analyser: string;
  model: string;
  verdict: VisionVerdict | null;
  /** Who decided the verdict: the model itself, or the windowed rules over the model's signals. */
  decided_by: 'model' | 'signals' | null;
  uncertain: boolean;
  signals: AnalyserOutput['signals'];
  usage: { input_tokens: number; output_tokens: number } | null;
  /** A model that counts tokens was called for this frame (local models report none): its verdict is a second opinion. */
  model_call: boolean;
  cost: number;
  latency_ms: number;
  context: string | null;
  /** The cascade's cloud never answered: the local conclusion was used instead (and marked uncertain). */
  second_opinion_error: string | null;
  analysed_at: string;
  incident: { id: string; outcome: 'created' | 'merged'; alert_id: string | null } | null;
  announcement: (Announcement & { sent: boolean }) | null;
}

export const analyseFrame: Job = async (platform, payload, context) => {
  const { frameId } = payloadSchema.parse(payload);
  const db = platform.db.kysely;
  const frame = await loadFrame(db, frameId);
  if (!frame) return; // deleted since the upload
  if (frame.analysis_status === 'done') return resendAnnouncement(platform, frame);
  // A dead letter replayed by an admin: the frame its last attempt gave up on is analysed again.
  if (frame.analysis_status === 'failed' && (frame.analysis as { gave_up?: boolean } | null)?.gave_up) await reopenFrame(db, frameId);
  else if (frame.analysis_status !== 'pending') return;

  const analyser = platform.analyser;
  if (!analyser) {
    await settleFrame(db, frameId, 'not_configured', null);
    return;
  }
  const blob = await platform.blobs.get(frame.blob_key);
  if (!blob) {
    await settleFrame(db, frameId, 'failed', { error: 'the frame image is missing from blob storage', failed_at: isoNow(platform) });
    return;
  }

  const capturedAt = frame.captured_at.getTime();
  const [history, telemetry, place] = await Promise.all([recentSignals(db, frame), telemetryContext(db, frame), placeOfFrame(db, frame)]);
  let output: AnalyserOutput;
  let secondOpinionError: string | null = null;
  try {
    output = await analyser.analyse({ jpeg: blob.body, width: frame.width, height: frame.height, language: frame.locale, context: telemetry, capturedAt, history });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    recordVisionAnalysis(platform, analyser.name, 'failed');
    if (error instanceof AnalyserInputError) {
      await settleFrame(db, frameId, 'failed', { analyser: analyser.name, error: reason, failed_at: isoNow(platform) });
      return;
    }
    const lastAttempt = context.attempt >= ANALYSE_FRAME_MAX_ATTEMPTS;
    const settleLocally = error instanceof SecondOpinionUnavailableError && (lastAttempt || error.final);
    if (!settleLocally) {
      if (lastAttempt) await settleFrame(db, frameId, 'failed', { analyser: analyser.name, error: `gave up after ${context.attempt} attempts: ${reason}`, gave_up: true, failed_at: isoNow(platform) });
      throw error;
    }
    // The cascade's cloud stayed unreachable through every attempt, or refused: its local conclusion stands.
    output = error.fallback;
    secondOpinionError = error.final ? `no second opinion: ${reason}` : `gave up on a second opinion after ${context.attempt} attempts: ${reason}`;
  }

  // An offline-only analyser measures and does not judge: its signals are judged here, over the vehicle's window.
  const judged = output.verdict ? { verdict: output.verdict, uncertain: false } : output.signals ? judgeSignals({ capturedAt, signals: output.signals }, history, { language: frame.locale }) : null;
  const verdict = judged?.verdict ?? null;
  const analysis: StoredAnalysis = {
    analyser: output.analyser,
    model: output.model,
    verdict,
    decided_by: output.verdict ? 'model' : judged ? 'signals' : null,
    uncertain: secondOpinionError !== null || (judged?.uncertain ?? true),
    signals: output.signals,
    usage: output.usage ? { input_tokens: output.usage.inputTokens, output_tokens: output.usage.outputTokens } : null,
    model_call: output.usage !== null && output.usage.inputTokens + output.usage.outputTokens > 0,
    cost: output.usage?.costUsd ?? 0,
    latency_ms: Math.round(output.latencyMs),
    context: telemetry ?? null,
    second_opinion_error: secondOpinionError,
    analysed_at: isoNow(platform),
    incident: null,
    announcement: null,
  };
  const now = new Date(platform.clock.now());
  const detection: Detection | null =
    verdict && isIncident(verdict)
      ? { fleetId: frame.fleet_id, vehicleId: frame.vehicle_id, type: verdict.type, severity: verdict.severity, confidence: verdict.confidence, description: verdict.description, source: 'vision', occurredAt: frame.captured_at, frameId, ...place }
      : null;

  const committed = await db.transaction().execute(async (tx) => {
    // First, so that a frame another delivery already settled costs nothing more than this one statement.
    if (!(await settleFrame(tx, frameId, 'done', analysis))) return null;
    await addDailyUsage(tx, frame.fleet_id, now, { modelCall: analysis.model_call, inputTokens: output.usage?.inputTokens ?? 0, outputTokens: output.usage?.outputTokens ?? 0, costUsd: analysis.cost });
    if (!detection) return analysis;
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
  if (committed?.announcement) await sendAnnouncement(platform, frameId, committed.announcement);
};

async function sendAnnouncement(platform: Platform, frameId: string, announcement: Announcement): Promise<void> {
  await publishAnnouncement(platform, announcement);
  await patchAnalysis(platform.db.kysely, frameId, { announcement: { ...announcement, sent: true } });
}

/** A delivery after the result committed but before its alert went out (a crash, a bus error): send it now. */
async function resendAnnouncement(platform: Platform, frame: FrameRow): Promise<void> {
  const announcement = (frame.analysis as Partial<StoredAnalysis> | null)?.announcement;
  if (announcement && !announcement.sent) await sendAnnouncement(platform, frame.id, announcement);
}

const isoNow = (platform: Platform) => new Date(platform.clock.now()).toISOString();
