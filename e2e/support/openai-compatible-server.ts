/**
 * Test server: a loopback OpenAI-compatible chat-completions endpoint, scriptable per test, for the vision analyser
 * and the jobs that use it. It speaks `POST /v1/chat/completions` as OpenAI does (a JSON body whose
 * `choices[0].message.content` holds the model's JSON string, a `usage` block) and records every request.
 *
 * ```ts
 * const openai = await startOpenAiCompatibleServer();
 * openai.enqueue(reply.status(429, { retryAfter: '2' }), reply.verdict({ incident_detected: true, type: 'PHONE_USAGE', … }));
 * const analyser = createOpenAiAnalyser({ apiKey: 'test', baseURL: openai.baseURL, … });
 * …
 * expect(openai.requests[0].imageDetail).toBe('low');
 * await openai.close();
 * ```
 *
 * Replies are taken from the queue in order; when it is empty, `respond(request)` decides (default: a "no incident"
 * verdict), so a test can also script by request content (e.g. per image in the evaluation harness).
 *
 * The assistant's model engine asks with `tools` and `stream: true`: `reply.toolCalls([...])` answers with function
 * calls and `reply.text('…')` with prose; a streamed request gets them as `chat.completion.chunk` events (text in
 * word-sized pieces, each call's arguments split in two, a usage chunk when `stream_options.include_usage`), then
 * `data: [DONE]`. The tool results a request carries are recorded (`toolMessages`), so a scripted model can answer
 * from what the tools returned.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type ScriptedReply =
  /** A completion whose content is `JSON.stringify(json)` (a verdict, or anything else for a schema violation). */
  | { kind: 'json'; json: unknown; usage?: ScriptedUsage | null; model?: string }
  /** A completion with this exact content string (e.g. prose instead of JSON). */
  | { kind: 'content'; content: string; usage?: ScriptedUsage | null }
  /** The model declines: `message.refusal` set, `content` null. */
  | { kind: 'refusal'; refusal: string; usage?: ScriptedUsage | null }
  /** An HTTP error in OpenAI's error shape, with optional Retry-After. */
  | { kind: 'status'; status: number; message?: string; retryAfter?: string; retryAfterMs?: number }
  /** Waits `ms` before sending `then` (longer than the client's timeout to simulate one); the wait ends early if the client goes away. */
  | { kind: 'delay'; ms: number; then: ScriptedReply }
  /** Closes the socket without answering (a connection error). */
  | { kind: 'drop' }
  /** The model calls tools (arguments as an object, serialised, or as the exact string to send), optionally with some text. */
  | { kind: 'tool_calls'; calls: Array<{ name: string; arguments: unknown; id?: string }>; content?: string; usage?: ScriptedUsage | null }
  /** A streamed reply that breaks off after its first chunk (the socket closes mid-stream). */
  | { kind: 'broken_stream'; content: string };

const DEFAULT_USAGE: ScriptedUsage = { prompt_tokens: 120, completion_tokens: 40 };

