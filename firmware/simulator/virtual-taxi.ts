/**
 * One virtual taxi unit, behaving as the firmware does: it follows a recorded drive (there and back again, so it
 * never jumps), buffers its fixes and posts them in batches with its device key, uploads a camera frame every few
 * seconds, keeps its buffer through coverage losses and sends the backlog oldest first when back, retries 429, 503
 * and network errors with backoff, drops what the server refuses for good, and sometimes resends a batch whose
 * acknowledgement it lost.
 */
import { retryDelayMs, type FaultSettings } from './faults.ts';
import type { Track, TrackPoint } from './track-loader.ts';

export interface SimClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface SimStats {
  fixesGenerated: number;
  requests: number;
  stored: number;
  duplicates: number;
  dropped: number;
  retries: number;
  /** Coverage losses the taxis went through (each ends with a backlog upload). */
  offlinePeriods: number;
  /** Fixes still buffered when the run ended (the server never acknowledged them). */
  unsent: number;
  framesSent: number;
  framesStored: number;
  errors: Record<string, number>;
  /** Device times of every fix generated, per device key (for tests: each must end up stored exactly once). */
  generated?: Map<string, number[]>;
}

export interface TaxiOptions {
  key: string;
  track: Track;
  baseUrl: string;
  fetch: typeof fetch;
  clock: SimClock;
  /** Wall-clock end of the run. */
  until: number;
  /** Device time of the first fix; points are due when the wall clock has covered their offset / speedup. */
  deviceStart: number;
  speedup: number;
  batchSize: number;
  frameEverySeconds: number | null;
  frames: Uint8Array<ArrayBuffer>[];
  faults: FaultSettings;
  random: () => number;
  startIndex: number;
  stats: SimStats;
}

interface Fix {
  latitude: number;
  longitude: number;
  speed?: number;
  timestamp: string;
}

const MAX_BATCH = 500;
const MAX_ATTEMPTS = 8;

/** The track there and back, forever, from a starting point: device-time offsets in ms, always increasing. */
function* pingPong(track: Track, startIndex: number): Generator<{ offset: number; point: TrackPoint }> {
  const pts = track.points;
  let offset = 0;
  let i = startIndex % pts.length;
  let step = 1;
  for (;;) {
    yield { offset, point: pts[i] };
    if (i + step < 0 || i + step >= pts.length) step = -step;
    const next = i + step;
    offset += Math.max(1000, Math.abs(pts[next].t - pts[i].t));
    i = next;
  }
}

