/**
 * One evaluation image judged as the pipeline would judge it: a model's verdict as it came; signals by the domain's
 * rules as if the frame's state had lasted a whole window (one matching frame suffices), against its camera's
 * baseline and the fleet model when given — and what the cascade would do with it (ask the cloud, or not).
 */
import { cloudDecision, type CloudDecision } from '../../edge/adapters/analyser/cascade-analyser.ts';
import type { CameraBaseline } from '../../edge/domain/vision/camera-baseline.ts';
import type { FleetModel } from '../../edge/domain/vision/fleet-model.ts';
import { judgeSignals } from '../../edge/domain/vision/judge-signals.ts';
import { DEFAULT_VISION_RULES, type VisionRules } from '../../edge/domain/vision/vision-rules.ts';
import { isIncident } from '../../edge/domain/vision/vision-verdict.ts';
import type { AnalyserOutput } from '../../edge/ports/analyser.ts';
import { NO_INCIDENT } from './labels.ts';

const SINGLE_FRAME_RULES: VisionRules = { ...DEFAULT_VISION_RULES, windowFrames: 1, minMatches: 1, briefMinMatches: 1 };

export interface FrameJudgement {
  predicted: string;
  uncertain: boolean;
  /** For signals: whether a cascade would send this frame to the cloud (`asked`) or answer it locally. */
  cascade: CloudDecision | null;
}

export function judgeOutput(output: AnalyserOutput, language: 'es' | 'en', context: { baseline: CameraBaseline | null; model: FleetModel | null }): FrameJudgement {
  if (output.verdict) {
    if (isIncident(output.verdict)) return { predicted: output.verdict.type, uncertain: false, cascade: null };
    // An incident without a type is still an alarm: scored as OTHER rather than as safe.
    return { predicted: output.verdict.incident_detected ? 'OTHER' : NO_INCIDENT, uncertain: false, cascade: null };
  }
  if (!output.signals) return { predicted: NO_INCIDENT, uncertain: true, cascade: 'asked' };
  // Speed unknown (a still image): judged as moving, the cautious side.
  const judged = judgeSignals({ capturedAt: 0, signals: output.signals }, [], { language, rules: SINGLE_FRAME_RULES, baseline: context.baseline, model: context.model, motion: { speedKmh: null } });
  const frame = { jpeg: new Uint8Array(), width: null, height: null, language, camera: { ...context, speedKmh: null } };
  return {
    predicted: judged.verdict.incident_detected ? (judged.verdict.type ?? 'OTHER') : NO_INCIDENT,
    uncertain: judged.uncertain,
    cascade: cloudDecision(frame, judged),
  };
}
