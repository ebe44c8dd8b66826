/**
 * The safety score: 100 minus penalty points, worked out from what a driver (or a taxi) did in a period. Pure; the
 * same function answers the API, the pages, the report and the assistant, and its breakdown is the "why is my
 * score 72?" shown next to every score (docs/use/safety-scores.md explains it to owners).
 *
 *   points(category)   = Σ weight(type) × severity factor(severity)  over the category's counted incidents
 *   penalty(category)  = points ÷ km × 100                          (points per 100 km)
 *   penalty(speeding)  = SPEEDING_POINTS × speeding minutes ÷ driving hours
 *   score              = max(0, round(100 − Σ penalties))
 *
 * Counted incidents are open (not reviewed yet), acknowledged or resolved ones: a false positive never costs points.
 * No kilometres means no score (null with a reason), not a perfect 100: nobody earns 100 by not driving, and
 * nothing is divided by zero.
 */

export const SEVERITY_FACTOR = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 5 } as const;
export type Severity = keyof typeof SEVERITY_FACTOR;

/** How a type is grouped in the breakdown; `ignored` types say nothing about how someone drives. */
export type ScoreCategory = 'harsh' | 'phone' | 'drowsiness' | 'distraction' | 'collision' | 'other';

/** Points per incident before the severity factor. Speeding is counted by the minute (below), not here. */
export const TYPE_WEIGHTS: Record<string, { category: ScoreCategory; weight: number }> = {
  HARSH_BRAKING: { category: 'harsh', weight: 2 },
  HARSH_ACCELERATION: { category: 'harsh', weight: 2 },
  PHONE_USAGE: { category: 'phone', weight: 4 },
  DROWSINESS: { category: 'drowsiness', weight: 5 },
  YAWNING: { category: 'drowsiness', weight: 1 },
  DISTRACTION: { category: 'distraction', weight: 3 },
  SMOKING: { category: 'distraction', weight: 1 },
  ACCIDENT: { category: 'collision', weight: 10 },
  OTHER: { category: 'other', weight: 1 },
};
/** Neither idling, an empty seat nor a covered lens is unsafe driving: they are listed elsewhere, never scored. */
export const UNSCORED_TYPES = ['IDLING', 'NO_DRIVER', 'CAMERA_BLOCKED'] as const;

/** Penalty points per minute of speeding per hour driven (3 minutes in every hour: −6). */
export const SPEEDING_POINTS = 2;
/** A speeding incident is one sustained episode: it counts at least this many minutes, more when it lasted longer. */
export const MIN_SPEEDING_MINUTES = 1;

export const CATEGORIES: ScoreCategory[] = ['harsh', 'phone', 'drowsiness', 'distraction', 'collision', 'other'];

/** What a driver or a taxi did in a period: the only inputs the formula reads. */
export interface ActivityTotals {
  km: number;
  /** Time driving (sum of trip durations), seconds. */
  seconds: number;
  /** Counted incidents (false positives already left out), by type and severity. */
  incidents: Array<{ type: string; severity: Severity; count: number }>;
  speedingMinutes: number;
}

export const emptyTotals = (): ActivityTotals => ({ km: 0, seconds: 0, incidents: [], speedingMinutes: 0 });

export interface BreakdownLine {
  category: ScoreCategory | 'speeding';
  /** Incidents counted in this line (speeding: episodes). */
  events: number;
  /** Weighted points (speeding: minutes). */
  points: number;
  /** Per 100 km (speeding: minutes per hour driven). */
  rate: number;
  /** What the line takes off the score. */
  penalty: number;
}

export interface ScoreResult {
  /** 0–100, or null when there is nothing to score (see reason). */
  score: number | null;
  reason: 'no_driving' | null;
  km: number;
  hours: number;
  incidents: number;
  breakdown: BreakdownLine[];
}

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

export function addTotals(into: ActivityTotals, more: ActivityTotals): ActivityTotals {
  into.km += more.km;
  into.seconds += more.seconds;
  into.speedingMinutes += more.speedingMinutes;
  for (const i of more.incidents) {
    const same = into.incidents.find((x) => x.type === i.type && x.severity === i.severity);
    if (same) same.count += i.count;
    else into.incidents.push({ ...i });
  }
  return into;
}

export function computeScore(t: ActivityTotals): ScoreResult {
  const hours = t.seconds / 3600;
  const incidents = t.incidents
    .filter((i) => !(UNSCORED_TYPES as readonly string[]).includes(i.type))
    .reduce((n, i) => n + i.count, 0);
  if (!(t.km > 0)) return { score: null, reason: 'no_driving', km: 0, hours: round(hours), incidents, breakdown: [] };
  const breakdown: BreakdownLine[] = CATEGORIES.map((category) => {
    let events = 0;
    let points = 0;
    for (const i of t.incidents) {
      const w = TYPE_WEIGHTS[i.type];
      if (w?.category !== category) continue;
      events += i.count;
      points += w.weight * SEVERITY_FACTOR[i.severity] * i.count;
    }
    const rate = (points / t.km) * 100;
    return { category, events, points, rate: round(rate), penalty: round(rate) };
  });
  const episodes = t.incidents.filter((i) => i.type === 'SPEEDING').reduce((n, i) => n + i.count, 0);
  // Kilometres without recorded time (a trip still open) cannot give a rate per hour: no speeding penalty then.
  const perHour = hours > 0 ? t.speedingMinutes / hours : 0;
  breakdown.push({
    category: 'speeding',
    events: episodes,
    points: round(t.speedingMinutes),
    rate: round(perHour),
    penalty: round(perHour * SPEEDING_POINTS),
  });
  const penalty = breakdown.reduce((n, b) => n + b.penalty, 0);
  return {
    score: Math.max(0, Math.round(100 - penalty)),
    reason: null,
    km: round(t.km, 1),
    hours: round(hours),
    incidents,
    breakdown,
  };
}

/** This period's score minus the previous one's; null when either has none. */
export const trendOf = (current: number | null, previous: number | null): number | null =>
  current === null || previous === null ? null : current - previous;

/**
 * Where a score stands in the fleet, 0–100: the share of scored drivers below it, counting ties as half
 * (mid-rank), so the only driver scored is at 50 and the best of four distinct scores at 87.5 → 88.
 */
export function percentileOf(score: number | null, fleetScores: Array<number | null>): number | null {
  if (score === null) return null;
  const scored = fleetScores.filter((s): s is number => s !== null);
  if (scored.length === 0) return null;
  const below = scored.filter((s) => s < score).length;
  const equal = scored.filter((s) => s === score).length;
  return percentileFrom(below, equal, scored.length);
}

/** The percentile of a score with `below` fleet scores under it and `equal` (itself included) level with it. */
export const percentileFrom = (below: number, equal: number, scored: number) =>
  Math.round((100 * (below + equal / 2)) / scored);
