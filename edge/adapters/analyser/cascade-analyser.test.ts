/**
 * The cascade with a real cloud side: the OpenAI adapter against the loopback OpenAI-compatible server. The local
 * side plays back recorded signals (e2e/support/recorded-signals-analyser.ts) because what a face model measures on
 * the shared images cannot be steered into "eyes closing for three frames". The rule under test: the cloud is
 * skipped only when the local look is confident the driver is attentive (or the taxi stands with nothing found).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baselineOf, FRONT_CALM, withPoint } from '../../../e2e/support/driver-signals.ts';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../../e2e/support/openai-compatible-server.ts';
import { createRecordedSignalsAnalyser } from '../../../e2e/support/recorded-signals-analyser.ts';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';
import type { FrameSignals } from '../../domain/vision/vision-verdict.ts';
import { AnalyserInputError, SecondOpinionUnavailableError, type FrameToAnalyse } from '../../ports/analyser.ts';
import { createCascadeAnalyser } from './cascade-analyser.ts';
import { createOpenAiAnalyser } from './openai-analyser.ts';

const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg')));
const T0 = Date.parse('2026-06-01T08:00:00Z');
const BASELINE = baselineOf(FRONT_CALM);
const calibrated = { baseline: BASELINE, model: null, speedKmh: 45 };
const attentiveHistory = Array.from({ length: 12 }, (_, i) => ({ capturedAt: T0 - 5_000 * (i + 1), signals: FRONT_CALM }));
const SEEN = { driver_visible: true, face_visible: true, person_count: 1, phone_in_hand: true, phone_at_ear: true, phone_looked_at: false, eyes_closed: false, yawning: false, looking_away: false, smoking: false, lens_blocked: false, collision_visible: false };
const phoneVerdict = { incident_detected: true, type: 'PHONE_USAGE', confidence: 0.93, description: 'The driver holds a phone to the ear.' };
const atEar = withPoint(FRONT_CALM, 'right_wrist', 0.45, 0.27);

describe('createCascadeAnalyser', () => {
  let server: OpenAiCompatibleServer;
  let current: Partial<FrameSignals>;
  const local = createRecordedSignalsAnalyser(() => current);
  let cascade: ReturnType<typeof createCascadeAnalyser>;
  const frame = (extra: Partial<FrameToAnalyse> = {}): FrameToAnalyse => ({ jpeg, width: 960, height: 540, language: 'en', capturedAt: T0, history: attentiveHistory, camera: calibrated, ...extra });

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

  it('warms up its local model (the cloud has nothing to load) and passes on a failure to load it', async () => {
    let warmed = 0;
    const warmable = { ...local, warmUp: async () => void warmed++ };
    const cloud = createOpenAiAnalyser({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 2_000, maxRetries: 0 });
    await createCascadeAnalyser({ local: warmable, cloud }).warmUp!();
    expect(warmed).toBe(1);
    expect(server.requests).toHaveLength(0);
    const broken = { ...local, warmUp: () => Promise.reject(new Error('could not load model(s) blazeface')) };
    await expect(createCascadeAnalyser({ local: broken, cloud }).warmUp!()).rejects.toThrow('could not load model(s) blazeface');
    await expect(cascade.warmUp!()).resolves.toBeUndefined(); // a local analyser with nothing to load
  });

  it('answers from the local model alone when the driver looks exactly as usual: no cloud call, no cost', async () => {
    const out = await cascade.analyse(frame());
    expect(server.requests).toHaveLength(0);
    expect(out).toMatchObject({ analyser: 'cascade', model: 'recorded-signals', usage: null, verdict: { incident_detected: false } });
    expect(out.signals?.eye_openness).toBe(0.3);
  });

  it('asks the cloud about a posture no rule names but that is not the usual one (a hand off the wheel)', async () => {
    current = withPoint(FRONT_CALM, 'left_wrist', 0.66, 0.55);
    server.enqueue(reply.noIncident('Adjusting the mirror.'));
    const out = await cascade.analyse(frame());
    expect(server.requests).toHaveLength(1);
    expect(out.verdict).toMatchObject({ incident_detected: false, description: 'Adjusting the mirror.' });
  });

  it('asks the cloud while the camera is calibrating, once a minute rather than on every frame', async () => {
    server.enqueue(reply.noIncident());
    const first = await cascade.analyse(frame({ camera: { ...calibrated, baseline: null } }));
    expect(server.requests).toHaveLength(1);
    const history = [...attentiveHistory.slice(1), { capturedAt: T0 - 5_000, signals: FRONT_CALM, modelVerdict: first.verdict! }];
    await cascade.analyse(frame({ camera: { ...calibrated, baseline: null }, history }));
    expect(server.requests).toHaveLength(1);
  });

  it('spares the cloud for a taxi standing still with nothing found (no driver behaviour is an incident there)', async () => {
    current = withPoint(FRONT_CALM, 'left_wrist', 0.66, 0.55);
    const out = await cascade.analyse(frame({ camera: { ...calibrated, speedKmh: 0 } }));
    expect(server.requests).toHaveLength(0);
    expect(out.verdict?.incident_detected).toBe(false);
  });

  it('asks the cloud when the windowed local verdict fires, and returns the cloud verdict graded by the policy', async () => {
    current = atEar;
    server.enqueue(reply.verdict(phoneVerdict, { signals: SEEN, usage: { prompt_tokens: 300, completion_tokens: 50 } }));
    const history = [...attentiveHistory, { capturedAt: T0 - 2_000, signals: atEar }];
    const out = await cascade.analyse(frame({ history }));
    expect(server.requests).toHaveLength(1);
    expect(out.verdict).toMatchObject({ incident_detected: true, type: 'PHONE_USAGE', severity: 'MEDIUM', confidence: 0.93 });
    expect(out.detail).toBe('phone_at_ear');
    expect(out.model).toBe('recorded-signals+gpt-4o-mini');
    expect(out.usage).toMatchObject({ inputTokens: 300, outputTokens: 50 });
    expect(out.usage!.costUsd).toBeGreaterThan(0);
  });

  it('asks the cloud when the local look is a hint (one frame), and the cloud may clear it', async () => {
    current = atEar;
    server.enqueue(reply.noIncident('Scratching the ear; no phone.'));
    const out = await cascade.analyse(frame());
    expect(server.requests).toHaveLength(1);
    expect(out.verdict).toMatchObject({ incident_detected: false, description: 'Scratching the ear; no phone.' });
  });

  it('asks the cloud when telemetry asks for a look, passing the context on', async () => {
    server.enqueue(reply.noIncident());
    await cascade.analyse(frame({ context: 'HARSH_BRAKING (HIGH) 3 s before this frame' }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.userText).toContain('HARSH_BRAKING (HIGH) 3 s before this frame');
  });

  describe('an ongoing episode is re-checked once a minute, not on every frame', () => {
    const phoneAt = (secondsBefore: number, modelVerdict?: Record<string, unknown>) => ({ capturedAt: T0 - secondsBefore * 1000, signals: atEar, ...(modelVerdict ? { modelVerdict: modelVerdict as any } : {}) });
    const graded = { ...phoneVerdict, severity: 'MEDIUM' };
    const calm = { incident_detected: false, type: null, severity: null, confidence: 0.9, description: 'Scratching, not a phone.' };

    it('reuses the cloud’s answer about the same local concern from moments ago (confirmed, or vetoed)', async () => {
      current = atEar;
      const confirmed = await cascade.analyse(frame({ history: [...attentiveHistory.slice(3), phoneAt(12), phoneAt(6, graded)] }));
      expect(confirmed.verdict).toMatchObject({ incident_detected: true, type: 'PHONE_USAGE', description: phoneVerdict.description });
      const vetoed = await cascade.analyse(frame({ history: [...attentiveHistory.slice(3), phoneAt(12), phoneAt(6, calm)] }));
      expect(vetoed.verdict).toMatchObject({ incident_detected: false, description: 'Scratching, not a phone.' });
      expect(server.requests).toHaveLength(0);
      expect(vetoed.usage).toBeNull();
    });

    it('asks again once the answer is older than a minute, when the concern changed, or when telemetry asks', async () => {
      current = atEar;
      server.enqueue(reply.verdict(phoneVerdict), reply.verdict(phoneVerdict), reply.verdict(phoneVerdict));
      await cascade.analyse(frame({ history: [...attentiveHistory.slice(3), phoneAt(70, graded), phoneAt(6)] }));
      expect(server.requests).toHaveLength(1);
      // The cloud was asked about a calm frame (a hint of something else then); a phone now is new.
      await cascade.analyse(frame({ history: [...attentiveHistory.slice(2).map((h, i) => (i === 0 ? { ...h, capturedAt: T0 - 8_000, signals: { ...FRONT_CALM, mouth_openness: 0.9 }, modelVerdict: calm as any } : h))] }));
      expect(server.requests).toHaveLength(2);
      await cascade.analyse(frame({ history: [...attentiveHistory.slice(3), phoneAt(12), phoneAt(6, graded)], context: 'HARSH_BRAKING (HIGH) 2 s before this frame' }));
      expect(server.requests).toHaveLength(3);
    });
  });

  it('rejects when the cloud fails (never a guess), and an undecodable frame with AnalyserInputError', async () => {
    current = atEar;
    server.enqueue(reply.status(500));
    const outage = await cascade.analyse(frame()).catch((e) => e);
    expect(outage).toBeInstanceOf(SecondOpinionUnavailableError);
    expect(outage.final).toBe(false); // worth retrying later
    server.enqueue(reply.status(401, { message: 'Incorrect API key provided' }));
    const refused = await cascade.analyse(frame()).catch((e) => e);
    expect(refused).toMatchObject({ final: true, fallback: { analyser: 'cascade', signals: { face_found: true } } });
    await expect(cascade.analyse(frame({ jpeg: new Uint8Array([1, 2, 3, 4]) }))).rejects.toBeInstanceOf(AnalyserInputError);
  });
});