/** Builders for the common replies. */
export const reply = {
  /** `usage: null` leaves the usage block out, as some local servers do. */
  verdict: (verdict: Record<string, unknown>, options: { signals?: Record<string, unknown> | null; usage?: ScriptedUsage | null; model?: string } = {}): ScriptedReply => ({
    kind: 'json',
    json: { signals: options.signals ?? null, ...verdict },
    usage: options.usage,
    model: options.model,
  }),
  noIncident: (description = 'Driver attentive, eyes on the road.'): ScriptedReply =>
    reply.verdict({ incident_detected: false, type: null, severity: null, confidence: 0.9, description }),
  /** Valid JSON that does not match the verdict schema (confidence out of range, severity unknown). */
  schemaViolation: (): ScriptedReply => ({ kind: 'json', json: { incident_detected: 'yes', type: 'PHONE', severity: 'EXTREME', confidence: 7 } }),
  refusal: (text = "I'm sorry, I can't help with that."): ScriptedReply => ({ kind: 'refusal', refusal: text }),
  status: (status: number, options: { message?: string; retryAfter?: string; retryAfterMs?: number } = {}): ScriptedReply => ({ kind: 'status', status, ...options }),
  delay: (ms: number, then: ScriptedReply = reply.noIncident()): ScriptedReply => ({ kind: 'delay', ms, then }),
  drop: (): ScriptedReply => ({ kind: 'drop' }),
  /** Prose, streamed when the request asks for a stream. */
  text: (content: string, usage?: ScriptedUsage | null): ScriptedReply => ({ kind: 'content', content, usage }),
  toolCalls: (calls: Array<{ name: string; arguments: unknown; id?: string }>, options: { content?: string; usage?: ScriptedUsage | null } = {}): ScriptedReply => ({ kind: 'tool_calls', calls, ...options }),
  brokenStream: (content = 'Partial'): ScriptedReply => ({ kind: 'broken_stream', content }),
};

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body as sent by the client. */
  body: any;
  model: string | undefined;
  /** Text of the system message(s), joined. */
  systemPrompt: string;
  /** Text parts of the user message(s), joined. */
  userText: string;
  /** The first image part's URL (a `data:image/jpeg;base64,…` URL for the analyser) and its `detail`. */
  imageUrl: string | undefined;
  imageDetail: string | undefined;
  /** `response_format` as sent (`{ type: 'json_schema', json_schema: { name, strict, schema } }`). */
  responseFormat: any;
  /** Whether the client asked for a stream. */
  stream: boolean;
  /** Names of the tools offered. */
  toolNames: string[];
  /** Contents of the `tool` messages (tool results), in order. */
  toolMessages: string[];
}

export interface OpenAiCompatibleServer {
  /** `http://127.0.0.1:<port>/v1`: pass as the client's `baseURL`. */
  baseURL: string;
  /** Every request received, in arrival order (including those answered with an error). */
  requests: RecordedRequest[];
  /** Adds replies to the end of the queue. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Replaces the fallback used when the queue is empty. */
  respondWith(respond: (request: RecordedRequest) => ScriptedReply): void;
  /** Replies still queued (a test can assert all were used). */
  pending(): number;
  close(): Promise<void>;
}

export interface OpenAiCompatibleServerOptions {
  respond?: (request: RecordedRequest) => ScriptedReply;
  /** The model name reported in completions when a reply does not set one (default: the request's model). */
  model?: string;
}

function record(path: string, headers: IncomingMessage['headers'], body: any): RecordedRequest {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const texts = (role: string) =>
    messages
      .filter((m) => m?.role === role)
      .flatMap((m) => (typeof m.content === 'string' ? [m.content] : Array.isArray(m.content) ? m.content.filter((p: any) => p?.type === 'text').map((p: any) => p.text) : []))
      .join('\n');
  const image = messages
    .flatMap((m) => (Array.isArray(m?.content) ? m.content : []))
    .find((p: any) => p?.type === 'image_url');
  return {
    path,
    headers,
    body,
    model: body?.model,
    systemPrompt: texts('system'),
    userText: texts('user'),
    imageUrl: image?.image_url?.url,
    imageDetail: image?.image_url?.detail,
    responseFormat: body?.response_format,
    stream: body?.stream === true,
    toolNames: Array.isArray(body?.tools) ? body.tools.map((t: any) => t?.function?.name) : [],
    toolMessages: messages.filter((m) => m?.role === 'tool').map((m) => String(m.content)),
  };
}

