/**
 * Measures the cascade (a measurement, not a test): the real offline analyser on every frame, the OpenAI adapter
 * against the loopback OpenAI-compatible server when the windowed local verdict asks for a second opinion. Reports
 * per-frame latency p50/p95, how many frames went to the cloud model, and memory. The loopback model answers at
 * once, so the figures are the cascade's own overhead; a real cloud call adds its network and model time.
 *
 *   npx tsx e2e/bench/cascade-analyser-bench.ts [--frames 40]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCascadeAnalyser } from '../../edge/adapters/analyser/cascade-analyser.ts';
import { createOfflineAnalyser } from '../../edge/adapters/analyser/offline-analyser.ts';
import { createOpenAiAnalyser } from '../../edge/adapters/analyser/openai-analyser.ts';
import type { SignalSample } from '../../edge/domain/vision/signal-window.ts';
import type { VisionVerdict } from '../../edge/domain/vision/vision-verdict.ts';
import { offlineAnalyserFiles } from '../../edge/runtime/offline-analyser-files.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { startOpenAiCompatibleServer } from '../support/openai-compatible-server.ts';
import { summarize } from './percentiles.ts';

const { values } = parseArgs({ options: { frames: { type: 'string', default: '40' } } });
const count = Number(values.frames);
// A face frame (a calm window: answered locally) and frames with nobody in them (a NO_DRIVER window: escalated).
const FRAMES = ['photos/skimage_astronaut_from_png.jpg', 'photos/skimage_coffee_from_png.jpg', 'dashcam/udacity_lanelines_solidWhiteRight.jpg'];

const server = await startOpenAiCompatibleServer();
const local = createOfflineAnalyser(offlineAnalyserFiles());
const cloud = createOpenAiAnalyser({ apiKey: 'sk-bench', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 10_000, maxRetries: 0 });
const cascade = createCascadeAnalyser({ local, cloud });

for (const path of FRAMES) {
  const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images', path)));
  const history: (SignalSample & { modelVerdict?: VisionVerdict | null })[] = [];
  await cascade.analyse({ jpeg, width: null, height: null, language: 'en' }); // loads the models
  const before = server.requests.length;
  let asks = before;
  const latencies: number[] = [];
  let t = Date.parse('2026-06-01T08:00:00Z');
  for (let i = 0; i < count; i++) {
    t += 5_000; // a frame every 5 s
    const started = performance.now();
    const out = await cascade.analyse({ jpeg, width: null, height: null, language: 'en', capturedAt: t, history });
    latencies.push(performance.now() - started);
    // As the job does: the cloud's verdict is remembered with the frame it was asked about.
    const asked = server.requests.length > asks;
    asks = server.requests.length;
    if (out.signals) history.push({ capturedAt: t, signals: out.signals, ...(asked ? { modelVerdict: out.verdict } : {}) });
  }
  const s = summarize(latencies);
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`${path}: p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, cloud calls ${server.requests.length - before}/${count}, rss ${rss.toFixed(0)} MB`);
}
await cascade.close?.();
await server.close();
