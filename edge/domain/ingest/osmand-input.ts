/**
 * The OsmAnd protocol as Traccar Client (and OsmAnd, GPSLogger, …) speak it, turned into a device-protocol-v1 fix,
 * so a phone becomes a tracker without any TaxiWatch firmware:
 * - query string (GET, or a legacy POST with an empty body) or a form: `id` (here: the device key), `lat`, `lon`
 *   (or `location=lat,lon`), `timestamp` (unix seconds, unix ms, or a date), `speed` in KNOTS, `bearing`/`heading`,
 *   `altitude`, `accuracy`/`hacc`, `batt` (percent);
 * - JSON: `{"device_id", "location": {"timestamp", "coords": {latitude, longitude, speed (m/s), heading, altitude,
 *   accuracy}, "battery": {level 0–1}}}`.
 * Unknown fields (cell, wifi, ignition, rpm…) are ignored; what cannot be a position is a clear 400.
 */
import { AppError } from '../../errors.ts';

export interface OsmandReport {
  key: string | null;
  /** In the shape of device protocol v1, for the fix pipeline to validate like any other fix. */
  fix: Record<string, unknown>;
  batteryPct: number | null;
}

const KNOTS_TO_KMH = 1.852;
const MS_TO_KMH = 3.6;

// Plain decimals only: `Number()` would also read "0x10" as 16, "0b1", "Infinity" and " 1 ", which no client means.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A number from the protocol; absent or empty is undefined, anything else that is not a finite decimal is a 400 naming the field. */
const num = (value: unknown, field: string): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isFinite(n)) {
    throw new AppError('validation_failed', `${field} ${JSON.stringify(value)} is not a decimal number`, { details: [{ path: field, message: 'not a decimal number' }] });
  }
  return n;
};

// The largest instant a JavaScript Date holds (±8.64e15 ms); beyond it there is no time to store.
const MAX_DATE_MS = 8.64e15;

/** Unix seconds, unix milliseconds, ISO-8601, or "YYYY-MM-DD HH:MM:SS" (read as UTC, as Traccar does). */
export function osmandTime(value: unknown, now: number): string {
  if (value === undefined || value === null || value === '') return new Date(now).toISOString();
  const n = typeof value === 'string' && !DECIMAL.test(value.trim()) ? undefined : num(value, 'timestamp');
  if (n !== undefined) {
    const ms = n > 1e11 ? n : n * 1000;
    if (!(Math.abs(ms) <= MAX_DATE_MS)) throw new AppError('validation_failed', `timestamp ${JSON.stringify(value)} is out of range`, { details: [{ path: 'timestamp', message: 'out of range' }] });
    return new Date(ms).toISOString();
  }
  const text = String(value).trim().replace(' ', 'T');
  const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(parsed)) throw new AppError('validation_failed', `timestamp ${JSON.stringify(value)} is not a unix time or a date`, { details: [{ path: 'timestamp', message: 'unreadable' }] });
  return new Date(parsed).toISOString();
}

/** Speed from the protocol: knots in query/form, m/s in JSON; negative means "unknown" to several clients. */
const speedKmh = (value: unknown, factor: number) => {
  const n = num(value, 'speed');
  return n === undefined || n < 0 ? undefined : Math.round(n * factor * 10) / 10;
};

export function parseOsmandParams(params: Record<string, string>, now: number): OsmandReport {
  let lat = num(params.lat, 'lat');
  let lon = num(params.lon, 'lon');
  if ((lat === undefined || lon === undefined) && params.location) [lat, lon] = params.location.split(',').map((part) => num(part, 'location'));
  if (lat === undefined || lon === undefined) throw missingPosition();
  const batt = num(params.batt, 'batt');
  return {
    key: params.id ?? params.deviceid ?? null,
    fix: prune({
      latitude: lat,
      longitude: lon,
      speed: speedKmh(params.speed, KNOTS_TO_KMH),
      heading: num(params.bearing ?? params.heading, 'bearing'),
      altitude: num(params.altitude, 'altitude'),
      accuracy: num(params.accuracy ?? params.hacc, 'accuracy'),
      timestamp: osmandTime(params.timestamp, now),
    }),
    batteryPct: batt !== undefined && batt >= 0 && batt <= 100 ? Math.round(batt) : null,
  };
}

export function parseOsmandJson(body: unknown, now: number): OsmandReport {
  const root = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
  const location = (root.location && typeof root.location === 'object' ? root.location : {}) as Record<string, any>;
  const coords = (location.coords && typeof location.coords === 'object' ? location.coords : {}) as Record<string, unknown>;
  const lat = num(coords.latitude, 'location.coords.latitude');
  const lon = num(coords.longitude, 'location.coords.longitude');
  if (lat === undefined || lon === undefined) throw missingPosition();
  const level = num((location.battery ?? root.battery)?.level, 'location.battery.level');
  return {
    key: typeof root.device_id === 'string' ? root.device_id : null,
    fix: prune({
      latitude: lat,
      longitude: lon,
      speed: speedKmh(coords.speed, MS_TO_KMH),
      heading: num(coords.heading, 'location.coords.heading'),
      altitude: num(coords.altitude, 'location.coords.altitude'),
      accuracy: num(coords.accuracy, 'location.coords.accuracy'),
      timestamp: osmandTime(location.timestamp, now),
    }),
    batteryPct: level !== undefined && level >= 0 && level <= 1 ? Math.round(level * 100) : null,
  };
}

// Headings of exactly 360 and other out-of-range optional values are left for the pipeline's validation to name.
function prune(fix: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fix).filter(([, v]) => v !== undefined));
}

const missingPosition = () =>
  new AppError('validation_failed', 'an OsmAnd report needs lat and lon (or location=lat,lon; in JSON location.coords)', { details: [{ path: 'lat', message: 'required' }, { path: 'lon', message: 'required' }] });
