/**
 * Which analyser looks at frames, from VISION_ANALYSER (any runtime; Web APIs only here):
 * - `auto`: where the offline model can run (Node, Deno), offline — or cascade when an OpenAI-compatible model is
 *   configured; on Workers (no WASM model files), cloud when configured, else none;
 * - `offline`, `cloud`, `cascade`: exactly that (offline and cascade need a runtime that can load the model);
 * - `none`: frames are stored and marked `not_configured`.
 * The runtime passes `offline` as a factory, so the Workers bundle never imports the model loader.
 */
import { createCascadeAnalyser } from '../adapters/analyser/cascade-analyser.ts';
import { createOpenAiAnalyser } from '../adapters/analyser/openai-analyser.ts';
import type { Config } from '../config.ts';
import type { Analyser } from '../ports/analyser.ts';

export function analyserFromConfig(config: Config, offline: (() => Analyser) | null): Analyser | undefined {
  const cloudConfigured = Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
  const cloud = () =>
    createOpenAiAnalyser({
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: config.OPENAI_VISION_MODEL,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      maxRetries: config.OPENAI_MAX_RETRIES,
    });
  const needOffline = () => {
    if (!offline) throw new Error(`VISION_ANALYSER=${config.VISION_ANALYSER} needs the offline model, which this runtime cannot load: use cloud`);
    return offline();
  };
  switch (config.VISION_ANALYSER) {
    case 'none':
      return undefined;
    case 'cloud':
      return cloud();
    case 'offline':
      return needOffline();
    case 'cascade':
      return createCascadeAnalyser({ local: needOffline(), cloud: cloud() });
    case 'auto':
      if (!offline) return cloudConfigured ? cloud() : undefined;
      return cloudConfigured ? createCascadeAnalyser({ local: offline(), cloud: cloud() }) : offline();
  }
}
