/**
 * Analyser port: looks at one camera frame and says what it sees.
 *
 * Two kinds of adapter (edge/adapters/analyser/):
 * - a cloud model (OpenAI-compatible) returns a `verdict` directly (validated against `visionVerdictSchema`);
 * - the offline model returns `signals` only (face, eyes, mouth, head pose, phone object); whether those signals
 *   amount to drowsiness or distraction is decided by the domain over a window of the vehicle's recent frames
 *   (edge/domain/vision/), because one frame is not enough and each driver's eyes differ.
 * An adapter may return both. It never returns free text as a verdict.
 *
 * Contract (adapters/analyser/analyser.contract.test.ts):
 * - `analyse` resolves with `analyser` and `model` filled, `latencyMs` ≥ 0, and `verdict` (if any) valid
 *   against the schema; it rejects (never resolves with a guess) when the model cannot give an answer.
 * - A JPEG it cannot decode rejects with `AnalyserInputError`, which callers treat as final (no retry).
 * - Calls are independent: concurrent calls do not share state.
 */
import type { CameraBaseline } from '../domain/vision/camera-baseline.ts';
import type { FleetModel } from '../domain/vision/fleet-model.ts';
import type { FindingDetail } from '../domain/vision/severity-policy.ts';
import type { FrameSignals, VisionVerdict } from '../domain/vision/vision-verdict.ts';

export interface FrameToAnalyse {
  jpeg: Uint8Array;
  width: number | null;
  height: number | null;
  /** The fleet's language: the verdict's description is written in it. */
  language: 'es' | 'en';
  /** Why this frame is being looked at beyond routine, e.g. a telemetry event just before it (cascade). */
  context?: string;
  /** When the frame was captured (ms since epoch): where it sits among `history`. */
  capturedAt?: number;
  /**
   * The vehicle's recent analysed frames (any order): windowed rules judge signals against them, and a cloud
   * model's recent answer (`modelVerdict`, when one was asked for that frame) spares asking again (cascade).
   */
  history?: { capturedAt: number; signals: FrameSignals; modelVerdict?: VisionVerdict | null }[];
  /**
   * What a local judgement needs beyond the frames: the camera's baseline (null while it calibrates), the fleet's
   * learned model, and the taxi's speed when the frame was taken (null when unknown).
   */
  camera?: { baseline: CameraBaseline | null; model: FleetModel | null; speedKmh: number | null };
}

export interface AnalyserUsage {
  inputTokens: number;
  outputTokens: number;
  /** Estimated cost of the call in US dollars (0 for local models). */
  costUsd: number;
}

export interface AnalyserOutput {
  /** Adapter name: `offline`, `openai`. */
  analyser: string;
  /** The model that answered, e.g. `gpt-4o-mini` or `human-3.3`. */
  model: string;
  verdict: VisionVerdict | null;
  /** What exactly a model's verdict saw (a phone at the ear, or looked at …), for the severity policy; null: not said. */
  detail?: FindingDetail | null;
  signals: FrameSignals | null;
  /** Tokens and cost of a billed model call; null when nothing was billed (a local model, an answer reused). */
  usage: AnalyserUsage | null;
  latencyMs: number;
}

export interface Analyser {
  readonly name: string;
  /** It answers with verdicts from looking at the image (a cloud model, or a cascade ending in one), not only signals. */
  readonly verdicts?: boolean;
  analyse(frame: FrameToAnalyse, options?: { signal?: AbortSignal }): Promise<AnalyserOutput>;
  /**
   * Loads what the first frame would otherwise wait for (a local model, its compiled kernels), so a worker that
   * joins the pool is ready before it claims a frame. Absent where there is nothing to load.
   */
  warmUp?(): Promise<void>;
  /** Frees models / connections (tests and shutdown). */
  close?(): Promise<void>;
}

/** The frame itself is unusable (not decodable): retrying will not help. */
export class AnalyserInputError extends Error {
  override name = 'AnalyserInputError';
}

/**
 * The model's server refused the request itself (a bad key, an unknown model, a request it cannot take): sending it
 * again changes nothing until the configuration does.
 */
export class AnalyserRefusedError extends Error {
  override name = 'AnalyserRefusedError';
}

/**
 * A composite analyser (the cascade) could not get its second opinion: `fallback` is what its first, local look
 * concluded. Callers retry for the second opinion; when they give up — or at once when `final` (the cloud refused,
 * see AnalyserRefusedError) — the local conclusion is better than nothing.
 */
export class SecondOpinionUnavailableError extends Error {
  override name = 'SecondOpinionUnavailableError';
  readonly final: boolean;
  constructor(
    message: string,
    readonly fallback: AnalyserOutput,
    options?: { cause?: unknown; final?: boolean },
  ) {
    super(message, options);
    this.final = options?.final ?? false;
  }
}
