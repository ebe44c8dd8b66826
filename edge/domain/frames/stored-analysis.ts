/**
 * What frames.analysis holds once a frame is analysed (snake_case: it is served as JSON by the frames API): who
 * answered, what was measured and decided, why, and what it cost.
 */
import type { AnalyserOutput } from '../../ports/analyser.ts';
import type { CameraRole } from '../devices/camera-role.ts';
import type { Announcement } from '../incidents/announce-incident.ts';
import type { FrameFeatures } from '../vision/frame-features.ts';
import type { Judgement } from '../vision/judge-signals.ts';
import type { FindingDetail } from '../vision/severity-policy.ts';
import type { VisionVerdict } from '../vision/vision-verdict.ts';

export interface StoredAnalysis {
  analyser: string;
  model: string;
  camera_role: CameraRole;
  verdict: VisionVerdict | null;
  /** Who decided the verdict: a model itself, the windowed rules over the signals, or the fleet's learned model. */
  decided_by: 'model' | 'signals' | 'fleet_model' | null;
  /** What exactly was seen of the incident (the severity policy's input), when known. */
  detail: FindingDetail | null;
  /** The features that decided, when the fleet's model did (strongest first). */
  explanation: { feature: string; value: number | null; weight: number }[] | null;
  uncertain: boolean;
  /** The camera had no baseline yet: only rules that hold from any camera position were applied. */
  calibrating: boolean;
  /** Confidently attentive (the cascade's reason to spare the cloud). */
  attentive: boolean;
  signals: AnalyserOutput['signals'];
  /** The numbers the frame was judged by; copied into the fleet's examples when someone labels the frame. */
  features: FrameFeatures | null;
  /** The taxi's speed when the frame was taken (nearest GPS fix), null when unknown. */
  speed_kmh: number | null;
  usage: { input_tokens: number; output_tokens: number } | null;
  /** A model that counts tokens was called for this frame (local models report none): its verdict is a second opinion. */
  model_call: boolean;
  cost: number;
  latency_ms: number;
  context: string | null;
  /** The cascade's cloud never answered: the local conclusion was used instead (and marked uncertain). */
  second_opinion_error: string | null;
  analysed_at: string;
  /** `existing`: a re-analysis found what an incident already holds this frame for (frame-pipeline.ts). */
  incident: { id: string; outcome: 'created' | 'merged' | 'existing'; alert_id: string | null } | null;
  announcement: (Announcement & { sent: boolean }) | null;
}

export interface AnalysisInput {
  frame: { camera_role: CameraRole };
  output: AnalyserOutput;
  judged: Judgement | null;
  verdict: VisionVerdict | null;
  telemetry: string | undefined;
  secondOpinionError: string | null;
  speedKmh: number | null;
  analysedAt: string;
}

export function analysisOf({ frame, output, judged, verdict, telemetry, secondOpinionError, speedKmh, analysedAt }: AnalysisInput): StoredAnalysis {
  const modelCall = output.usage !== null && output.usage.inputTokens + output.usage.outputTokens > 0;
  // A verdict the analyser gave itself is the model's when a model was billed for it, or nothing else could judge.
  const byModel = output.verdict !== null && (modelCall || judged === null);
  return {
    analyser: output.analyser,
    model: output.model,
    camera_role: frame.camera_role,
    verdict,
    decided_by: verdict === null ? null : byModel ? 'model' : judged?.decidedBy === 'fleet_model' ? 'fleet_model' : 'signals',
    detail: byModel ? (output.detail ?? null) : (judged?.detail ?? null),
    explanation: !byModel && judged?.prediction ? judged.prediction.reasons : null,
    uncertain: secondOpinionError !== null || (byModel ? false : (judged?.uncertain ?? true)),
    calibrating: judged?.calibrating ?? false,
    attentive: judged?.attentive ?? false,
    signals: output.signals,
    features: judged?.features ?? null,
    speed_kmh: speedKmh,
    usage: output.usage ? { input_tokens: output.usage.inputTokens, output_tokens: output.usage.outputTokens } : null,
    model_call: modelCall,
    cost: output.usage?.costUsd ?? 0,
    latency_ms: Math.round(output.latencyMs),
    context: telemetry ?? null,
    second_opinion_error: secondOpinionError,
    analysed_at: analysedAt,
    incident: null,
    announcement: null,
  };
}
