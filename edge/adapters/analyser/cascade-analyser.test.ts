/**
 * The cascade with a real cloud side: the OpenAI adapter against the loopback OpenAI-compatible server. The local
 * side plays back recorded signals (e2e/support/recorded-signals-analyser.ts) because what a face model measures on
 * the shared images cannot be steered into "eyes closing for three frames".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../../e2e/support/openai-compatible-server.ts';
import { createRecordedSignalsAnalyser } from '../../../e2e/support/recorded-signals-analyser.ts';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';
import type { FrameSignals } from '../../domain/vision/vision-verdict.ts';
import { AnalyserInputError, SecondOpinionUnavailableError, type FrameToAnalyse } from '../../ports/analyser.ts';
import { createCascadeAnalyser } from './cascade-analyser.ts';
import { createOpenAiAnalyser } from './openai-analyser.ts';

const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg')));
const T0 = Date.parse('2026-06-01T08:00:00Z');
const attentiveHistory = Array.from({ length: 12 }, (_, i) => ({ capturedAt: T0 - 5_000 * (i + 1), signals: { face_found: true, face_score: 0.9, eye_openness: 0.3, mouth_openness: 0.1, head_yaw_deg: 0, head_pitch_deg: 0, phone_score: 0.01, person_count: 1, brightness: 120 } }));
const phoneVerdict = { incident_detected: true, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.93, description: 'The driver holds a phone to the ear.' };

describe('createCascadeAnalyser', () => {
  let server: OpenAiCompatibleServer;
  let current: Partial<FrameSignals>;
  const local = createRecordedSignalsAnalyser(() => current);
  let cascade: ReturnType<typeof createCascadeAnalyser>;
  const frame = (extra: Partial<FrameToAnalyse> = {}): FrameToAnalyse => ({ jpeg, width: 960, height: 540, language: 'en', capturedAt: T0, history: attentiveHistory, ...extra });

  beforeAll(async () => {
    server = await startOpenAiCompatibleServer();
    const cloud = createOpenAiAnalyser({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 2_000, maxRetries: 0 });
    cascade = createCascadeAnalyser({ local, cloud });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    current = {};
    server.requests.length = 0;
  });

  it('answers from the local model alone when the window is calm: no cloud call, no cost', async () => {
    const out = await cascade.analyse(frame());
    expect(server.requests).toHaveLength(0);
    expect(out).toMatchObject({ analyser: 'cascade', model: 'recorded-signals', usage: null, verdict: { incident_detected: false } });
    expect(out.signals?.eye_openness).toBe(0.3);
  });

  it('asks the cloud when the windowed local verdict fires, and returns the cloud verdict with the local signals', async () => {
    current = { phone_score: 0.9 };
    server.enqueue(reply.verdict(phoneVerdict, { usage: { prompt_tokens: 300, completion_tokens: 50 } }));
    const history = [...attentiveHistory, { capturedAt: T0 - 2_000, signals: { ...attentiveHistory[0]!.signals, phone_score: 0.85 } }];
    const out = await cascade.analyse(frame({ history }));
    expect(server.requests).toHaveLength(1);
    expect(out.verdict).toMatchObject({ incident_detected: true, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.93 });
    expect(out.signals?.phone_score).toBe(0.9);
    expect(out.model).toBe('recorded-signals+gpt-4o-mini');
    expect(out.usage).toMatchObject({ inputTokens: 300, outputTokens: 50 });
    expect(out.usage!.costUsd).toBeGreaterThan(0);
  });

  it('asks the cloud when the local look is uncertain (one frame with a phone), and the cloud may clear it', async () => {
    current = { phone_score: 0.9 };
    server.enqueue(reply.noIncident('Hands on the wheel; the object is a wallet.'));
    const out = await cascade.analyse(frame());
    expect(server.requests).toHaveLength(1);
    expect(out.verdict).toMatchObject({ incident_detected: false, description: 'Hands on the wheel; the object is a wallet.' });
  });

  it('asks the cloud when telemetry asks for a look, passing the context on', async () => {
    server.enqueue(reply.noIncident());
    await cascade.analyse(frame({ context: 'HARSH_BRAKING (HIGH) 3 s before this frame' }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.userText).toContain('HARSH_BRAKING (HIGH) 3 s before this frame');
  });

  it('judges the local signals over the history it is given: eyes closing for 3 of 4 frames fires drowsiness', async () => {
    current = { eye_openness: 0.1 };
    const closing = [...attentiveHistory.slice(3), ...[15, 10].map((s) => ({ capturedAt: T0 - s * 1000, signals: { ...attentiveHistory[0]!.signals, eye_openness: 0.12 } }))];
    server.enqueue(reply.verdict({ incident_detected: true, type: 'DROWSINESS', severity: 'HIGH', confidence: 0.8, description: 'Eyes closed.' }));
    const out = await cascade.analyse(frame({ history: closing }));
    expect(server.requests).toHaveLength(1);
    expect(out.verdict?.type).toBe('DROWSINESS');
  });

  describe('an ongoing episode is re-checked once a minute, not on every frame', () => {
    const phoneAt = (secondsBefore: number, modelVerdict?: Record<string, unknown>) => ({ capturedAt: T0 - secondsBefore * 1000, signals: { ...attentiveHistory[0]!.signals, phone_score: 0.9 }, ...(modelVerdict ? { modelVerdict: modelVerdict as any } : {}) });
    const calm = { incident_detected: false, type: null, severity: null, confidence: 0.9, description: 'A wallet, not a phone.' };

    it('reuses the cloud’s answer about the same local finding from moments ago (confirmed, or vetoed)', async () => {
      current = { phone_score: 0.9 };
      const confirmed = await cascade.analyse(frame({ history: [...attentiveHistory.slice(3), phoneAt(12), phoneAt(6, phoneVerdict)] }));
      expect(confirmed.verdict).toMatchObject({ incident_detected: true, type: 'PHONE_USAGE', description: phoneVerdict.description });
      const vetoed = await cascade.analyse(frame({ history: [...attentiveHistory.slice(3), phoneAt(12), phoneAt(6, calm)] }));
      expect(vetoed.verdict).toMatchObject({ incident_detected: false, description: 'A wallet, not a phone.' });
      expect(server.requests).toHaveLength(0);
      expect(vetoed.usage).toBeNull();
    });

    it('asks again once the answer is older than a minute, when the finding changed, or when telemetry asks', async () => {
      current = { phone_score: 0.9 };
      server.enqueue(reply.verdict(phoneVerdict), reply.verdict(phoneVerdict), reply.verdict(phoneVerdict));
      await cascade.analyse(frame({ history: [...attentiveHistory.slice(3), phoneAt(70, phoneVerdict), phoneAt(6)] }));
      expect(server.requests).toHaveLength(1);
      // The cloud was asked about an attentive frame (no finding then); a phone now is new.
      await cascade.analyse(frame({ history: [...attentiveHistory.slice(2).map((h, i) => (i === 0 ? { ...h, capturedAt: T0 - 8_000, modelVerdict: calm as any } : h))] }));
      expect(server.requests).toHaveLength(2);
      await cascade.analyse(frame({ history: [...attentiveHistory.slice(3), phoneAt(12), phoneAt(6, phoneVerdict)], context: 'HARSH_BRAKING (HIGH) 2 s before this frame' }));
      expect(server.requests).toHaveLength(3);
    });
  });

  it('rejects when the cloud fails (never a guess), and an undecodable frame with AnalyserInputError', async () => {
    current = { phone_score: 0.9 };
    server.enqueue(reply.status(500));
    const outage = await cascade.analyse(frame()).catch((e) => e);
    expect(outage).toBeInstanceOf(SecondOpinionUnavailableError);
    expect(outage.final).toBe(false); // worth retrying later
    server.enqueue(reply.status(401, { message: 'Incorrect API key provided' }));
    const refused = await cascade.analyse(frame()).catch((e) => e);
    expect(refused).toMatchObject({ final: true, fallback: { analyser: 'cascade', signals: { phone_score: 0.9 } } });
    await expect(cascade.analyse(frame({ jpeg: new Uint8Array([1, 2, 3, 4]) }))).rejects.toBeInstanceOf(AnalyserInputError);
  });
});
