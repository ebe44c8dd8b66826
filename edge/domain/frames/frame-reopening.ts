/**
 * Frames that become worth analysing after their upload's triage (issue 20):
 * - a reviewer asks for a frame to be analysed (again): whatever its state — pending, skipped, analysed, failed — it
 *   becomes high priority (reason `reviewer`) and is queued;
 * - a telemetry event (harsh braking, a crash…) arrives after frames of its window were stored as routine: the ones
 *   still pending, and ones already skipped (`stale`, `backlog`) that arrived recently, become high (reason
 *   `telemetry_event`) and are queued, so they are analysed first.
 * Either way the frame is reopened: its status goes back to `pending`, a settled result moves to
 * `analysis_history` (the new result replaces it; nothing is lost), and `analysis_round` goes up by one. Each round
 * has its own job dedupe id (`analyse-frame:<id>:<round>`), so a round is queued once however often it is asked
 * for, and the guards in the UPDATEs decide races in the database: a second click while the reviewer's round is
 * pending, or a second event over a frame already high, reopens nothing and queues nothing new.
 * A job of an earlier round that runs later finds the frame settled and does nothing (frame-pipeline.ts).
 */
import { sql, type RawBuilder } from 'kysely';
import type { FramePriorityReason } from '../../db/schema.ts';
import type { Platform } from '../../platform.ts';
import { enqueueAnalysis } from './frame-triage.ts';

export interface ReanalysisRequest {
  frameId: string;
  /** The request's Idempotency-Key, if any: the same key again is answered without reopening anything. */
  requestKey: string | null;
}

export interface ReanalysisOutcome {
  /** false: this request changed nothing (the reviewer's round was already pending, or the key was seen). */
  reopened: boolean;
  round: number;
  /** Null when the frame is no longer pending (a repeated Idempotency-Key after its round settled). */
  jobId: string | null;
  /** The job already existed (a retry, a double click). */
  duplicate: boolean;
  analysisStatus: string;
  priority: 'high' | 'routine';
  priorityReason: FramePriorityReason | null;
}

/** The SET of a reopening: a settled result goes to the history with when and why it was replaced. */
function reopenSet(reason: FramePriorityReason, now: Date): RawBuilder<unknown> {
  const entry = sql`jsonb_build_array(jsonb_build_object('status', analysis_status, 'analysis', analysis, 'settled_at', settled_at, 'replaced_at', ${now.toISOString()}::text, 'replaced_for', ${reason}::text))`;
  return sql`
    analysis_history = CASE WHEN analysis_status = 'pending' THEN analysis_history ELSE coalesce(analysis_history, '[]'::jsonb) || ${entry} END,
    analysis = CASE WHEN analysis_status = 'pending' THEN analysis ELSE NULL END,
    settled_at = NULL,
    analysis_status = 'pending',
    priority = 'high',
    priority_reason = ${reason},
    analysis_round = analysis_round + 1`;
}

/**
 * A reviewer's request for the frame (already found in the caller's fleet). Idempotent: while the reviewer's round
 * is pending, or for a repeated Idempotency-Key, nothing is reopened and the round's job is (re)queued once.
 */
export async function requestReanalysis(platform: Platform, request: ReanalysisRequest): Promise<ReanalysisOutcome> {
  const db = platform.db.kysely;
  const now = new Date(platform.clock.now());
  const key = request.requestKey;
  const { rows } = await sql<{ analysis_round: number }>`
    UPDATE frames SET ${reopenSet('reviewer', now)}, review_request_key = ${key}
    WHERE id = ${request.frameId}
      AND NOT (analysis_status = 'pending' AND priority_reason = 'reviewer')
      AND (${key}::text IS NULL OR review_request_key IS DISTINCT FROM ${key}::text)
    RETURNING analysis_round`.execute(db);
  const reopened = rows.length === 1;
  const frame = await db.selectFrom('frames').select(['analysis_round', 'analysis_status', 'priority', 'priority_reason']).where('id', '=', request.frameId).executeTakeFirstOrThrow();
  // Also when nothing was reopened: a round whose enqueue was lost (a crash after the UPDATE) is queued by the retry.
  const job = frame.analysis_status === 'pending' && frame.analysis_round > 0 ? await enqueueAnalysis(platform, request.frameId, frame.priority, frame.analysis_round) : null;
  return {
    reopened,
    round: frame.analysis_round,
    jobId: job?.id ?? null,
    duplicate: !reopened || (job?.duplicate ?? true),
    analysisStatus: frame.analysis_status,
    priority: frame.priority,
    priorityReason: frame.priority_reason,
  };
}

/**
 * After telemetry events on a vehicle (their device times): its routine frames captured from each event to
 * VISION_EVENT_WINDOW_S after it are upgraded — pending ones always, skipped ones that arrived at most
 * VISION_LATE_UPGRADE_MAX_AGE_S ago — and queued at high priority. Returns the upgraded frames' ids.
 * A frame already high (its triage saw the event, a device trigger, an earlier event) is left alone: two events
 * over one frame queue one analysis.
 */
export async function upgradeFramesAfterEvents(platform: Platform, vehicleId: string, eventTimes: number[]): Promise<string[]> {
  const windowMs = platform.config.VISION_EVENT_WINDOW_S * 1000;
  if (eventTimes.length === 0 || windowMs === 0) return [];
  const now = new Date(platform.clock.now());
  const recentSince = new Date(now.getTime() - platform.config.VISION_LATE_UPGRADE_MAX_AGE_S * 1000);
  const windows = sql.join([...new Set(eventTimes)].map((t) => sql`(captured_at >= ${new Date(t)} AND captured_at <= ${new Date(t + windowMs)})`), sql` OR `);
  const { rows } = await sql<{ id: string; analysis_round: number }>`
    UPDATE frames SET ${reopenSet('telemetry_event', now)}
    WHERE vehicle_id = ${vehicleId}
      AND priority = 'routine'
      AND (analysis_status = 'pending'
        OR (analysis_status = 'skipped' AND analysis ->> 'skipped_reason' IN ('stale', 'backlog') AND received_at >= ${recentSince}))
      AND (${windows})
    RETURNING id, analysis_round`.execute(platform.db.kysely);
  for (const row of rows) await enqueueAnalysis(platform, row.id, 'high', row.analysis_round);
  return rows.map((r) => r.id);
}
