/**
 * The Analyser port's contract (edge/ports/analyser.ts), run against every adapter: real JPEGs resolve with the
 * output filled and any verdict valid; bytes that are not a JPEG reject with AnalyserInputError; concurrent calls
 * answer each for its own frame. Adapter-specific behaviour (retries, prompts, windows) is tested beside each adapter.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer } from '../../../e2e/support/openai-compatible-server.ts';
import { frameSignalsSchema, visionVerdictSchema } from '../../domain/vision/vision-verdict.ts';
import { readJpegInfo } from '../../domain/frames/jpeg-info.ts';
import { AnalyserInputError, type Analyser, type AnalyserOutput, type FrameToAnalyse } from '../../ports/analyser.ts';
import { offlineAnalyserFiles } from '../../runtime/offline-analyser-files.ts';
import { createOfflineAnalyser } from './offline-analyser.ts';
import { createOpenAiAnalyser } from './openai-analyser.ts';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';

interface AdapterUnderTest {
  name: string;
  start(): Promise<{ analyser: Analyser; stop(): Promise<void> }>;
}

/**
 * Answers per image, so a reply delivered to the wrong call would show: frames whose base64 length is even are
 * "phone", odd ones "safe", and the description names the length. Random delays reorder the replies.
 */
async function startOpenAiOnLoopback() {
  const server = await startOpenAiCompatibleServer({
    respond: (request) => {
      const length = request.imageUrl?.length ?? 0;
      const verdict =
        length % 2 === 0
          ? { incident_detected: true, type: 'PHONE_USAGE', severity: 'MEDIUM', confidence: 0.8, description: `phone, ${length}` }
          : { incident_detected: false, type: null, severity: null, confidence: 0.9, description: `safe, ${length}` };
      return reply.delay(Math.floor(Math.random() * 40), reply.verdict(verdict));
    },
  });
  const analyser = createOpenAiAnalyser({ apiKey: 'sk-contract', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 5_000, maxRetries: 0 });
  return { analyser, stop: () => server.close() };
}

const ADAPTERS: AdapterUnderTest[] = [
  { name: 'openai (loopback OpenAI-compatible server)', start: startOpenAiOnLoopback },
  { name: 'offline (human on tfjs WASM, models from node_modules)', start: async () => ({ analyser: createOfflineAnalyser(offlineAnalyserFiles()), stop: async () => {} }) },
];

const IMAGES = `${sharedDataDir()}/images`;
const frameOf = (path: string, language: FrameToAnalyse['language'] = 'en'): FrameToAnalyse => {
  const jpeg = new Uint8Array(readFileSync(`${IMAGES}/${path}`));
  const info = readJpegInfo(jpeg);
  return { jpeg, width: info.ok ? info.width : null, height: info.ok ? info.height : null, language };
};

/** What an analysis says about the frame, without what varies between runs (time, token counts). */
const substance = (out: AnalyserOutput) => ({ analyser: out.analyser, model: out.model, verdict: out.verdict, signals: out.signals });

describe.each(ADAPTERS)('Analyser contract: $name', (adapter) => {
  let analyser: Analyser;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ analyser, stop } = await adapter.start());
  }, 120_000);
  afterAll(async () => {
    await analyser?.close?.();
    await stop?.();
  });

  it('resolves for a real JPEG with analyser, model and latency filled, and any verdict or signals valid', async () => {
    const out = await analyser.analyse(frameOf('dashcam/udacity_lanelines_solidWhiteRight.jpg'));
    expect(out.analyser).toBe(analyser.name);
    expect(out.model).toEqual(expect.any(String));
    expect(out.model.length).toBeGreaterThan(0);
    expect(out.latencyMs).toBeGreaterThanOrEqual(0);
    expect(out.verdict !== null || out.signals !== null).toBe(true);
    if (out.verdict) expect(visionVerdictSchema.parse(out.verdict)).toEqual(out.verdict);
    if (out.signals) expect(frameSignalsSchema.parse(out.signals)).toEqual(out.signals);
    if (out.usage) {
      expect(out.usage.inputTokens).toBeGreaterThanOrEqual(0);
      expect(out.usage.outputTokens).toBeGreaterThanOrEqual(0);
      expect(out.usage.costUsd).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);

  it('rejects bytes that are not a JPEG with AnalyserInputError', async () => {
    const notJpeg = { jpeg: new TextEncoder().encode('\x89PNG\r\n\x1a\n not a jpeg at all'), width: null, height: null, language: 'en' as const };
    await expect(analyser.analyse(notJpeg)).rejects.toBeInstanceOf(AnalyserInputError);
    const empty = { ...notJpeg, jpeg: new Uint8Array(0) };
    await expect(analyser.analyse(empty)).rejects.toBeInstanceOf(AnalyserInputError);
  }, 60_000);

  it('answers concurrent calls each for its own frame, as it does one at a time', async () => {
    const frames = ['photos/skimage_astronaut_from_png.jpg', 'dashcam/udacity_lanelines_solidYellowLeft.jpg', 'photos/pillow_hopper.jpg', 'photos/skimage_coffee_from_png.jpg'].map((p) =>
      frameOf(p),
    );
    const alone: ReturnType<typeof substance>[] = [];
    for (const f of frames) alone.push(substance(await analyser.analyse(f)));
    // Different frames must give different answers, or a mix-up could not show.
    expect(new Set(alone.map((a) => JSON.stringify(a))).size).toBeGreaterThan(1);
    const together = await Promise.all([...frames, ...frames].map((f) => analyser.analyse(f)));
    expect(together.map(substance)).toEqual([...alone, ...alone]);
  }, 120_000);

  it('rejects a cut-off JPEG among good ones without disturbing them', async () => {
    const good = frameOf('dashcam/udacity_lanelines_solidWhiteCurve.jpg');
    const cut = { ...good, jpeg: good.jpeg.subarray(0, Math.floor(good.jpeg.length * 0.6)) };
    const [a, b, c] = await Promise.allSettled([analyser.analyse(good), analyser.analyse(cut), analyser.analyse(good)]);
    expect(a.status).toBe('fulfilled');
    expect(c.status).toBe('fulfilled');
    expect(b.status === 'rejected' && b.reason).toBeInstanceOf(AnalyserInputError);
    expect(substance((a as PromiseFulfilledResult<AnalyserOutput>).value)).toEqual(substance((c as PromiseFulfilledResult<AnalyserOutput>).value));
  }, 60_000);
});
