/**
 * Cascade analyser: the local (offline) model looks at every frame; the cloud model is paid for only when the
 * local look is worth a second opinion — its windowed verdict fires, it is unsure, or something outside the frame
 * (a telemetry event, `frame.context`) asks for a careful look. Most frames of an attentive driver cost nothing.
 *
 * When the cloud answers, its verdict stands (it saw the image) and the local signals are kept beside it, so the
 * next frames' windows still have them. Its answer also stands for the next frames that show the same local finding
 * for `recheckMs`: an episode is re-checked once a minute, not on every frame. A cloud failure rejects the whole
 * analysis with SecondOpinionUnavailableError carrying the local conclusion: the job retries for the cloud's
 * answer, and on its last attempt settles for the local one rather than losing a drowsy driver to a cloud outage —
 * at once when the cloud refused the request (a bad key or model: retrying cannot help).
 */
import { judgeSignals, type Judgement } from '../../domain/vision/judge-signals.ts';
import type { VisionRules } from '../../domain/vision/vision-rules.ts';
import type { VisionVerdict } from '../../domain/vision/vision-verdict.ts';
import { AnalyserRefusedError, SecondOpinionUnavailableError, type Analyser, type AnalyserOutput, type FrameToAnalyse } from '../../ports/analyser.ts';

export interface CascadeAnalyserOptions {
  local: Analyser;
  cloud: Analyser;
  rules?: VisionRules;
  /**
   * The cloud's answer about a finding stands this long (ms) for later frames showing the same local finding, so an
   * ongoing episode (a driver on the phone, an empty parked taxi) costs one cloud call per interval, not per frame.
   */
  recheckMs?: number;
}

export const DEFAULT_RECHECK_MS = 60_000;

export function createCascadeAnalyser({ local, cloud, rules, recheckMs = DEFAULT_RECHECK_MS }: CascadeAnalyserOptions): Analyser {
  return {
    name: 'cascade',
    async analyse(frame, options) {
      const first = await local.analyse(frame, options);
      const judged = localJudgement(first, frame, rules);
      const secondOpinion = !judged || judged.verdict.incident_detected || judged.uncertain || Boolean(frame.context);
      if (!secondOpinion) return { ...first, analyser: 'cascade', verdict: judged!.verdict };
      // Telemetry asking for a look always reaches the cloud; a finding it answered moments ago does not.
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
        signals: first.signals ?? second.signals,
        usage: second.usage,
        latencyMs: first.latencyMs + second.latencyMs,
      };
    },
    async close() {
      await Promise.all([local.close?.(), cloud.close?.()]);
    },
  };
}

/**
 * The local side's verdict: its own when it gives one, else its signals judged over the vehicle's window. Null when
 * it produced neither (nothing to stand on: ask the cloud).
 */
function localJudgement(output: AnalyserOutput, frame: FrameToAnalyse, rules: VisionRules | undefined): Judgement | null {
  if (output.verdict) return { verdict: output.verdict, uncertain: false, finding: output.verdict.type };
  if (!output.signals) return null;
  // Without a capture time the frame has no place in the window and is judged alone: one frame never confirms a
  // windowed rule, so whatever it shows is a hint and the cloud is asked (the cautious side).
  const capturedAt = frame.capturedAt ?? 0;
  const history = frame.capturedAt === undefined ? [] : (frame.history ?? []);
  return judgeSignals({ capturedAt, signals: output.signals }, history, { language: frame.language, rules });
}

/**
 * The cloud's verdict on the latest frame within `recheckMs` that it was asked about, if the local rules saw the
 * same thing then as now (judged again from the history: the rules are deterministic). Null → ask the cloud.
 */
function recentAnswer(frame: FrameToAnalyse, now: Judgement, rules: VisionRules | undefined, recheckMs: number): VisionVerdict | null {
  if (frame.capturedAt === undefined || now.finding === null) return null;
  const at = frame.capturedAt;
  const history = frame.history ?? [];
  const asked = history
    .filter((h) => h.modelVerdict && h.capturedAt < at && h.capturedAt >= at - recheckMs)
    .sort((a, b) => b.capturedAt - a.capturedAt)[0];
  if (!asked) return null;
  const then = judgeSignals(asked, history.filter((h) => h.capturedAt < asked.capturedAt), { language: frame.language, rules });
  return then.finding === now.finding ? asked.modelVerdict! : null;
}
