/**
 * Where the fleet's model gets its examples: a frame an owner labels ("this is phone use", "this is fine"), and the
 * frame of a reviewed vision incident (resolved: it was what it said; false positive: it was fine). The example keeps
 * the features the frame was judged by, so it outlives the frame; the model is refitted at once (it is small).
 */
import { fromJson } from '../../db/jsonb.ts';
import { AppError } from '../../errors.ts';
import type { DomainDeps } from '../deps.ts';
import { loadCalibration } from './calibration-store.ts';
import { FINE } from './fleet-model.ts';
import { recordExample, retrainFleetModel, type ModelSummary } from './fleet-model-store.ts';
import { frameFeatures, type FrameFeatures } from './frame-features.ts';
import { frameSignalsSchema } from './frame-signals.ts';
import { VISION_INCIDENT_TYPES } from './vision-verdict.ts';

/** What a frame can be labelled: an incident type it shows, or fine. */
export const FRAME_LABELS = [FINE, ...VISION_INCIDENT_TYPES] as const;
export type FrameLabel = (typeof FRAME_LABELS)[number];

interface FrameForLearning {
  id: string;
  fleet_id: string;
  device_id: string | null;
  analysis: unknown;
}

/** The features the frame was judged by; for a frame judged before they were kept, from its stored signals. */
async function featuresOf(deps: Pick<DomainDeps, 'db'>, frame: FrameForLearning): Promise<FrameFeatures | null> {
  const analysis = fromJson<{ features?: FrameFeatures | null; signals?: unknown } | null>(frame.analysis);
  if (analysis?.features) return analysis.features;
  const signals = frameSignalsSchema.safeParse(analysis?.signals);
  if (!signals.success || analysis?.signals == null) return null;
  const calibration = frame.device_id ? await loadCalibration(deps.db, frame.device_id) : null;
  return frameFeatures(signals.data, calibration?.baseline ?? null);
}

export async function learnFromFrame(
  deps: DomainDeps,
  input: { frame: FrameForLearning; label: FrameLabel; source: 'label' | 'review'; incidentId: string | null; userId: string | null },
): Promise<ModelSummary> {
  const features = await featuresOf(deps, input.frame);
  if (!features) throw new AppError('conflict', `frame ${input.frame.id} has no measurements to learn from (it was not analysed by the offline model)`);
  const now = new Date(deps.clock.now());
  await recordExample(deps.db, { id: deps.ids.next(), fleetId: input.frame.fleet_id, frameId: input.frame.id, label: input.label, source: input.source, incidentId: input.incidentId, features, createdBy: input.userId, now });
  return retrainFleetModel(deps.db, input.frame.fleet_id, now);
}

/**
 * A review of a vision incident as an example: resolved confirms its type, a false positive says the frame was fine.
 * Other reviews (acknowledged) say nothing about what the frame showed. Null when there is nothing to learn.
 */
export async function learnFromReview(
  deps: DomainDeps,
  incident: { id: string; fleet_id: string; frame_id: string | null; type: string; source: string },
  status: string,
  userId: string | null,
): Promise<ModelSummary | null> {
  if (incident.source !== 'vision' || !incident.frame_id) return null;
  const label = status === 'false_positive' ? FINE : status === 'resolved' ? incident.type : null;
  if (!label || !(FRAME_LABELS as readonly string[]).includes(label)) return null;
  const frame = await deps.db.selectFrom('frames').select(['id', 'fleet_id', 'device_id', 'analysis']).where('id', '=', incident.frame_id).where('fleet_id', '=', incident.fleet_id).executeTakeFirst();
  if (!frame) return null;
  try {
    return await learnFromFrame(deps, { frame, label: label as FrameLabel, source: 'review', incidentId: incident.id, userId });
  } catch (error) {
    // A frame judged by a cloud model alone has no measurements: the review stands, there is just nothing to learn.
    if (error instanceof AppError && error.code === 'conflict') return null;
    throw error;
  }
}
