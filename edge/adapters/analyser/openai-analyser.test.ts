/**
 * The OpenAI adapter's own behaviour (retries, timeouts, validation, usage, prompt) against the loopback
 * OpenAI-compatible server, with the backoff sleep injected so waits are asserted rather than spent.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../../e2e/support/openai-compatible-server.ts';
import { AnalyserInputError, AnalyserRefusedError, type FrameToAnalyse } from '../../ports/analyser.ts';
import { visionVerdictSchema } from '../../domain/vision/vision-verdict.ts';
import { createOpenAiAnalyser, OpenAiAnalyserError, samplingFor, type OpenAiAnalyserConfig } from './openai-analyser.ts';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';

const JPEG = new Uint8Array(readFileSync(`${sharedDataDir()}/images/dashcam/udacity_lanelines_solidWhiteRight.jpg`));
const frame = (overrides: Partial<FrameToAnalyse> = {}): FrameToAnalyse => ({ jpeg: JPEG, width: 960, height: 540, language: 'en', ...overrides });

const PHONE = { incident_detected: true, type: 'PHONE_USAGE', severity: 'MEDIUM', confidence: 0.87, description: 'Driver holds a phone to the ear.' };

let server: OpenAiCompatibleServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(config: Partial<OpenAiAnalyserConfig> = {}) {
  server = await startOpenAiCompatibleServer();
  const sleeps: number[] = [];
  const analyser = createOpenAiAnalyser({
    apiKey: 'sk-test',
    baseURL: server.baseURL,
    model: 'gpt-4o-mini',
    timeoutMs: 2_000,
    maxRetries: 3,
    random: () => 0,
    sleep: async (ms) => void sleeps.push(ms),
    ...config,
  });
  return { server, analyser, sleeps };
}

const SEEN = {
  driver_visible: true, face_visible: true, person_count: 1, phone_in_hand: false, phone_at_ear: false, phone_looked_at: false,
  eyes_closed: false, yawning: null, looking_away: null, smoking: false, lens_blocked: false, collision_visible: false,
};

describe('openai analyser', () => {
  it('leaves the severity to the policy: typing while moving is HIGH, the same at a rank no incident', async () => {
    const { server, analyser } = await setup();
    const typing = reply.verdict({ ...PHONE, severity: 'LOW' }, { signals: { ...SEEN, phone_in_hand: true, phone_looked_at: true } });
    server.enqueue(typing, typing);
    const moving = await analyser.analyse(frame({ camera: { baseline: null, model: null, speedKmh: 38 } }));
    expect(moving.verdict).toMatchObject({ incident_detected: true, type: 'PHONE_USAGE', severity: 'HIGH' });
    const parked = await analyser.analyse(frame({ camera: { baseline: null, model: null, speedKmh: 0 } }));
    expect(parked.verdict).toMatchObject({ incident_detected: false, type: null, severity: null, description: PHONE.description });
    expect(parked.detail).toBe('phone_looked_at');
  });

  it('sends the frame as a low-detail JPEG data URL with a strict JSON schema and returns the validated verdict and signals', async () => {
    const { server, analyser, sleeps } = await setup();
    server.enqueue(reply.verdict(PHONE, { signals: { ...SEEN, phone_in_hand: true, phone_at_ear: true } }));

    const out = await analyser.analyse(frame());

    expect(out.analyser).toBe('openai');
    expect(out.model).toBe('gpt-4o-mini');
    // The model names the incident and what it saw; the severity policy grades it (a phone at the ear: MEDIUM).
    expect(out.verdict).toEqual(PHONE);
    expect(out.detail).toBe('phone_at_ear');
    expect(visionVerdictSchema.parse(out.verdict)).toEqual(PHONE);
    expect(out.signals).toMatchObject({ face_found: true, person_count: 1, phone_score: 1, eye_openness: null, head_yaw_deg: null });
    expect(out.latencyMs).toBeGreaterThanOrEqual(0);
    expect(sleeps).toEqual([]);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.model).toBe('gpt-4o-mini');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.imageDetail).toBe('low');
    expect(request.imageUrl?.startsWith('data:image/jpeg;base64,')).toBe(true);
    const sent = Buffer.from(request.imageUrl!.slice('data:image/jpeg;base64,'.length), 'base64');
    expect(sent.equals(Buffer.from(JPEG))).toBe(true);
    expect(request.responseFormat.type).toBe('json_schema');
    expect(request.responseFormat.json_schema.strict).toBe(true);
    const schema = request.responseFormat.json_schema.schema;
    expect(Object.keys(schema.properties)).toEqual(['signals', 'incident_detected', 'type', 'confidence', 'description']);
    expect(schema.required).toEqual(expect.arrayContaining(['signals', 'type']));
    expect(JSON.stringify(schema)).not.toContain('maxLength'); // strict mode rejects the keyword
    expect(request.systemPrompt).toMatch(/driver-facing camera/);
    for (const type of ['PHONE_USAGE', 'DROWSINESS', 'YAWNING', 'DISTRACTION', 'ACCIDENT', 'NO_DRIVER', 'CAMERA_BLOCKED']) expect(request.systemPrompt).toContain(type);
    expect(request.systemPrompt).toMatch(/incident_detected=false .*unsure/);
  });

  it('returns no signals when the model reports none', async () => {
    const { server, analyser } = await setup();
    server.enqueue(reply.noIncident());
    const out = await analyser.analyse(frame());
    expect(out.verdict).toMatchObject({ incident_detected: false, type: null, severity: null });
    expect(out.signals).toBeNull();
  });

  it('treats an answer that does not match the schema as a failed attempt and retries', async () => {
    const { server, analyser, sleeps } = await setup();
    server.enqueue(reply.schemaViolation(), reply.verdict(PHONE));
    const out = await analyser.analyse(frame());
    expect(out.verdict).toEqual(PHONE);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([250]);
  });

  it('cuts an over-long description at the schema limit instead of paying for another attempt', async () => {
    const { server, analyser } = await setup();
    server.enqueue(reply.verdict({ ...PHONE, description: 'x'.repeat(900) }));
    const out = await analyser.analyse(frame());
    expect(out.verdict?.description).toHaveLength(500);
    expect(server.requests).toHaveLength(1);
  });

  it('retries prose and refusals too', async () => {
    const { server, analyser } = await setup();
    server.enqueue({ kind: 'content', content: 'The driver looks fine.' }, reply.refusal(), reply.verdict(PHONE));
    expect((await analyser.analyse(frame())).verdict).toEqual(PHONE);
    expect(server.requests).toHaveLength(3);
  });

  it('rejects, naming the cause, when every attempt breaks the schema — never resolves with a guess', async () => {
    const { server, analyser, sleeps } = await setup({ maxRetries: 2, random: () => 1 });
    server.respondWith(() => reply.schemaViolation());
    const error = await analyser.analyse(frame()).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAiAnalyserError);
    expect(error.message).toMatch(/no usable answer after 3 attempts; last: the answer does not match the verdict schema/);
    expect(error.message).toMatch(/confidence/);
    expect(error.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]); // exponential: 500 ms, then 1 s (jitter at its maximum)
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    const { server, analyser, sleeps } = await setup();
    server.enqueue(reply.status(429, { retryAfter: '2' }), reply.verdict(PHONE));
    expect((await analyser.analyse(frame())).verdict).toEqual(PHONE);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('honours retry-after-ms, and backs off at least as long as its own schedule', async () => {
    const { server, analyser, sleeps } = await setup({ random: () => 1 });
    server.enqueue(reply.status(429, { retryAfterMs: 1500 }), reply.status(429, { retryAfterMs: 10 }), reply.verdict(PHONE));
    await analyser.analyse(frame());
    expect(sleeps).toEqual([1500, 1000]);
  });

  it('does not wait out a Retry-After longer than a minute: it fails at once and leaves the retry to the job queue', async () => {
    const { server, analyser, sleeps } = await setup();
    server.enqueue(reply.status(429, { retryAfter: '120' }));
    await expect(analyser.analyse(frame())).rejects.toThrow(/HTTP 429.*wait 120 s/);
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx and dropped connections', async () => {
    const { server, analyser, sleeps } = await setup();
    server.enqueue(reply.status(500), reply.drop(), reply.status(503), reply.verdict(PHONE));
    expect((await analyser.analyse(frame())).verdict).toEqual(PHONE);
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it('gives up on a 400 at once: the request itself is wrong', async () => {
    const { server, analyser, sleeps } = await setup();
    server.enqueue(reply.status(400, { message: 'model does not support images' }), reply.verdict(PHONE));
    const error = await analyser.analyse(frame()).catch((e) => e);
    expect(error).toBeInstanceOf(AnalyserRefusedError);
    expect(error.message).toMatch(/HTTP 400.*model does not support images.*final/);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('times out each attempt, retries, and eventually rejects', async () => {
    const { server, analyser } = await setup({ timeoutMs: 150, maxRetries: 1 });
    server.respondWith(() => reply.delay(5_000));
    const started = performance.now();
    const error = await analyser.analyse(frame()).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAiAnalyserError);
    expect(error.message).toMatch(/after 2 attempts; last: timed out after 150 ms/);
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('recovers when a timed-out attempt is followed by a prompt answer', async () => {
    const { server, analyser } = await setup({ timeoutMs: 150 });
    server.enqueue(reply.delay(5_000), reply.verdict(PHONE));
    expect((await analyser.analyse(frame())).verdict).toEqual(PHONE);
  });

  it('stops when the caller aborts, without further attempts', async () => {
    const { server, analyser } = await setup({ sleep: undefined, timeoutMs: 5_000 });
    const controller = new AbortController();
    // Aborted once the request is at the server: a timer from the start could fire before it got there on a busy machine.
    server.respondWith(() => {
      setTimeout(() => controller.abort(new Error('shutting down')), 50);
      return reply.delay(5_000);
    });
    await expect(analyser.analyse(frame(), { signal: controller.signal })).rejects.toThrow(/shutting down/);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects bytes that are not a JPEG with AnalyserInputError before any network call', async () => {
    const { server, analyser } = await setup();
    await expect(analyser.analyse(frame({ jpeg: new TextEncoder().encode('GIF89a not a jpeg') }))).rejects.toBeInstanceOf(AnalyserInputError);
    await expect(analyser.analyse(frame({ jpeg: JPEG.subarray(0, 4000) }))).rejects.toBeInstanceOf(AnalyserInputError);
    expect(server.requests).toHaveLength(0);
  });

  it('records tokens of every billed attempt and prices them by the model that answered', async () => {
    const { server, analyser } = await setup({ model: 'gpt-4o' });
    server.enqueue(
      { kind: 'json', json: { incident_detected: true }, usage: { prompt_tokens: 1000, completion_tokens: 100 } },
      reply.verdict(PHONE, { usage: { prompt_tokens: 2000, completion_tokens: 200 }, model: 'gpt-4o-2024-08-06' }),
    );
    const out = await analyser.analyse(frame());
    expect(out.model).toBe('gpt-4o-2024-08-06');
    expect(out.usage?.inputTokens).toBe(3000);
    expect(out.usage?.outputTokens).toBe(300);
    expect(out.usage?.costUsd).toBeCloseTo((3000 * 2.5 + 300 * 10) / 1e6, 12);
  });

  it('keeps tokens but costs nothing for a local model it has no price for', async () => {
    const { server, analyser } = await setup({ model: 'llava:13b', apiKey: undefined });
    server.enqueue(reply.verdict(PHONE, { usage: { prompt_tokens: 700, completion_tokens: 60 } }));
    const out = await analyser.analyse(frame());
    expect(out).toMatchObject({ model: 'llava:13b', usage: { inputTokens: 700, outputTokens: 60, costUsd: 0 } });
  });

  it('asks classic models for a short deterministic answer, and reasoning models in the parameters they accept', async () => {
    const { server, analyser } = await setup();
    await analyser.analyse(frame());
    expect(server.requests[0].body).toMatchObject({ temperature: 0, max_tokens: 400 });
    const reasoning = createOpenAiAnalyser({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'o4-mini', timeoutMs: 2_000, maxRetries: 0 });
    await reasoning.analyse(frame());
    expect(server.requests[1].body.max_completion_tokens).toBe(4000);
    expect(server.requests[1].body).not.toHaveProperty('max_tokens');
    expect(server.requests[1].body).not.toHaveProperty('temperature');
    expect(samplingFor('gpt-5-mini')).toEqual({ max_completion_tokens: 4000 });
    expect(samplingFor('llava:13b')).toEqual({ temperature: 0, max_tokens: 400 });
  });

  it('reports no usage when the server sends none (some local servers do not)', async () => {
    const { server, analyser } = await setup({ model: 'llava:13b' });
    server.enqueue(reply.verdict(PHONE, { usage: null }));
    const out = await analyser.analyse(frame());
    expect(out.verdict).toEqual(PHONE);
    expect(out.usage).toBeNull();
  });

  it("asks for the description in the fleet's language", async () => {
    const { server, analyser } = await setup();
    await analyser.analyse(frame({ language: 'es' }));
    await analyser.analyse(frame({ language: 'en' }));
    expect(server.requests[0].systemPrompt).toMatch(/Write "description" in Spanish/);
    expect(server.requests[1].systemPrompt).toMatch(/Write "description" in English/);
    expect(server.requests[1].systemPrompt).not.toMatch(/Spanish/);
  });

  it('includes the context when given, fenced as data, and says nothing of it otherwise', async () => {
    const { server, analyser } = await setup();
    await analyser.analyse(frame({ context: 'Harsh braking: -9.2 m/s² at 48 km/h, 2 s before this frame.' }));
    await analyser.analyse(frame());
    expect(server.requests[0].userText).toContain('"""Harsh braking: -9.2 m/s² at 48 km/h, 2 s before this frame."""');
    expect(server.requests[0].userText).toContain('(960×540)');
    expect(server.requests[1].userText).not.toMatch(/context/i);
  });
});
