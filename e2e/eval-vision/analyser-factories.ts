/**
 * The analysers the evaluation can run, built from the environment the app itself reads: `cloud` from the OPENAI_*
 * variables (validated by the app's config schema), `offline` from the model files in node_modules, `cascade` from both.
 */
import { createOpenAiAnalyser } from '../../edge/adapters/analyser/openai-analyser.ts';
import { loadConfig } from '../../edge/config.ts';
import type { Analyser } from '../../edge/ports/analyser.ts';
import type { AnalyserFactories } from './run-eval.ts';

const OPENAI_VARIABLES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_VISION_MODEL', 'OPENAI_TIMEOUT_MS', 'OPENAI_MAX_RETRIES'] as const;

function cloudFromEnv(env: Record<string, string | undefined>): Analyser {
  // Only the OpenAI settings are read, so an unrelated variable of the app's cannot stop an evaluation.
  const config = loadConfig(Object.fromEntries(OPENAI_VARIABLES.map((name) => [name, env[name]])));
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    throw new Error('the cloud analyser needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server such as Ollama or vLLM)');
  }
  return createOpenAiAnalyser({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_VISION_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });
}

// Imported on demand: loading the offline model's code is slow and not needed to evaluate the cloud model.
async function offline(): Promise<Analyser> {
  const [{ createOfflineAnalyser }, { offlineAnalyserFiles }] = await Promise.all([
    import('../../edge/adapters/analyser/offline-analyser.ts'),
    import('../../edge/runtime/offline-analyser-files.ts'),
  ]);
  return createOfflineAnalyser(offlineAnalyserFiles());
}

export function analyserFactoriesFromEnv(env: Record<string, string | undefined>): AnalyserFactories {
  return {
    cloud: () => cloudFromEnv(env),
    offline,
    cascade: async () => {
      const { createCascadeAnalyser } = await import('../../edge/adapters/analyser/cascade-analyser.ts');
      return createCascadeAnalyser({ local: await offline(), cloud: cloudFromEnv(env) });
    },
  };
}

/** Cloud when a model is configured, else the offline one (what a fresh checkout can run). */
export function defaultAnalyserName(env: Record<string, string | undefined>): string {
  return env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? 'cloud' : 'offline';
}
