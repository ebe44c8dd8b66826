/**
 * SSE fan-out for the live feed, built for thousands of viewers per process:
 * - each bus event is serialised once (`id/event/data` text, UTF-8 encoded) and the bytes are shared by every
 *   client of that stream — the bus hands the same event object to all of a stream's listeners;
 * - each client gets at most one write per tick: whatever was queued for it during the current task (replayed
 *   events, live events, comments) is flushed as one chunk in a single microtask shared by all clients.
 * Web APIs only (ReadableStream, TextEncoder, queueMicrotask): runs on Node, Deno and workerd.
 */
import { concatBytes } from '../domain/bytes.ts';
import type { LiveEvent } from '../ports/bus.ts';

export interface SerializedEvent {
  id: string;
  type: string;
  /** `data.vehicle_id` when the event names a vehicle: what the `vehicle_id` filter matches. */
  vehicleId: string | null;
  /** The id as numbers, for cheap ordering ([-1, -1] for a malformed id, like compareEventIds). */
  ms: number;
  seq: number;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();
const serialized = new WeakMap<LiveEvent, SerializedEvent>();
const LINE_BREAK = /[\r\n]/g;

/** The SSE text of an event, built once per event object and shared by every client that receives it. */
export function serializeEvent(event: LiveEvent): SerializedEvent {
  let entry = serialized.get(event);
  if (entry) return entry;
  const data = event.data && typeof event.data === 'object' ? (event.data as Record<string, unknown>) : {};
  // JSON.stringify escapes line breaks inside strings, so the payload is one `data:` line.
  const json = JSON.stringify({ ...data, fleet_id: event.fleetId, at: event.at });
  const id = event.id.replace(LINE_BREAK, '');
  const type = event.type.replace(LINE_BREAK, '');
  const [ms, seq] = parseId(id);
  entry = { id, type, vehicleId: typeof data.vehicle_id === 'string' ? data.vehicle_id : null, ms, seq, bytes: encoder.encode(`id: ${id}\nevent: ${type}\ndata: ${json}\n\n`) };
  serialized.set(event, entry);
  return entry;
}

export function parseId(id: string): [number, number] {
  const match = /^(\d{1,16})-(\d{1,16})$/.exec(id);
  return match ? [Number(match[1]), Number(match[2])] : [-1, -1];
}

export const comment = (text: string) => encoder.encode(`: ${text}\n\n`);

/** One client's response body: chunks queued during a tick leave as one write. */
export interface SseChannel {
  readonly body: ReadableStream<Uint8Array>;
  /** Queues bytes for the next flush; ignored once the channel is closed. */
  push(bytes: Uint8Array): void;
  /** Flushes what is queued and ends the response. */
  close(): void;
  /** Resolves when the client goes away (the body is cancelled), the channel is closed, or it overflows. */
  readonly done: Promise<void>;
}

// One microtask flushes every channel that received something during the current task.
const dirty = new Set<ChannelState>();
let flushScheduled = false;

function flushAll() {
  flushScheduled = false;
  const channels = [...dirty];
  dirty.clear();
  for (const channel of channels) channel.flush();
}

const HIGH_WATER_MARK = 64 * 1024;

interface ChannelState {
  flush(): void;
}

export function openSseChannel(options: { maxBufferedBytes?: number } = {}): SseChannel {
  // A client that reads slower than events arrive is dropped (it reconnects with Last-Event-ID) rather than
  // letting its backlog grow without bound.
  const maxBuffered = options.maxBufferedBytes ?? 1 << 20;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let chunks: Uint8Array[] = [];
  let closed = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const state: ChannelState = {
    flush() {
      if (closed || chunks.length === 0) return;
      const out = concatBytes(chunks);
      chunks = [];
      try {
        controller.enqueue(out);
      } catch {
        finish();
        return;
      }
      // Bytes enqueued but not yet taken by the server's writer (it stops reading while the socket is full).
      if (HIGH_WATER_MARK - (controller.desiredSize ?? 0) > maxBuffered) finish();
    },
  };

  const finish = () => {
    if (closed) return;
    state.flush();
    closed = true;
    dirty.delete(state);
    try {
      controller.close();
    } catch {
      // already closed or cancelled
    }
    resolveDone();
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      cancel() {
        closed = true;
        chunks = [];
        dirty.delete(state);
        resolveDone();
      },
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );

  return {
    body,
    done,
    push(bytes) {
      if (closed) return;
      chunks.push(bytes);
      dirty.add(state);
      if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flushAll);
      }
    },
    close: finish,
  };
}
