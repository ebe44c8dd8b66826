/**
 * Coaching: who needs a talk, recording the talk, and whether it helped.
 *
 * The queue holds drivers whose score fell by more than COACHING_DROP points against the previous period, or who had
 * a counted CRITICAL incident in the period — unless a coaching session was recorded for them since the period began
 * (the talk already happened). Each session is shown with the driver's score over the SESSION_WINDOW_DAYS local days
 * before its day and the same number from its day on, so an owner sees whether coaching worked.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { DomainDeps } from '../deps.ts';
import { localDayAndMinute, localDaysRange, shiftDay } from '../fleet-time.ts';
import { notFound } from '../tenancy.ts';
import { scoresOver } from './driver-scores.ts';
import { leaderboard, type Leaderboard, type ScoreFleet } from './leaderboard.ts';
import type { ScoreResult } from './score-formula.ts';
import type { Period } from './score-periods.ts';

/** A fall of more than this many points against the previous period puts a driver in the queue. */
export const COACHING_DROP = 10;
export const SESSION_WINDOW_DAYS = 28;

export interface QueueEntry {
  driver_id: string;
  name: string;
  score: number | null;
  previous_score: number | null;
  trend: number | null;
  critical_incidents: number;
  reasons: Array<'score_drop' | 'critical_incident'>;
  last_session_at: string | null;
}

export async function coachingQueue(
  db: Kysely<Database>,
  fleet: ScoreFleet,
  board: Leaderboard,
): Promise<QueueEntry[]> {
  const since = localDaysRange(board.current.first_day, board.current.first_day, fleet.timezone).start;
  const sessions = await db
    .selectFrom('coaching_sessions')
    .select(['driver_id', (eb) => eb.fn.max('created_at').as('last')])
    .where('fleet_id', '=', fleet.id)
    .groupBy('driver_id')
    .execute();
  const lastSession = new Map(sessions.map((s) => [s.driver_id, new Date(s.last as unknown as string)]));
  const out: QueueEntry[] = [];
  for (const d of board.drivers) {
    const reasons: QueueEntry['reasons'] = [];
    if (d.trend !== null && d.trend < -COACHING_DROP) reasons.push('score_drop');
    if (d.critical_incidents > 0) reasons.push('critical_incident');
    if (reasons.length === 0) continue;
    const last = lastSession.get(d.id) ?? null;
    if (last && last >= since) continue;
    out.push({
      driver_id: d.id,
      name: d.name,
      score: d.score,
      previous_score: d.previous_score,
      trend: d.trend,
      critical_incidents: d.critical_incidents,
      reasons,
      last_session_at: last?.toISOString() ?? null,
    });
  }
  // Critical incidents first, then the steepest fall.
  return out.sort(
    (a, b) =>
      b.critical_incidents - a.critical_incidents || (a.trend ?? 0) - (b.trend ?? 0) || a.name.localeCompare(b.name),
  );
}

export async function queueFor(db: Kysely<Database>, fleet: ScoreFleet, period: Period, now: number) {
  const today = localDayAndMinute(fleet.timezone, now).day;
  const board = await leaderboard(db, fleet, period, today, today);
  return { board, queue: await coachingQueue(db, fleet, board) };
}

export interface NewSession {
  fleetId: string;
  driverId: string;
  incidentIds: string[];
  notes: string;
  agreedAction: string;
  followUpOn: string | null;
  createdBy: string | null;
  requestKey: string | null;
}

