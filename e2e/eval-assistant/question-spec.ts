/**
 * How an evaluation question is written down: its words, its language, the intent a correct answer rests on, and
 * what the true answer is — described as a measurement (`truth`) that truths.ts computes from the database with its
 * own SQL, never through the assistant's code. Periods are the seeded fleet's local days around the evaluation's
 * fixed "now": Friday 2026-11-20, 11:30 in Madrid (see seed-fleet.ts).
 */
export type Lang = 'es' | 'en';
/** First and last local day, inclusive (YYYY-MM-DD). */
export type Days = readonly [string, string];

export type Truth =
  | { metric: 'incident_count'; days?: Days; hours?: number; type?: string[]; severity?: string[]; status?: string[]; plate?: string; driver?: string }
  | { metric: 'trip_count' | 'trip_km'; days: Days; plate?: string; driver?: string }
  | { metric: 'vehicle_count'; status?: 'active' | 'maintenance' | 'inactive' | 'moving' | 'stopped' | 'offline' }
  | { metric: 'location'; plate: string }
  | { metric: 'current_driver'; plate: string }
  | { metric: 'driver_taxi'; driver: string }
  | { metric: 'ranking'; days: Days; order: 'worst' | 'best' }
  | { metric: 'licences'; within: number }
  | { metric: 'devices'; problem: 'offline' | 'low_battery' }
  | { metric: 'unacknowledged_alerts'; severity?: string[] }
  | { metric: 'vision_cost'; days: Days }
  | { metric: 'faq'; id: string }
  /** Out of scope, or about another fleet: the answer says what it can answer and carries no data. */
  | { metric: 'refusal' }
  /** A plate that is not in the asker's fleet (another fleet's): the answer says it is not there. */
  | { metric: 'not_found'; plate: string };

export type Intent =
  | 'incidents'
  | 'trips'
  | 'taxis_by_status'
  | 'taxi_location'
  | 'taxi_driver'
  | 'driver_ranking'
  | 'expiring_licences'
  | 'device_problems'
  | 'unacknowledged_alerts'
  | 'vision_spend'
  | 'product_help'
  | 'out_of_scope'
  | 'other_fleet';

export interface EvalQuestion {
  lang: Lang;
  text: string;
  intent: Intent;
  truth: Truth;
}

/** The evaluation's "now" and the periods questions use, as local days of the seeded fleet (Europe/Madrid). */
export const NOW = '2026-11-20T10:30:00Z';
export const P = {
  today: ['2026-11-20', '2026-11-20'],
  yesterday: ['2026-11-19', '2026-11-19'],
  thisWeek: ['2026-11-16', '2026-11-20'],
  lastWeek: ['2026-11-09', '2026-11-15'],
  thisMonth: ['2026-11-01', '2026-11-20'],
  lastMonth: ['2026-10-01', '2026-10-31'],
  last7: ['2026-11-14', '2026-11-20'],
  last30: ['2026-10-22', '2026-11-20'],
  last3: ['2026-11-18', '2026-11-20'],
  last14: ['2026-11-07', '2026-11-20'],
  nov1to15: ['2026-11-01', '2026-11-15'],
  october: ['2026-10-01', '2026-10-31'],
  september: ['2026-09-01', '2026-09-30'],
  thisYear: ['2026-01-01', '2026-11-20'],
} as const satisfies Record<string, Days>;
export const day = (d: string): Days => [d, d];

export const q = (lang: Lang, text: string, intent: Intent, truth: Truth): EvalQuestion => ({ lang, text, intent, truth });
export const incidents = (lang: Lang, text: string, t: Omit<Extract<Truth, { metric: 'incident_count' }>, 'metric'>) => q(lang, text, 'incidents', { metric: 'incident_count', ...t });
export const trips = (lang: Lang, text: string, metric: 'trip_count' | 'trip_km', t: { days: Days; plate?: string; driver?: string }) => q(lang, text, 'trips', { metric, ...t });
export const faq = (lang: Lang, text: string, id: string) => q(lang, text, 'product_help', { metric: 'faq', id });
export const outOfScope = (lang: Lang, text: string) => q(lang, text, 'out_of_scope', { metric: 'refusal' });
export const otherFleet = (lang: Lang, text: string, plate?: string) => q(lang, text, 'other_fleet', plate ? { metric: 'not_found', plate } : { metric: 'refusal' });
