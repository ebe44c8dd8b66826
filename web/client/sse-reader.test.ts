/** Server-sent events read from a fetch body, however the bytes are split. */
import { describe, expect, it } from 'vitest';
import { readSse } from './sse-reader.ts';

function body(chunks: string[]): ReadableStream<Uint8Array> {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  return new ReadableStream({ pull: (controller) => (bytes.length ? controller.enqueue(bytes.shift()!) : controller.close()) });
}

describe('readSse', () => {
  it('yields events with their names and data, across chunk boundaries and line endings', async () => {
    const text = 'event: tool\ndata: {"tool":"trips"}\n\n: comment\n\nevent: token\r\ndata: {"text":"Hola ñ"}\r\n\r\ndata: a\ndata: b\n\nevent: done\ndata: {}\n\n';
    const split: string[] = [];
    for (let i = 0; i < text.length; i += 7) split.push(text.slice(i, i + 7));
    const events = [];
    for await (const e of readSse(body(split))) events.push(e);
    expect(events).toEqual([
      { event: 'tool', data: '{"tool":"trips"}' },
      { event: 'token', data: '{"text":"Hola ñ"}' },
      { event: 'message', data: 'a\nb' },
      { event: 'done', data: '{}' },
    ]);
  });

  it('keeps a multi-byte character split between two chunks', async () => {
    const bytes = new TextEncoder().encode('data: ñandú\n\n');
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes.slice(0, 7)), c.enqueue(bytes.slice(7)), c.close()) });
    const events = [];
    for await (const e of readSse(stream)) events.push(e.data);
    expect(events).toEqual(['ñandú']);
  });
});
