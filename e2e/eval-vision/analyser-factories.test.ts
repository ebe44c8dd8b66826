import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server.ts';
import { analyserFactoriesFromEnv, defaultAnalyserName } from './analyser-factories.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';

let server: OpenAiCompatibleServer;
beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
});
afterAll(() => server?.close());

describe('eval:vision analysers from the environment', () => {
  it('builds the cloud analyser from the OPENAI_* variables, with the configured model', async () => {
    server.enqueue(reply.noIncident());
    const analyser = await analyserFactoriesFromEnv({ OPENAI_BASE_URL: server.baseURL, OPENAI_VISION_MODEL: 'qwen2.5vl:7b', DATABASE_URL: 'not even a url' }).cloud!();
    const jpeg = new Uint8Array(readFileSync(`${sharedDataDir()}/images/photos/pillow_hopper.jpg`));
    const out = await analyser.analyse({ jpeg, width: null, height: null, language: 'en' });
    expect(out).toMatchObject({ analyser: 'openai', model: 'qwen2.5vl:7b', verdict: { incident_detected: false } });
    expect(server.requests.at(-1)?.model).toBe('qwen2.5vl:7b');
  });

  it('refuses the cloud analyser without a key or a base URL, naming the variable', async () => {
    await expect(Promise.resolve().then(() => analyserFactoriesFromEnv({}).cloud!())).rejects.toThrow(/OPENAI_API_KEY: is required/);
    await expect(Promise.resolve().then(() => analyserFactoriesFromEnv({ OPENAI_TIMEOUT_MS: 'soon', OPENAI_API_KEY: 'k' }).cloud!())).rejects.toThrow(/OPENAI_TIMEOUT_MS/);
  });

  it('defaults to cloud when a model is configured, offline otherwise', () => {
    expect(defaultAnalyserName({})).toBe('offline');
    expect(defaultAnalyserName({ OPENAI_API_KEY: 'sk' })).toBe('cloud');
    expect(defaultAnalyserName({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toBe('cloud');
  });
});
