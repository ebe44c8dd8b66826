/**
 * The analysers the evaluation can run, chosen exactly as the app chooses them (edge/runtime/analyser-from-config.ts)
 * from the environment it reads: `cloud` from the OPENAI_* variables, `offline` from the model files in
 * node_modules, `cascade` from both.
 */
import { loadConfig } from '../../edge/config.ts';
import { analyserFromConfig } from '../../edge/runtime/analyser-from-config.ts';
import type { Analyser } from '../../edge/ports/analyser.ts';
import type { AnalyserFactories } from './run-eval.ts';

const OPENAI_VARIABLES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_VISION_MODEL', 'OPENAI_TIMEOUT_MS', 'OPENAI_MAX_RETRIES'] as const;

// Imported on demand: loading the offline model's code is slow and not needed to evaluate the cloud model.
async function offlineFactory(): Promise<() => Analyser> {
  const [{ createOfflineAnalyser }, { offlineAnalyserFiles }] = await Promise.all([
    import('../../edge/adapters/analyser/offline-analyser.ts'),
    import('../../edge/runtime/offline-analyser-files.ts'),
  ]);
  return () => createOfflineAnalyser(offlineAnalyserFiles());
}

async function build(env: Record<string, string | undefined>, choice: 'cloud' | 'offline' | 'cascade'): Promise<Analyser> {
  // Only the OpenAI settings are read, so an unrelated variable of the app's cannot stop an evaluation; a missing
  // key comes back as the app's own configuration error.
  const config = loadConfig({ ...Object.fromEntries(OPENAI_VARIABLES.map((name) => [name, env[name]])), VISION_ANALYSER: choice });
  const analyser = analyserFromConfig(config, choice === 'cloud' ? null : await offlineFactory());
  if (!analyser) throw new Error(`no ${choice} analyser could be built`);
  return analyser;
}

export function analyserFactoriesFromEnv(env: Record<string, string | undefined>): AnalyserFactories {
  return {
    cloud: () => build(env, 'cloud'),
    offline: () => build(env, 'offline'),
    cascade: () => build(env, 'cascade'),
  };
}

/** Cloud when a model is configured, else the offline one (what a fresh checkout can run). */
export function defaultAnalyserName(env: Record<string, string | undefined>): string {
  return env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? 'cloud' : 'offline';
}