function completion(request: RecordedRequest, message: Record<string, unknown>, usage: ScriptedUsage | null | undefined, model: string | undefined) {
  const u = usage === undefined ? DEFAULT_USAGE : usage;
  return {
    id: `chatcmpl-${crypto.randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: model ?? request.model ?? 'unknown',
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, finish_reason: 'stop', logprobs: null }],
    ...(u ? { usage: { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.prompt_tokens + u.completion_tokens } } : {}),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const argumentsText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A reply as `chat.completion.chunk` server-sent events, ending with `[DONE]`. */
function sendStream(res: ServerResponse, request: RecordedRequest, message: { content?: string; tool_calls?: Array<{ id: string; name: string; arguments: string }> }, usage: ScriptedUsage | null | undefined, model: string | undefined, breakAfterFirst = false) {
  const u = usage === undefined ? DEFAULT_USAGE : usage;
  const id = `chatcmpl-${crypto.randomUUID()}`;
  const base = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: model ?? request.model ?? 'unknown' };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const write = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  const delta = (d: Record<string, unknown>, finish: string | null = null) => write({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish, logprobs: null }] });
  delta({ role: 'assistant', content: '' });
  for (const piece of (message.content ?? '').match(/\S+\s*|\s+/g) ?? []) {
    delta({ content: piece });
    if (breakAfterFirst) return void res.destroy();
  }
  (message.tool_calls ?? []).forEach((call, index) => {
    const half = Math.ceil(call.arguments.length / 2);
    delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments.slice(0, half) } }] });
    delta({ tool_calls: [{ index, function: { arguments: call.arguments.slice(half) } }] });
  });
  delta({}, message.tool_calls?.length ? 'tool_calls' : 'stop');
  if (u && request.body?.stream_options?.include_usage) write({ ...base, choices: [], usage: { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.prompt_tokens + u.completion_tokens } });
  res.end('data: [DONE]\n\n');
}

async function send(req: IncomingMessage, res: ServerResponse, request: RecordedRequest, scripted: ScriptedReply, defaultModel: string | undefined): Promise<void> {
  if (request.stream && (scripted.kind === 'content' || scripted.kind === 'json')) {
    return sendStream(res, request, { content: scripted.kind === 'json' ? JSON.stringify(scripted.json) : scripted.content }, scripted.usage, scripted.kind === 'json' ? (scripted.model ?? defaultModel) : defaultModel);
  }
  switch (scripted.kind) {
    case 'tool_calls': {
      const calls = scripted.calls.map((c, i) => ({ id: c.id ?? `call_${i}_${crypto.randomUUID().slice(0, 8)}`, name: c.name, arguments: argumentsText(c.arguments) }));
      if (request.stream) return sendStream(res, request, { content: scripted.content, tool_calls: calls }, scripted.usage, defaultModel);
      const message = { content: scripted.content ?? null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) };
      return sendJson(res, 200, completion(request, message, scripted.usage, defaultModel));
    }
    case 'broken_stream':
      return sendStream(res, request, { content: scripted.content }, null, defaultModel, true);
    case 'json':
      return sendJson(res, 200, completion(request, { content: JSON.stringify(scripted.json) }, scripted.usage, scripted.model ?? defaultModel));
    case 'content':
      return sendJson(res, 200, completion(request, { content: scripted.content }, scripted.usage, defaultModel));
    case 'refusal':
      return sendJson(res, 200, completion(request, { refusal: scripted.refusal }, scripted.usage, defaultModel));
    case 'status': {
      const headers: Record<string, string> = {};
      if (scripted.retryAfter !== undefined) headers['retry-after'] = scripted.retryAfter;
      if (scripted.retryAfterMs !== undefined) headers['retry-after-ms'] = String(scripted.retryAfterMs);
      const type = scripted.status === 429 ? 'rate_limit_exceeded' : scripted.status >= 500 ? 'server_error' : 'invalid_request_error';
      return sendJson(res, scripted.status, { error: { message: scripted.message ?? `scripted ${scripted.status}`, type, code: null, param: null } }, headers);
    }
    case 'delay': {
      const gone = new Promise<void>((resolve) => res.once('close', resolve));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, scripted.ms))), gone]);
      clearTimeout(timer);
      if (res.destroyed || res.writableEnded) return;
      return send(req, res, request, scripted.then, defaultModel);
    }
    case 'drop':
      req.socket.destroy();
      return;
  }
}

export async function startOpenAiCompatibleServer(options: OpenAiCompatibleServerOptions = {}): Promise<OpenAiCompatibleServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  let respond = options.respond ?? (() => reply.noIncident());

  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
      }
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      }
      const request = record(path, req.headers, body);
      requests.push(request);
      await send(req, res, request, queue.shift() ?? respond(request), options.model);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error' } });
      else res.destroy();
    }
  });
  // Node's 5 s default closes an idle kept-alive socket just as a client may reuse it (ECONNRESET); real APIs keep
  // sockets far longer than a client's own idle timeout, so this one does too.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    respondWith: (fn) => void (respond = fn),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
