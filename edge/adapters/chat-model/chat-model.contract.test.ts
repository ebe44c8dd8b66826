/**
 * The ChatModel contract (ports/chat-model.ts), run against every adapter: the OpenAI adapter talking to the loopback
 * OpenAI-compatible server, streamed as the assistant asks. Text arrives in order through onText, tool calls are
 * assembled from their deltas, usage and cost are reported, and every failure is a ChatModelError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../../e2e/support/openai-compatible-server.ts';
import { ChatModelError, type ChatModel } from '../../ports/chat-model.ts';
import { createOpenAiChatModel } from './openai-chat-model.ts';

let server: OpenAiCompatibleServer;
beforeAll(async () => (server = await startOpenAiCompatibleServer()));
afterAll(() => server?.close());

const adapters: Array<{ name: string; create: (timeoutMs?: number) => ChatModel }> = [
  { name: 'openai', create: (timeoutMs = 5_000) => createOpenAiChatModel({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs }) },
];
const TOOLS = [{ name: 'incidents', description: 'Counts incidents', parameters: { type: 'object', properties: { period: { type: 'string' } }, additionalProperties: false } }];

describe.each(adapters)('ChatModel contract: $name', ({ create }) => {
  it('streams text in order and reports usage and cost', async () => {
    server.enqueue(reply.text('Ayer hubo 7 incidentes.', { prompt_tokens: 1000, completion_tokens: 100 }));
    const pieces: string[] = [];
    const turn = await create().complete({ messages: [{ role: 'system', content: 'rules' }, { role: 'user', content: '¿Cuántos incidentes hubo ayer?' }], tools: TOOLS }, { onText: (t) => pieces.push(t) });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('Ayer hubo 7 incidentes.');
    expect(turn).toMatchObject({ text: 'Ayer hubo 7 incidentes.', toolCalls: [], model: 'gpt-4o-mini', usage: { inputTokens: 1000, outputTokens: 100 } });
    expect(turn.usage!.costUsd).toBeCloseTo(0.00021, 10);
    const sent = server.requests.at(-1)!;
    expect(sent).toMatchObject({ stream: true, toolNames: ['incidents'], systemPrompt: 'rules' });
    expect(sent.body.stream_options).toEqual({ include_usage: true });
  });

  it('assembles tool calls from their deltas and passes tool results back', async () => {
    server.enqueue(reply.toolCalls([{ name: 'incidents', arguments: { period: 'yesterday' } }, { name: 'incidents', arguments: '{"period":"today"}' }]));
    const turn = await create().complete({ messages: [{ role: 'user', content: 'hoy y ayer' }], tools: TOOLS });
    expect(turn.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['incidents', { period: 'yesterday' }],
      ['incidents', { period: 'today' }],
    ]);
    expect(turn.toolCalls.every((c) => c.id.length > 0)).toBe(true);
    server.enqueue(reply.text('Hoy 3, ayer 7.'));
    await create().complete({
      messages: [
        { role: 'user', content: 'hoy y ayer' },
        { role: 'assistant', content: '', toolCalls: turn.toolCalls },
        { role: 'tool', toolCallId: turn.toolCalls[0].id, content: '{"data":{"count":7}}' },
        { role: 'tool', toolCallId: turn.toolCalls[1].id, content: '{"data":{"count":3}}' },
      ],
      tools: TOOLS,
    });
    const sent = server.requests.at(-1)!;
    expect(sent.toolMessages).toEqual(['{"data":{"count":7}}', '{"data":{"count":3}}']);
    expect(sent.body.messages[1].tool_calls[0].function).toEqual({ name: 'incidents', arguments: '{"period":"yesterday"}' });
  });

  it('reports a model without a known price at zero cost, and no usage when the server gives none', async () => {
    server.enqueue(reply.text('ok', null));
    expect((await create().complete({ messages: [{ role: 'user', content: 'x' }], tools: [] })).usage).toBeNull();
    server.enqueue(reply.text('ok', { prompt_tokens: 500, completion_tokens: 50 }));
    const local = createOpenAiChatModel({ baseURL: server.baseURL, model: 'llama3.1:8b', timeoutMs: 5_000 });
    expect((await local.complete({ messages: [{ role: 'user', content: 'x' }], tools: [] })).usage).toEqual({ inputTokens: 500, outputTokens: 50, costUsd: 0 });
  });

  it('turns HTTP errors, broken streams, empty answers and timeouts into ChatModelError', async () => {
    const attempt = () => create(300).complete({ messages: [{ role: 'user', content: 'x' }], tools: TOOLS });
    server.enqueue(reply.status(500));
    await expect(attempt()).rejects.toThrow(ChatModelError);
    server.enqueue(reply.status(429, { retryAfter: '1' }));
    await expect(attempt()).rejects.toThrow(/HTTP 429/);
    server.enqueue(reply.brokenStream('Partial answer that never ends'));
    await expect(attempt()).rejects.toThrow(ChatModelError);
    server.enqueue(reply.text(''));
    await expect(attempt()).rejects.toThrow(/neither text nor tool calls/);
    server.enqueue(reply.delay(2_000, reply.text('too late')));
    await expect(attempt()).rejects.toThrow(/no answer within 300 ms/);
  });
});
