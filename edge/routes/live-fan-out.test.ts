/** The SSE fan-out helpers: one serialisation per event, one chunk per client per tick, bounded backlog. */
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../ports/bus.ts';
import { openSseChannel, serializeEvent } from './live-fan-out.ts';

const event = (id: string, data: unknown = { vehicle_id: 'v1', speed: 3 }): LiveEvent => ({ id, type: 'location_update', fleetId: 'f1', data, at: '2026-06-01T08:00:00.000Z' });

async function readAll(body: ReadableStream<Uint8Array>) {
  const chunks: string[] = [];
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return chunks;
    chunks.push(new TextDecoder().decode(value));
  }
}

describe('serializeEvent', () => {
  it('builds the SSE text once per event object', () => {
    const e = event('5-1');
    const a = serializeEvent(e);
    expect(serializeEvent(e)).toBe(a);
    expect(new TextDecoder().decode(a.bytes)).toBe(
      'id: 5-1\nevent: location_update\ndata: {"vehicle_id":"v1","speed":3,"fleet_id":"f1","at":"2026-06-01T08:00:00.000Z"}\n\n',
    );
    expect([a.ms, a.seq, a.vehicleId]).toEqual([5, 1, 'v1']);
  });

  it('keeps the payload on one data line and strips line breaks from id and type', () => {
    const s = serializeEvent({ ...event('7-0', { note: 'a\nb', vehicle_id: 3 }), type: 'x\ny' });
    const text = new TextDecoder().decode(s.bytes);
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    expect(text).toContain('event: xy\n');
    expect(s.vehicleId).toBeNull();
  });
});

describe('openSseChannel', () => {
  it('coalesces what is pushed in one task into one chunk, and keeps order', async () => {
    const channel = openSseChannel();
    const all = readAll(channel.body);
    const enc = new TextEncoder();
    channel.push(enc.encode('a'));
    channel.push(enc.encode('b'));
    await new Promise((r) => setTimeout(r, 0));
    channel.push(enc.encode('c'));
    await new Promise((r) => setTimeout(r, 0));
    channel.push(enc.encode('d'));
    channel.close();
    channel.push(enc.encode('ignored'));
    expect(await all).toEqual(['ab', 'c', 'd']);
    await channel.done;
  });

  it('shares a single chunk between clients without copying', async () => {
    const bytes = serializeEvent(event('9-0')).bytes;
    const channels = [openSseChannel(), openSseChannel()];
    const readers = channels.map((c) => c.body.getReader());
    for (const c of channels) c.push(bytes);
    const got = await Promise.all(readers.map(async (r) => (await r.read()).value));
    expect(got[0]).toBe(bytes);
    expect(got[1]).toBe(bytes);
  });

  it('flushes a large fan-out in slices, letting other tasks run in between, and keeps each client in order', async () => {
    const clients = Array.from({ length: 1200 }, () => {
      const written: string[] = [];
      const channel = openSseChannel();
      // A slow socket (0.1 ms a write): 1,200 of them take longer than one slice of the flush.
      const write = (bytes: Uint8Array) => {
        const until = performance.now() + 0.1;
        while (performance.now() < until);
        written.push(new TextDecoder().decode(bytes));
        return true;
      };
      channel.attach({ write, bufferedBytes: () => 0, end() {}, onClose() {} });
      return { channel, written };
    });
    await new Promise((r) => setTimeout(r, 0)); // the hand-over to the sinks
    const enc = new TextEncoder();
    const first = enc.encode('1');
    const second = enc.encode('2');
    for (const c of clients) c.channel.push(first);
    await Promise.resolve(); // the microtask after the pushing task: a first slice, not all 1,200 writes
    const early = clients.filter((c) => c.written.length > 0).length;
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(clients.length);
    // The next event arrives while the first is still being written: every client still gets 1 before 2.
    for (const c of clients) c.channel.push(second);
    await expect.poll(() => clients.every((c) => c.written.length > 0 && c.written.join('').length === 2), { timeout: 5000 }).toBe(true);
    for (const c of clients) expect(c.written.join('')).toBe('12');
    for (const c of clients) c.channel.close();
  });

  it('resolves done when the client cancels, and drops a client whose backlog overflows', async () => {
    const cancelled = openSseChannel();
    await cancelled.body.cancel();
    await cancelled.done;

    // A client that never reads: kept while its backlog fits, dropped (its stream ended) the tick it overflows,
    // with what was queued until then still readable and nothing pushed afterwards; a reading client stays.
    const slow = openSseChannel({ maxBufferedBytes: 1000 });
    const fast = openSseChannel({ maxBufferedBytes: 1000 });
    const fastReader = fast.body.getReader();
    let fastBytes = 0;
    let slowDropped = false;
    void slow.done.then(() => (slowDropped = true));
    const tick = () => new Promise((r) => setTimeout(r, 0));
    const chunk = (n: number) => new Uint8Array(400).fill(n);
    for (let i = 1; i <= 5; i++) {
      slow.push(chunk(i));
      fast.push(chunk(i));
      await tick();
      fastBytes += (await fastReader.read()).value!.byteLength;
      // 400 and 800 bytes fit in 1000; the third push makes 1200.
      expect(slowDropped, `after push ${i}`).toBe(i >= 3);
    }
    expect(fastBytes).toBe(2000);
    let fastDropped = false;
    void fast.done.then(() => (fastDropped = true));
    await tick();
    expect(fastDropped).toBe(false);

    const slowReader = slow.body.getReader();
    const received: number[] = [];
    for (let r = await slowReader.read(); !r.done; r = await slowReader.read()) received.push(...r.value);
    expect(received).toHaveLength(1200);
    expect([received[0], received[400], received[800], received[1199]]).toEqual([1, 2, 3, 3]);

    // Behind a runtime's socket (a sink), the same: ended once its unsent bytes pass the limit, written no more.
    const writes: number[] = [];
    let ended = false;
    let unsent = 0;
    const socket = openSseChannel({ maxBufferedBytes: 1000 });
    socket.attach({
      // Like a socket: false once anything waits unsent.
      write: (bytes) => (writes.push(bytes.byteLength), (unsent += bytes.byteLength), false),
      bufferedBytes: () => unsent,
      end: () => (ended = true),
      onClose: () => {},
    });
    for (let i = 1; i <= 4; i++) {
      socket.push(chunk(i));
      await tick();
      expect(ended, `socket after push ${i}`).toBe(i >= 3);
    }
    await socket.done;
    expect(writes.reduce((a, b) => a + b, 0)).toBe(1200);
  });
});
