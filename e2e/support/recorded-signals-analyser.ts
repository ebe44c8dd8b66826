/**
 * Test analyser that plays back recorded signal sequences, standing in for the offline model as the local side of
 * a cascade: what a face model measures on synthetic images cannot be controlled, but the windowed rules and the
 * cascade's escalation must be tested on chosen sequences (a driver closing their eyes frame after frame).
 * It checks the JPEG markers like a real decoder would, so an undecodable frame still rejects with AnalyserInputError.
 */
import type { FrameSignals } from '../../edge/domain/vision/vision-verdict.ts';
import { AnalyserInputError, type Analyser, type FrameToAnalyse } from '../../edge/ports/analyser.ts';

import { FRONT_CALM } from './driver-signals.ts';

/** A calm driver seen from the front (face, body, hands on the wheel). */
export const ATTENTIVE: FrameSignals = FRONT_CALM;

export function createRecordedSignalsAnalyser(signalsFor: (frame: FrameToAnalyse, call: number) => Partial<FrameSignals>): Analyser & { calls: FrameToAnalyse[] } {
  const calls: FrameToAnalyse[] = [];
  return {
    name: 'recorded',
    calls,
    async analyse(frame) {
      const call = calls.push(frame) - 1;
      const { jpeg } = frame;
      if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new AnalyserInputError('not a JPEG (no SOI marker)');
      return { analyser: 'recorded', model: 'recorded-signals', verdict: null, signals: { ...ATTENTIVE, ...signalsFor(frame, call) }, usage: null, latencyMs: 1 };
    },
  };
}