export async function runTaxi(o: TaxiOptions): Promise<void> {
  const wallStart = o.clock.now();
  const points = pingPong(o.track, o.startIndex);
  let next = points.next().value!;
  const buffer: Fix[] = [];
  let offlineUntil = -Infinity;
  let nextFrameAt = o.frameEverySeconds === null ? Infinity : o.deviceStart + o.frameEverySeconds * 1000 * o.random();
  let framesAvailable = true;
  const generated = o.stats.generated?.get(o.key) ?? [];
  o.stats.generated?.set(o.key, generated);

  const post = async (path: string, init: RequestInit): Promise<{ status: number; retryAfter: number | null; body: any }> => {
    o.stats.requests++;
    try {
      const res = await o.fetch(`${o.baseUrl}${path}`, init);
      const retryAfter = res.headers.get('retry-after');
      const body = await res.json().catch(() => null);
      return { status: res.status, retryAfter: retryAfter === null ? null : Number(retryAfter), body };
    } catch {
      return { status: 0, retryAfter: null, body: null };
    }
  };
  const count = (status: number) => {
    const key = status === 0 ? 'network' : String(status);
    o.stats.errors[key] = (o.stats.errors[key] ?? 0) + 1;
  };

  /**
   * Sends one batch until it is acknowledged or refused for good; false when the unit should stop trying for now.
   * At the end of the shift (`final`) it keeps retrying, up to MAX_ATTEMPTS, rather than give up when time is up.
   */
  const sendBatch = async (batch: Fix[], final: boolean): Promise<boolean> => {
    const init = { method: 'POST', headers: { authorization: `Bearer ${o.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes: batch }) };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const reply = await post('/api/v1/tracking/location', init);
      if (reply.status >= 200 && reply.status < 300) {
        o.stats.stored += reply.body?.stored ?? 0;
        o.stats.duplicates += reply.body?.duplicates ?? 0;
        if (o.random() < o.faults.duplicateRate) {
          const again = await post('/api/v1/tracking/location', init); // the acknowledgement was lost: sent again
          if (again.status >= 200 && again.status < 300) o.stats.duplicates += again.body?.duplicates ?? 0;
        }
        return true;
      }
      count(reply.status);
      if (reply.status !== 0 && reply.status !== 429 && reply.status !== 503) {
        o.stats.dropped += batch.length; // refused for good: the firmware drops it rather than retry for ever
        return true;
      }
      if (attempt === MAX_ATTEMPTS || (!final && o.clock.now() >= o.until)) return false;
      o.stats.retries++;
      // The server's Retry-After is wall-clock time and is honoured as such; our own backoff follows the speed-up.
      await o.clock.sleep(reply.retryAfter !== null && reply.retryAfter >= 0 ? retryDelayMs(attempt, reply.retryAfter) : retryDelayMs(attempt, null) / o.speedup);
    }
    return false;
  };

  const flush = async (all: boolean) => {
    while (buffer.length >= (all ? 1 : o.batchSize)) {
      // A backlog goes out in the largest batches the server takes; live data in the usual small ones.
      const size = buffer.length > o.batchSize * 2 ? MAX_BATCH : o.batchSize;
      const batch = buffer.slice(0, size);
      if (!(await sendBatch(batch, all))) return;
      buffer.splice(0, batch.length);
    }
  };

  const uploadFrame = async (capturedAt: number) => {
    const image = o.frames[Math.floor(o.random() * o.frames.length)];
    o.stats.framesSent++;
    const reply = await post('/api/v1/video/frames/upload', { method: 'POST', headers: { authorization: `Bearer ${o.key}`, 'content-type': 'image/jpeg', 'x-captured-at': new Date(capturedAt).toISOString() }, body: image });
    if (reply.status === 202 || reply.status === 200) o.stats.framesStored++;
    else if (reply.status === 404) framesAvailable = false; // a server without frame upload
    else count(reply.status);
  };

  for (;;) {
    const wallNow = o.clock.now();
    if (wallNow >= o.until) break;
    const dueUntil = o.deviceStart + (wallNow - wallStart) * o.speedup;
    while (o.deviceStart + next.offset <= dueUntil) {
      const at = o.deviceStart + next.offset;
      generated.push(at);
      o.stats.fixesGenerated++;
      const p = next.point;
      buffer.push({ latitude: p.lat, longitude: p.lon, ...(p.speedKmh === null ? {} : { speed: p.speedKmh }), timestamp: new Date(at).toISOString() });
      if (at >= nextFrameAt) {
        if (at >= offlineUntil && framesAvailable && o.frames.length > 0) await uploadFrame(at);
        nextFrameAt = at + (o.frameEverySeconds ?? Infinity) * 1000;
      }
      next = points.next().value!;
    }
    const online = dueUntil >= offlineUntil;
    if (online && buffer.length >= o.batchSize) {
      if (o.random() < o.faults.offlineRate) {
        const [min, max] = o.faults.offlineSeconds;
        offlineUntil = dueUntil + (min + o.random() * (max - min)) * 1000;
        o.stats.offlinePeriods++;
      } else await flush(false);
    }
    const wait = Math.max(1, (o.deviceStart + next.offset - dueUntil) / o.speedup);
    await o.clock.sleep(Math.min(wait, Math.max(1, o.until - o.clock.now())));
  }
  // End of the shift: the unit is back in coverage and empties its buffer.
  await flush(true);
  o.stats.unsent += buffer.length;
}