/** Records a session; the same request key again returns the first session (a retried POST adds nothing). */
export async function recordSession(deps: DomainDeps, input: NewSession): Promise<{ id: string; created: boolean }> {
  const db = deps.db;
  if (input.requestKey) {
    const existing = await db
      .selectFrom('coaching_sessions')
      .select('id')
      .where('fleet_id', '=', input.fleetId)
      .where('request_key', '=', input.requestKey)
      .executeTakeFirst();
    if (existing) return { id: existing.id, created: false };
  }
  const ids = [...new Set(input.incidentIds)];
  if (ids.length > 0) {
    const found = await db
      .selectFrom('incidents')
      .select('id')
      .where('fleet_id', '=', input.fleetId)
      .where('id', 'in', ids)
      .execute();
    const missing = ids.find((id) => !found.some((f) => f.id === id));
    if (missing) throw notFound('incident', missing);
  }
  const id = deps.ids.next();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('coaching_sessions')
        .values({
          id,
          fleet_id: input.fleetId,
          driver_id: input.driverId,
          notes: input.notes,
          agreed_action: input.agreedAction,
          follow_up_on: input.followUpOn,
          created_by: input.createdBy,
          created_at: new Date(deps.clock.now()),
          request_key: input.requestKey,
        })
        .execute();
      if (ids.length > 0)
        await trx
          .insertInto('coaching_session_incidents')
          .values(ids.map((incident_id) => ({ session_id: id, incident_id })))
          .execute();
    });
  } catch (error) {
    // Two retries raced: the other one's session stands.
    if (input.requestKey && isUniqueViolation(error)) {
      const existing = await db
        .selectFrom('coaching_sessions')
        .select('id')
        .where('fleet_id', '=', input.fleetId)
        .where('request_key', '=', input.requestKey)
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    }
    throw error;
  }
  return { id, created: true };
}

export interface SessionView {
  id: string;
  driver_id: string;
  notes: string;
  agreed_action: string;
  follow_up_on: string | null;
  created_by: string | null;
  created_by_email: string | null;
  created_at: string;
  incidents: Array<{ id: string; type: string; severity: string; occurred_at: string; status: string }>;
  score_before: ScoreResult & { first_day: string; last_day: string };
  score_after: ScoreResult & { first_day: string; last_day: string };
}

/** A driver's sessions, newest first, each with the incidents discussed and the score before and after it. */
export async function listSessions(
  db: Kysely<Database>,
  fleet: ScoreFleet,
  driverId: string,
  now: number,
  onlyId?: string,
): Promise<SessionView[]> {
  let query = db
    .selectFrom('coaching_sessions')
    .leftJoin('users', 'users.id', 'coaching_sessions.created_by')
    .select([
      'coaching_sessions.id',
      'coaching_sessions.driver_id',
      'notes',
      'agreed_action',
      'follow_up_on',
      'created_by',
      'users.email as created_by_email',
      'coaching_sessions.created_at',
    ])
    .where('coaching_sessions.fleet_id', '=', fleet.id)
    .where('coaching_sessions.driver_id', '=', driverId)
    .orderBy('coaching_sessions.created_at', 'desc')
    .limit(100);
  if (onlyId) query = query.where('coaching_sessions.id', '=', onlyId);
  const sessions = await query.execute();
  if (sessions.length === 0) return [];
  const links = await db
    .selectFrom('coaching_session_incidents')
    .innerJoin('incidents', 'incidents.id', 'coaching_session_incidents.incident_id')
    .select([
      'coaching_session_incidents.session_id',
      'incidents.id',
      'incidents.type',
      'incidents.severity',
      'incidents.occurred_at',
      'incidents.status',
    ])
    .where(
      'coaching_session_incidents.session_id',
      'in',
      sessions.map((s) => s.id),
    )
    .orderBy('incidents.occurred_at')
    .execute();
  const today = localDayAndMinute(fleet.timezone, now).day;
  const windows = sessions.map((s) => {
    const day = localDayAndMinute(fleet.timezone, s.created_at.getTime()).day;
    const afterEnd = shiftDay(day, SESSION_WINDOW_DAYS - 1);
    return {
      before: { first_day: shiftDay(day, -SESSION_WINDOW_DAYS), last_day: shiftDay(day, -1) },
      after: { first_day: day, last_day: afterEnd < today ? afterEnd : today },
    };
  });
  const scores = await scoresOver(
    db,
    fleet,
    'driver',
    driverId,
    windows.flatMap((w) => [w.before, w.after]),
  );
  const at = (span: { first_day: string; last_day: string }) => ({
    ...span,
    ...scores.get(`${span.first_day}/${span.last_day}`)!,
  });
  return sessions.map((s, n) => ({
    ...s,
    created_at: s.created_at.toISOString(),
    incidents: links
      .filter((l) => l.session_id === s.id)
      .map((l) => ({
        id: l.id,
        type: l.type,
        severity: l.severity,
        occurred_at: l.occurred_at.toISOString(),
        status: l.status,
      })),
    score_before: at(windows[n]!.before),
    score_after: at(windows[n]!.after),
  }));
}
