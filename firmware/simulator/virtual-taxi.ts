/**
 * One virtual taxi, behaving as its units do: it goes round a recorded drive (route-cycle.ts: there and back again,
 * never jumping), its GPS unit buffers fixes and posts them in batches with its device key, each camera uploads a
 * frame every few seconds and every unit sends a heartbeat (firmware, battery, signal) now and then; it keeps its
 * buffer through coverage losses and sends the backlog oldest first when back, retries 429, 503 and network errors
 * with backoff, drops what the server refuses for good, and sometimes resends a batch whose acknowledgement it lost.
 * When an answer hands a unit its next key (`X-Device-Next-Key`, sent in the 14 days before the current key
 * expires), it keeps that key (through `onKeyRotated`, where the firmware would persist it) and uses it from its next
 * request on.
 */
import { retryDelayMs, type FaultSettings } from './faults.ts';
import { routeCycle } from './route-cycle.ts';
import { createRoutineInterval } from './routine-interval.ts';
import type { Track } from './track-loader.ts';

export interface SimClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface SimStats {
  fixesGenerated: number;
  requests: number;
  stored: number;
  duplicates: number;
  /** Fixes the server dropped as GPS jumps (recordings have a few). */
  implausible: number;
  dropped: number;
  retries: number;
  /** Coverage losses the taxis went through (each ends with a backlog upload). */
  offlinePeriods: number;
  /** Fixes still buffered when the run ended (the server never acknowledged them). */
  unsent: number;
  framesSent: number;
  framesStored: number;
  /** Times a taxi switched to the next key the server handed it. */
  keyRotations: number;
  heartbeats: number;
  errors: Record<string, number>;
  /** Device times of every fix generated, per device key (for tests: each must end up stored exactly once). */
  generated?: Map<string, number[]>;
}

/** A camera unit in the taxi and the pictures it takes (a cabin camera sees the driver, a road camera the road). */
export interface SimCamera {
  key: string;
  frames: Uint8Array<ArrayBuffer>[];
}

export interface TaxiOptions {
  /** The GPS unit's key: fixes are sent with it. */
  key: string;
  /** Who uploads frames (default: the GPS unit, with `frames`). */
  cameras?: SimCamera[];
  track: Track;
  /** Where in its route cycle the taxi starts (0–1) and how long it rests, switched off, at each end. */
  startAt: number;
  restMs: number;
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
  /** One heartbeat per unit every so many device-seconds; null for none. */
  heartbeatEverySeconds: number | null;
  faults: FaultSettings;
  random: () => number;
  stats: SimStats;
  /** Called when the taxi switches keys, before it sends anything with the new one (the firmware persists it here). */
  onKeyRotated?: (oldKey: string, newKey: string) => void | Promise<void>;
}

interface Fix {
  latitude: number;
  longitude: number;
  speed?: number;
  timestamp: string;
}

const MAX_BATCH = 500;
/** The longest a unit holds fixes waiting for a full batch (device time). */
const MAX_HOLD_MS = 20_000;
const MAX_ATTEMPTS = 8;

const FIRMWARE_VERSION = 'taxiwatch-sim 1.0';

