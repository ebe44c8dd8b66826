/**
 * An on-demand report as one table for spreadsheets: a row per trip, stop, speeding or idling episode, incident and
 * driver, told apart by `section`; times in the fleet's local time with their UTC offset, distances in km.
 */
import { zoneOffsetMs } from '../../fleet-time.ts';
import type { RangeData } from './range-data.ts';

export const SECTIONS = ['trip', 'stop', 'speeding', 'idling', 'incident', 'driver_summary'] as const;
export type Section = (typeof SECTIONS)[number];

export const COLUMNS = ['section', 'vehicle', 'driver', 'start', 'end', 'duration_s', 'distance_km', 'type', 'severity', 'max_speed_kmh', 'latitude', 'longitude', 'trips', 'incidents', 'incidents_per_100km', 'description'] as const;
export type Column = (typeof COLUMNS)[number];
export type FlatRow = Partial<Record<Column, string | number | Date | null>> & { section: Section };

/** Columns holding free text (names, descriptions): written so a spreadsheet never reads them as a formula. */
export const TEXT_COLUMNS: ReadonlySet<Column> = new Set(['vehicle', 'driver', 'type', 'severity', 'description']);

/** "2026-05-31T08:00:00+02:00": the fleet's wall time, with the offset that makes it an instant. */
export function localIso(at: Date, timeZone: string): string {
  const offset = zoneOffsetMs(timeZone, at.getTime());
  const wall = new Date(Math.floor(at.getTime() / 1000) * 1000 + offset).toISOString().slice(0, 19);
  const minutes = Math.round(offset / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const seconds = (start: Date, end: Date | null) => (end ? Math.round((end.getTime() - start.getTime()) / 1000) : null);
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export function flatRows(data: RangeData): FlatRow[] {
  const incident = (section: Section) => (i: RangeData['incidents'][number]): FlatRow => ({
    section,
    vehicle: i.plate,
    driver: i.driver,
    start: i.start,
    end: i.end,
    duration_s: seconds(i.start, i.end),
    type: i.type,
    severity: i.severity,
    latitude: i.latitude,
    longitude: i.longitude,
    description: i.description,
  });
  return [
    ...data.trips.map((t): FlatRow => ({ section: 'trip', vehicle: t.plate, driver: t.driver, start: t.start, end: t.end, duration_s: t.seconds, distance_km: round(t.km, 3), max_speed_kmh: t.maxSpeedKmh, incidents: t.incidents })),
    ...data.stops.map((s): FlatRow => ({ section: 'stop', vehicle: s.plate, driver: s.driver, start: s.start, end: s.end, duration_s: seconds(s.start, s.end), latitude: s.latitude, longitude: s.longitude })),
    ...data.speeding.map(incident('speeding')),
    ...data.idling.map(incident('idling')),
    ...data.incidents.map(incident('incident')),
    ...data.drivers.map((d): FlatRow => ({ section: 'driver_summary', driver: d.name, duration_s: Math.round(d.seconds), distance_km: round(d.km, 3), trips: d.trips, incidents: d.incidents, incidents_per_100km: round(d.per100km, 2) })),
  ];
}
