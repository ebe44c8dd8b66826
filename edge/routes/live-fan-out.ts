/**
 * SSE fan-out for the live feed, built for thousands of viewers per process:
 * - each bus event is serialised once (`id/event/data` text, UTF-8 encoded) and the bytes are shared by every
 *   client of that stream (live-hub.ts hands one serialised event to all of a stream's viewers);
 * - each client gets at most one write per flush: whatever was queued for it during the current task (replayed
 *   events, live events, comments) leaves as one chunk, flushed right after that task, in slices of clients so a
 *   large fan-out does not hold up other I/O.
 * Web APIs only (ReadableStream, TextEncoder, queueMicrotask, setTimeout, performance.now): runs on Node, Deno and workerd.
 * A runtime that can write to its socket directly (the Node entry, edge/runtime/node-sse.ts) may `attach` a sink
 * to the channel behind a response body: bytes then skip the Web stream and its per-chunk promise round trip.
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

/** A socket written directly, bypassing the response body stream (see `attach`): one write per client per tick. */
export interface SseSink {
  /** false when the bytes wait in a buffer (the network takes less than is written); only then is its size checked. */
  write(bytes: Uint8Array): boolean;
  /** Bytes written but not yet taken by the network. */
  bufferedBytes(): number;
  end(): void;
  /** Called once when the client goes away. */
  onClose(listener: () => void): void;
}

/** One client's response body: chunks queued during a tick leave as one write. */
export interface SseChannel {
  readonly body: ReadableStream<Uint8Array>;
  /**
   * From now on bytes go to `sink` instead of `body` (whatever `body` already holds is written first); the caller
   * must not read `body` itself.
   */
  attach(sink: SseSink): void;
  /** Queues bytes for the next flush; ignored once the channel is closed. */
  push(bytes: Uint8Array): void;
  /** Flushes what is queued and ends the response. */
  close(): void;
  /** Resolves when the client goes away (the body is cancelled), the channel is closed, or it overflows. */
  readonly done: Promise<void>;
}

// Channels that received something, flushed in order: right after the task that queued them (a microtask), for at
// most FLUSH_SLICE_MS at a time, the rest in later tasks. An event for thousands of viewers is thousands of socket
// writes (~85 ms for 5,000 here); in one piece they would hold back every database answer the ingest of the next
// event waits for, each by a whole fan-out. Slicing by time rather than by count leaves small fan-outs (a thousand
// or two viewers) in one piece, where each extra task would only add delay. An array and a flag per channel rather
// than a Set: at thousands of viewers per event the hashing was a measurable share of a delivery's cost.
const FLUSH_SLICE_MS = 20;
let flushQueue: ChannelState[] = [];
let flushHead = 0;
let flushScheduled = false;

function flushSlice() {
  flushScheduled = false;
  const started = performance.now();
  while (flushHead < flushQueue.length) {
    flushQueue[flushHead++].flush();
    // The clock is read every 64 channels: a write is tens of microseconds, a clock read is not free.
    if ((flushHead & 63) === 0 && performance.now() - started >= FLUSH_SLICE_MS) break;
  }
  if (flushHead < flushQueue.length) {
    flushScheduled = true;
    setTimeout(flushSlice, 0); // a task, not a microtask: I/O callbacks run in between
  } else {
    flushQueue = [];
    flushHead = 0;
  }
}

const HIGH_WATER_MARK = 64 * 1024;

const channelsByBody = new WeakMap<ReadableStream<Uint8Array>, SseChannel>();

/** The SSE channel behind a response body, if it is one (how a runtime entry finds a stream it can attach to). */
export function sseChannelOf(body: ReadableStream<Uint8Array> | null): SseChannel | undefined {
  return body ? channelsByBody.get(body) : undefined;
}

interface ChannelState {
  /** In the flush queue, waiting for its turn. */
  queued: boolean;
  flush(): void;
}

export function openSseChannel(options: { maxBufferedBytes?: number } = {}): SseChannel {
  // A client that reads slower than events arrive is dropped (it reconnects with Last-Event-ID) rather than
  // letting its backlog grow without bound.
  const maxBuffered = options.maxBufferedBytes ?? 1 << 20;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let closed = false;
  let sink: SseSink | null = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const state: ChannelState = {
    queued: false,
    flush() {
      state.queued = false;
      if (closed || chunks.length === 0) return;
      const out = concatBytes(chunks);
      chunks.length = 0; // the array is reused: one allocation per client, not one per flush
      if (sink) return writeToSink(sink, out);
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

  const writeToSink = (target: SseSink, bytes: Uint8Array) => {
    if (!target.write(bytes) && target.bufferedBytes() > maxBuffered) finish();
  };

  const finish = () => {
    if (closed) return;
    state.flush();
    closed = true;
    if (sink) sink.end();
    else {
      try {
        controller.close();
      } catch {
        // already closed or cancelled
      }
    }
    resolveDone();
  };

  const gone = () => {
    closed = true;
    chunks.length = 0;
    resolveDone();
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      cancel: gone,
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );

  const channel: SseChannel = {
    body,
    done,
    attach(target) {
      target.onClose(gone);
      // What earlier ticks enqueued is still in the body: hand it over first, then write directly. The queue check
      // and the switch to the sink happen in one synchronous step, so no flush can land in between.
      const reader = body.getReader();
      const queued = () => HIGH_WATER_MARK - (controller.desiredSize ?? HIGH_WATER_MARK) > 0;
      const handOver = async () => {
        while (queued()) {
          const { value, done: ended } = await reader.read();
          if (ended) break;
          target.write(value);
        }
        if (closed) target.end();
        else sink = target;
      };
      void handOver();
    },
    push(bytes) {
      if (closed) return;
      chunks.push(bytes);
      if (state.queued) return;
      state.queued = true;
      flushQueue.push(state);
      if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flushSlice);
      }
    },
    close: finish,
  };
  channelsByBody.set(body, channel);
  return channel;
}
