/**
 * Analyser adapter for OpenAI and any OpenAI-compatible server (Ollama, vLLM through `baseURL`): one chat completion
 * per frame, the image as a low-detail data URL, the answer forced into the verdict schema by structured outputs and
 * validated again here. Web APIs only, so it runs on Node, Deno and workerd.
 *
 * Retries are ours, not the SDK's (its `maxRetries` is 0): each attempt has its own timeout, and a schema mismatch or
 * a refusal — which the SDK would not retry — counts as a failed attempt like a 429 or a 5xx.
 */
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { AnalyserInputError, AnalyserRefusedError, type Analyser, type AnalyserOutput, type FrameToAnalyse } from '../../ports/analyser.ts';
import { readJpegInfo } from '../../domain/frames/jpeg-info.ts';
import { costUsd } from './model-prices.ts';
import { backoffMs, isRetryableStatus, MAX_RETRY_AFTER_MS, retryAfterMs } from './retry-policy.ts';
import { policyVerdict } from '../../domain/vision/policy-verdict.ts';
import { cloudAnswerSchema, cloudAnswerWireSchema, detailFromObservations, fitDescription, systemPrompt, toFrameSignals, userText, type CloudAnswer } from './vision-prompt.ts';

export interface OpenAiAnalyserConfig {
  /** Optional for local servers that do not check it (Ollama, vLLM); required for api.openai.com. */
  apiKey?: string;
  /** Any OpenAI-compatible endpoint, e.g. `http://127.0.0.1:11434/v1`; default OpenAI's. */
  baseURL?: string;
  model: string;
  /** Per attempt, not per call. */
  timeoutMs: number;
  /** Attempts after the first; 0 = try once. */
  maxRetries: number;
  /** Injected in tests so backoff waits are asserted, not spent. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** The model gave no usable answer after every attempt (or the request was refused as invalid); `cause` says why. */
export class OpenAiAnalyserError extends Error {
  override name = 'OpenAiAnalyserError';
  constructor(
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Attempt =
  | { ok: true; answer: CloudAnswer; model: string }
  | { ok: false; retryable: boolean; reason: string; error?: unknown; waitAtLeastMs?: number | null };

const RESPONSE_FORMAT = zodResponseFormat(cloudAnswerWireSchema, 'taxi_frame_verdict');

export function createOpenAiAnalyser(config: OpenAiAnalyserConfig): Analyser {
  if (!config.apiKey && !config.baseURL) throw new Error('openai analyser: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server');
  const client = new OpenAI({ apiKey: config.apiKey || 'unused-by-local-server', baseURL: config.baseURL, maxRetries: 0, timeout: config.timeoutMs });
  const sleep = config.sleep ?? abortableSleep;
  const random = config.random ?? Math.random;

  async function attempt(frame: FrameToAnalyse, dataUrl: string, callerSignal: AbortSignal | undefined, usage: { input: number; output: number; reported: boolean }): Promise<Attempt> {
    const timeout = AbortSignal.timeout(config.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let completion: ChatCompletion;
    try {
      completion = await client.chat.completions.create(
        {
          model: config.model,
          ...samplingFor(config.model),
          response_format: RESPONSE_FORMAT,
          messages: [
            { role: 'system', content: systemPrompt(frame.language) },
            {
              role: 'user',
              content: [
                { type: 'text', text: userText(frame) },
                { type: 'image_url', image_url: { url: dataUrl, detail: 'low' } },
              ],
            },
          ],
        },
        { signal, maxRetries: 0 },
      );
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason ?? error;
      if (timeout.aborted) return { ok: false, retryable: true, reason: `timed out after ${config.timeoutMs} ms`, error };
      if (error instanceof APIUserAbortError) throw error;
      if (error instanceof APIConnectionError) return { ok: false, retryable: true, reason: `connection error: ${error.message}`, error };
      if (error instanceof APIError && typeof error.status === 'number') {
        return {
          ok: false,
          retryable: isRetryableStatus(error.status),
          reason: `HTTP ${error.status}: ${error.message}`,
          error,
          waitAtLeastMs: retryAfterMs(error.headers),
        };
      }
      throw error;
    }

    // Billed even when the answer is unusable, so counted before it is judged.
    if (completion.usage) {
      usage.input += completion.usage.prompt_tokens;
      usage.output += completion.usage.completion_tokens;
      usage.reported = true;
    }
    const choice = completion.choices?.[0];
    if (!choice) return { ok: false, retryable: true, reason: 'the response has no choices' };
    if (choice.message.refusal) return { ok: false, retryable: true, reason: `the model refused: ${choice.message.refusal}` };
    if (choice.finish_reason === 'length') return { ok: false, retryable: true, reason: 'the answer was cut off (finish_reason length)' };
    const content = choice.message.content;
    if (!content) return { ok: false, retryable: true, reason: 'the answer is empty' };
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      return { ok: false, retryable: true, reason: `the answer is not JSON: ${content.slice(0, 80)}`, error };
    }
    const parsed = cloudAnswerSchema.safeParse(fitDescription(json));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      return { ok: false, retryable: true, reason: `the answer does not match the verdict schema (${issues})`, error: parsed.error };
    }
    return { ok: true, answer: parsed.data, model: completion.model || config.model };
  }

  return {
    name: 'openai',
    verdicts: true,
    async analyse(frame, options = {}): Promise<AnalyserOutput> {
      const info = readJpegInfo(frame.jpeg);
      if (!info.ok) throw new AnalyserInputError(info.message);
      const started = performance.now();
      const dataUrl = `data:image/jpeg;base64,${toBase64(frame.jpeg)}`;
      const usage = { input: 0, output: 0, reported: false };
      const attempts = config.maxRetries + 1;

      for (let n = 1; ; n++) {
        const result = await attempt(frame, dataUrl, options.signal, usage);
        if (result.ok) {
          const { signals, ...answer } = result.answer;
          const detail = detailFromObservations(answer.type, signals);
          return {
            analyser: 'openai',
            model: result.model,
            verdict: policyVerdict(answer, detail, { speedKmh: frame.camera?.speedKmh ?? null }),
            detail,
            signals: toFrameSignals(signals),
            usage: usage.reported ? { inputTokens: usage.input, outputTokens: usage.output, costUsd: costUsd(result.model, usage.input, usage.output) } : null,
            latencyMs: Math.max(0, performance.now() - started),
          };
        }
        if (!result.retryable) throw new AnalyserRefusedError(`openai analyser: ${result.reason} (final, not retried)`, { cause: result.error });
        if (n >= attempts) throw new OpenAiAnalyserError(`openai analyser: no usable answer after ${n} attempt${n === 1 ? '' : 's'}; last: ${result.reason}`, n, { cause: result.error });
        const asked = result.waitAtLeastMs ?? 0;
        if (asked > MAX_RETRY_AFTER_MS) {
          throw new OpenAiAnalyserError(`openai analyser: ${result.reason}; the server asks to wait ${Math.round(asked / 1000)} s, longer than this call waits`, n, { cause: result.error });
        }
        await sleep(Math.max(asked, backoffMs(n, random)), options.signal);
      }
    },
  };
}

/**
 * Reasoning models (o-series, gpt-5) refuse `max_tokens` and any temperature but the default, and spend hidden
 * reasoning tokens inside their budget; every other model (and local servers, which may not know
 * `max_completion_tokens`) gets the classic parameters: deterministic, and a short answer.
 */
export function samplingFor(model: string): { temperature?: number; max_tokens?: number; max_completion_tokens?: number } {
  return /^(o\d|gpt-5)/i.test(model) ? { max_completion_tokens: 4_000 } : { temperature: 0, max_tokens: 400 };
}

function toBase64(bytes: Uint8Array): string {
  // Chunked: String.fromCharCode(...bytes) overflows the argument limit on a full-size frame.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