export async function runTaxi(o: TaxiOptions): Promise<void> {
  const wallStart = o.clock.now();
  const points = routeCycle(o.track, { startAt: o.startAt, restMs: o.restMs });
  let next = points.next().value!;
  const cameras = o.cameras ?? [{ key: o.key, frames: o.frames }];
  const units = [...new Set([o.key, ...cameras.map((c) => c.key)])];
  let nextHeartbeatAt = o.heartbeatEverySeconds === null ? Infinity : o.deviceStart;
  let heartbeatsAvailable = true;
  let rssi = -60 - Math.round(o.random() * 25);
  const buffer: Fix[] = [];
  let offlineUntil = -Infinity;
  let nextFrameAt = o.frameEverySeconds === null ? Infinity : o.deviceStart + o.frameEverySeconds * 1000 * o.random();
  let framesAvailable = true;
  // The server may ask for fewer routine frames when the fleet's vision is behind (routine-interval.ts).
  const routine = createRoutineInterval(o.frameEverySeconds ?? Infinity);
  const deviceNow = () => o.deviceStart + (o.clock.now() - wallStart) * o.speedup;
  const generated = o.stats.generated?.get(o.key) ?? [];
  o.stats.generated?.set(o.key, generated);
  // Each unit's key in use, by the key it started with (a unit switches when the server hands it the next one).
  const keyInUse = new Map(units.map((unit) => [unit, unit]));

  /** Every request carries the unit's key in use at the moment it is sent (the GPS unit's unless named). */
  const post = async (path: string, init: RequestInit & { headers: Record<string, string> }, unit = o.key): Promise<{ status: number; retryAfter: number | null; body: any }> => {
    o.stats.requests++;
    const key = keyInUse.get(unit) ?? unit;
    try {
      const res = await o.fetch(`${o.baseUrl}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${key}` } });
      const retryAfter = res.headers.get('retry-after');
      const body = await res.json().catch(() => null);
      const nextKey = res.headers.get('x-device-next-key');
      if (res.status >= 200 && res.status < 300 && nextKey && nextKey !== key) {
        await o.onKeyRotated?.(key, nextKey);
        keyInUse.set(unit, nextKey);
        o.stats.keyRotations++;
      }
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
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fixes: batch }) };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const reply = await post('/api/v1/tracking/location', init);
      if (reply.status >= 200 && reply.status < 300) {
        o.stats.stored += reply.body?.stored ?? 0;
        o.stats.duplicates += reply.body?.duplicates ?? 0;
        o.stats.implausible += reply.body?.implausible ?? 0;
        routine.note(reply.body, deviceNow());
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

  /** `all`: send what is buffered even short of a batch; `final`: the end of the run (retry past it). */
  const flush = async (all: boolean, final = all) => {
    while (buffer.length >= (all ? 1 : o.batchSize)) {
      // A backlog goes out in the largest batches the server takes; live data in the usual small ones.
      const size = buffer.length > o.batchSize * 2 ? MAX_BATCH : o.batchSize;
      const batch = buffer.slice(0, size);
      if (!(await sendBatch(batch, final))) return;
      buffer.splice(0, batch.length);
    }
  };

  const uploadFrame = async (camera: SimCamera, capturedAt: number) => {
    if (camera.frames.length === 0) return;
    const image = camera.frames[Math.floor(o.random() * camera.frames.length)];
    o.stats.framesSent++;
    const reply = await post('/api/v1/video/frames/upload', { method: 'POST', headers: { 'content-type': 'image/jpeg', 'x-captured-at': new Date(capturedAt).toISOString() }, body: image }, camera.key);
    if (reply.status === 202 || reply.status === 200) {
      o.stats.framesStored++;
      routine.note(reply.body, capturedAt);
    }
    else if (reply.status === 404) framesAvailable = false; // a server without frame upload
    else count(reply.status);
  };

  // Units run on the taxi's power: the backup battery stays nearly full; the signal wanders with the streets.
  const heartbeat = async () => {
    rssi = Math.max(-110, Math.min(-50, rssi + Math.round((o.random() - 0.5) * 10)));
    for (const unit of units) {
      const reply = await post('/api/v1/devices/heartbeat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ firmware_version: FIRMWARE_VERSION, battery_pct: 95 + Math.round(o.random() * 5), rssi, queued_items: buffer.length }) }, unit);
      if (reply.status === 200) o.stats.heartbeats++;
      else if (reply.status === 404) heartbeatsAvailable = false;
      else count(reply.status);
    }
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
        if (at >= offlineUntil && framesAvailable) for (const camera of cameras) await uploadFrame(camera, at);
        nextFrameAt = at + routine.seconds(at) * 1000;
      }
      if (at >= nextHeartbeatAt) {
        if (at >= offlineUntil && heartbeatsAvailable) await heartbeat();
        nextHeartbeatAt = at + (o.heartbeatEverySeconds ?? Infinity) * 1000;
      }
      next = points.next().value!;
    }
    const online = dueUntil >= offlineUntil;
    // Like the firmware, a unit does not hold a short batch for ever: the fixes before a rest reach the server too.
    const holdUntil = buffer.length > 0 ? Date.parse(buffer[0].timestamp) + MAX_HOLD_MS : Infinity;
    if (online && buffer.length >= o.batchSize) {
      if (o.random() < o.faults.offlineRate) {
        const [min, max] = o.faults.offlineSeconds;
        offlineUntil = dueUntil + (min + o.random() * (max - min)) * 1000;
        o.stats.offlinePeriods++;
      } else await flush(false);
    } else if (online && dueUntil >= holdUntil) await flush(true, false);
    const wakeAt = Math.min(o.deviceStart + next.offset, online && buffer.length > 0 ? Date.parse(buffer[0].timestamp) + MAX_HOLD_MS : Infinity);
    const wait = Math.max(1, (wakeAt - dueUntil) / o.speedup);
    await o.clock.sleep(Math.min(wait, Math.max(1, o.until - o.clock.now())));
  }
  // End of the shift: the unit is back in coverage and empties its buffer.
  await flush(true);
  o.stats.unsent += buffer.length;
}
