import { describe, expect, it } from 'vitest';
import { createOfflineAnalyser } from '../adapters/analyser/offline-analyser.ts';
import { loadConfig } from '../config.ts';
import { analyserFromConfig } from './analyser-from-config.ts';
import { offlineAnalyserFiles } from './offline-analyser-files.ts';

// Creating the offline analyser loads nothing yet (models load on the first frame), so this is the real one.
const offline = () => createOfflineAnalyser(offlineAnalyserFiles());
const choose = (env: Record<string, string>, canRunOffline = true) => analyserFromConfig(loadConfig(env), canRunOffline ? offline : null)?.name ?? 'none';
const LOCAL_MODEL = { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' };

describe('analyserFromConfig', () => {
  it('auto: offline on Node/Deno, cascade once a model is configured; on Workers cloud or none', () => {
    expect(choose({})).toBe('offline');
    expect(choose(LOCAL_MODEL)).toBe('cascade');
    expect(choose({ OPENAI_API_KEY: 'sk-test' })).toBe('cascade');
    expect(choose({}, false)).toBe('none');
    expect(choose({ OPENAI_API_KEY: 'sk-test' }, false)).toBe('openai');
  });

  it('follows an explicit choice', () => {
    expect(choose({ VISION_ANALYSER: 'none', OPENAI_API_KEY: 'sk-test' })).toBe('none');
    expect(choose({ VISION_ANALYSER: 'offline', OPENAI_API_KEY: 'sk-test' })).toBe('offline');
    expect(choose({ VISION_ANALYSER: 'cloud', ...LOCAL_MODEL })).toBe('openai');
    expect(choose({ VISION_ANALYSER: 'cascade', ...LOCAL_MODEL })).toBe('cascade');
  });

  it('refuses the offline model where it cannot run, and cloud without a model to call', () => {
    expect(() => choose({ VISION_ANALYSER: 'offline' }, false)).toThrow(/cannot load: use cloud/);
    expect(() => loadConfig({ VISION_ANALYSER: 'cloud' })).toThrow(/OPENAI_API_KEY: is required with VISION_ANALYSER=cloud/);
  });
});
