/**
 * Cascade analyser: the local (offline) model looks at every frame; the cloud model is skipped only when the local
 * look is confident the driver is attentive — hands where this camera usually sees them, head near its usual
 * direction, eyes open (domain/vision/frame-assessment.ts). Everything else goes to the cloud: a finding, a hint, a
 * posture that is merely unusual, a camera still calibrating, a telemetry event asking for a careful look
 * (`frame.context`). So a frame the local rules are wrongly sure is *fine* about still reaches the cloud unless the
 * driver looks exactly as usual. Two exceptions keep the bill sane: a taxi known to stand still with nothing found
 * (the severity policy makes no driver behaviour an incident there), and a concern the cloud answered within
 * `recheckMs` (an ongoing episode, or a calibration, costs one call per interval, not per frame).
 *
 * When the cloud answers, its verdict stands (it saw the image) and the local signals are kept beside it, so the
 * next frames' windows still have them. A cloud failure rejects the whole analysis with SecondOpinionUnavailableError
 * carrying the local conclusion: the job retries for the cloud's answer, and on its last attempt settles for the
 * local one rather than losing a drowsy driver to a cloud outage — at once when the cloud refused the request (a bad
 * key or model: retrying cannot help).
 */
import { judgeSignals, type Judgement } from '../../domain/vision/judge-signals.ts';
import { motionState } from '../../domain/vision/severity-policy.ts';
import type { VisionRules } from '../../domain/vision/vision-rules.ts';
import type { VisionVerdict } from '../../domain/vision/vision-verdict.ts';
import { AnalyserRefusedError, SecondOpinionUnavailableError, type Analyser, type AnalyserOutput, type FrameToAnalyse } from '../../ports/analyser.ts';

export interface CascadeAnalyserOptions {
  local: Analyser;
  cloud: Analyser;
  rules?: VisionRules;
  /** The cloud's answer about a concern stands this long (ms) for later frames with the same local concern. */
  recheckMs?: number;
}

export const DEFAULT_RECHECK_MS = 60_000;

/** Why the cascade did or did not ask the cloud about a frame. */
export type CloudDecision = 'asked' | 'attentive' | 'parked' | 'answered_recently';

/** The cascade's decision, from the local judgement: whether the cloud must look at this frame. */
export function cloudDecision(frame: FrameToAnalyse, judged: Judgement | null): Exclude<CloudDecision, 'answered_recently'> {
  if (frame.context || !judged) return 'asked';
  if (judged.attentive) return 'attentive';
  const parked = frame.camera && motionState({ speedKmh: frame.camera.speedKmh }) === 'parked';
  if (parked && !judged.verdict.incident_detected && judged.finding === null) return 'parked';
  return 'asked';
}

export function createCascadeAnalyser({ local, cloud, rules, recheckMs = DEFAULT_RECHECK_MS }: CascadeAnalyserOptions): Analyser {
  return {
    name: 'cascade',
    verdicts: true,
    async analyse(frame, options) {
      const first = await local.analyse(frame, options);
      const judged = localJudgement(first, frame, rules);
      if (cloudDecision(frame, judged) !== 'asked') return { ...first, analyser: 'cascade', verdict: judged!.verdict, detail: judged!.detail };
      // Telemetry asking for a look always reaches the cloud; a concern it answered moments ago does not.
      const answered = frame.context || !judged ? null : recentAnswer(frame, judged, rules, recheckMs);
      if (answered) return { ...first, analyser: 'cascade', verdict: answered };

      let second: AnalyserOutput;
      try {
        second = await cloud.analyse(frame, options);
      } catch (error) {
        // The local output as it came (signals, no verdict for the offline model): the caller judges it as usual.
        const fallback = { ...first, analyser: 'cascade' };
        // A refusal (bad key, unknown model) will not change on a retry: the local conclusion stands at once.
        const final = error instanceof AnalyserRefusedError;
        throw new SecondOpinionUnavailableError(`the cloud model ${final ? 'refused the request' : 'did not answer'}: ${error instanceof Error ? error.message : String(error)}`, fallback, { cause: error, final });
      }
      return {
        analyser: 'cascade',
        model: `${first.model}+${second.model}`,
        verdict: second.verdict,
        detail: second.detail ?? null,
        signals: first.signals ?? second.signals,
        usage: second.usage,
        latencyMs: first.latencyMs + second.latencyMs,
      };
    },
    async warmUp() {
      await local.warmUp?.();
    },

    async close() {
      await Promise.all([local.close?.(), cloud.close?.()]);
    },
  };
}

/**
 * The local side's signals judged over the camera's window, against its baseline and the fleet model. Null when it
 * gave no signals (or a verdict of its own, which no local analyser does): nothing to judge, so the cloud is asked.
 */
export function localJudgement(output: AnalyserOutput, frame: FrameToAnalyse, rules: VisionRules | undefined): Judgement | null {
  if (output.verdict) return null;
  if (!output.signals) return null;
  // Without a capture time the frame has no place in the window and is judged alone: one frame never confirms a
  // windowed rule, so whatever it shows is a hint and the cloud is asked (the cautious side).
  const capturedAt = frame.capturedAt ?? 0;
  const history = frame.capturedAt === undefined ? [] : (frame.history ?? []);
  return judgeSignals({ capturedAt, signals: output.signals }, history, { language: frame.language, rules, ...judgeContext(frame) });
}

function judgeContext(frame: FrameToAnalyse) {
  return { baseline: frame.camera?.baseline ?? null, model: frame.camera?.model ?? null, motion: { speedKmh: frame.camera?.speedKmh ?? null } };
}

/**
 * The cloud's verdict on the latest frame within `recheckMs` that it was asked about, if the local judgement had the
 * same concern then as now (judged again from the history: the rules are deterministic). Null → ask the cloud.
 */
function recentAnswer(frame: FrameToAnalyse, now: Judgement, rules: VisionRules | undefined, recheckMs: number): VisionVerdict | null {
  if (frame.capturedAt === undefined || now.concern === null) return null;
  const at = frame.capturedAt;
  const history = frame.history ?? [];
  const asked = history
    .filter((h) => h.modelVerdict && h.capturedAt < at && h.capturedAt >= at - recheckMs)
    .sort((a, b) => b.capturedAt - a.capturedAt)[0];
  if (!asked) return null;
  const then = judgeSignals(asked, history.filter((h) => h.capturedAt < asked.capturedAt), { language: frame.language, rules, ...judgeContext(frame) });
  return then.concern === now.concern ? asked.modelVerdict! : null;
}
