/**
 * Safety scores and coaching (domain/scores/): a driver's score series with its "why", the fleet leaderboard (drivers
 * and taxis, with recognition), the coaching queue, and a driver's coaching sessions with the score before and after.
 * Everything is scoped to the caller's fleet: another fleet's driver is a 404.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import type { Principal } from '../domain/auth/access-tokens.ts';
import { localDayAndMinute } from '../domain/fleet-time.ts';
import {
  listSessions,
  queueFor,
  recordSession,
  COACHING_DROP,
  SESSION_WINDOW_DAYS,
} from '../domain/scores/coaching.ts';
import { driverScores } from '../domain/scores/driver-scores.ts';
import { leaderboard, STREAK_LOOKBACK_DAYS } from '../domain/scores/leaderboard.ts';
import {
  MIN_SPEEDING_MINUTES,
  SEVERITY_FACTOR,
  SPEEDING_POINTS,
  TYPE_WEIGHTS,
  UNSCORED_TYPES,
} from '../domain/scores/score-formula.ts';
import { defaultFrom, MAX_SERIES_DAYS, PERIODS, seriesDays } from '../domain/scores/score-periods.ts';
import { authorize, notFound, scopedTo, targetFleet } from '../domain/tenancy.ts';
import { isCalendarDate } from '../domain/validation.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readJson, readQuery } from './route-helpers.ts';

const day = z.string().refine(isCalendarDate, { message: 'expected a date as YYYY-MM-DD' });
const period = z.enum(PERIODS);

const seriesQuery = z
  .object({ period: period.default('week'), from: day.optional(), to: day.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.from || !q.to || seriesDays(q.from, q.to) <= MAX_SERIES_DAYS, {
    message: `at most ${MAX_SERIES_DAYS} days from from to to`,
    path: ['from'],
  });
const boardQuery = z
  .object({ period: period.default('week'), date: day.optional(), fleet_id: z.string().min(1).max(100).optional() })
  .strict();
const queueQuery = z
  .object({ period: period.default('week'), fleet_id: z.string().min(1).max(100).optional() })
  .strict();
const sessionBody = z
  .object({
    incident_ids: z.array(z.string().min(1).max(100)).max(50).default([]),
    notes: z.string().trim().max(4000).default(''),
    agreed_action: z.string().trim().max(1000).default(''),
    follow_up_on: day.nullable().optional(),
  })
  .strict()
  .refine((b) => b.notes.length > 0 || b.agreed_action.length > 0, {
    message: 'write notes or an agreed action',
    path: ['notes'],
  });

/** The formula's constants, returned with every score so a client can show "why" without hard-coding them. */
export const FORMULA = {
  base: 100,
  type_weights: TYPE_WEIGHTS,
  severity_factors: SEVERITY_FACTOR,
  unscored_types: UNSCORED_TYPES,
  speeding_points_per_minute_per_hour: SPEEDING_POINTS,
  min_speeding_minutes_per_episode: MIN_SPEEDING_MINUTES,
  counted_statuses: ['open', 'acknowledged', 'resolved'],
  coaching_drop_points: COACHING_DROP,
  session_window_days: SESSION_WINDOW_DAYS,
  streak_lookback_days: STREAK_LOOKBACK_DAYS,
  docs: '/docs/use/safety-scores.md',
};

export function registerScores(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/scores');
  protectResource(app, platform, '/api/v1/coaching');

  const fleetOf = async (fleetId: string) => {
    const fleet = await db.selectFrom('fleets').select(['id', 'timezone']).where('id', '=', fleetId).executeTakeFirst();
    if (!fleet) throw notFound('fleet', fleetId);
    return fleet;
  };
  /** The driver (404 when it is another fleet's) and its fleet. */
  const driverOf = async (principal: Principal, id: string) => {
    const driver = await scopedTo(db, principal, 'drivers')
      .select(['id', 'name', 'fleet_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!driver) throw notFound('driver', id);
    return { driver, fleet: await fleetOf(driver.fleet_id) };
  };
  const fleetFor = (principal: Principal, requested: string | undefined) => {
    if (principal.role !== 'admin' && requested && requested !== principal.fleetId) throw notFound('fleet', requested);
    return fleetOf(targetFleet(principal, requested));
  };

  app.get('/api/v1/drivers/:id/scores', async (c) => {
    const { driver, fleet } = await driverOf(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'drivers');
    const q = readQuery(c, seriesQuery);
    const today = localDayAndMinute(fleet.timezone, platform.clock.now()).day;
    const to = q.to ?? today;
    const from = q.from ?? defaultFrom(q.period, to);
    if (from > to)
      throw new AppError('validation_failed', 'from must not be after to', {
        details: [{ path: 'from', message: 'must not be after to' }],
      });
    const scores = await driverScores(db, fleet, driver.id, q.period, from, to, today);
    return c.json({
      driver: { id: driver.id, name: driver.name },
      from,
      to,
      timezone: fleet.timezone,
      ...scores,
      formula: FORMULA,
    });
  });

  app.get('/api/v1/scores', async (c) => {
    authorize(c.var.principal, 'read', 'drivers');
    const q = readQuery(c, boardQuery);
    const fleet = await fleetFor(c.var.principal, q.fleet_id);
    const today = localDayAndMinute(fleet.timezone, platform.clock.now()).day;
    const board = await leaderboard(db, fleet, q.period, q.date ?? today, today);
    return c.json({ fleet_id: fleet.id, timezone: fleet.timezone, ...board, formula: FORMULA });
  });

  app.get('/api/v1/coaching/queue', async (c) => {
    authorize(c.var.principal, 'read', 'drivers');
    const q = readQuery(c, queueQuery);
    const fleet = await fleetFor(c.var.principal, q.fleet_id);
    const { board, queue } = await queueFor(db, fleet, q.period, platform.clock.now());
    return c.json({
      fleet_id: fleet.id,
      period: q.period,
      current: board.current,
      previous: board.previous,
      drop_threshold: COACHING_DROP,
      data: queue,
    });
  });

  app.get('/api/v1/drivers/:id/coaching-sessions', async (c) => {
    const { driver, fleet } = await driverOf(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'drivers');
    return c.json({
      driver: { id: driver.id, name: driver.name },
      window_days: SESSION_WINDOW_DAYS,
      data: await listSessions(db, fleet, driver.id, platform.clock.now()),
    });
  });

  app.post('/api/v1/drivers/:id/coaching-sessions', async (c) => {
    const { driver, fleet } = await driverOf(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'drivers');
    const body = await readJson(c, sessionBody);
    const requestKey = c.req.header('idempotency-key')?.trim() || null;
    if (requestKey && requestKey.length > 200)
      throw new AppError('validation_failed', 'Idempotency-Key: at most 200 characters', {
        details: [{ path: 'Idempotency-Key', message: 'at most 200 characters' }],
      });
    const { id, created } = await recordSession(deps, {
      fleetId: fleet.id,
      driverId: driver.id,
      incidentIds: body.incident_ids,
      notes: body.notes,
      agreedAction: body.agreed_action,
      followUpOn: body.follow_up_on ?? null,
      createdBy: c.var.principal.userId,
      requestKey,
    });
    const [session] = await listSessions(db, fleet, driver.id, platform.clock.now(), id);
    return c.json(session, created ? 201 : 200);
  });
}

export const scoreDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/drivers/:id/scores',
    summary: "A driver's safety scores per day, week or month, with the breakdown, trend and fleet percentile",
    tag: 'Scores',
    auth: 'bearer',
    query: seriesQuery,
    responses: { 200: 'Score series', 400: 'Invalid period or dates', 404: 'Driver not found in your fleet' },
  },
  {
    method: 'get',
    path: '/api/v1/scores',
    summary: 'Fleet leaderboard: drivers and taxis by safety score, with most improved and longest streak',
    tag: 'Scores',
    auth: 'bearer',
    query: boardQuery,
    responses: { 200: 'Leaderboard', 400: 'Invalid period or date', 404: 'Fleet not found' },
  },
  {
    method: 'get',
    path: '/api/v1/coaching/queue',
    summary: 'Drivers who need coaching: score fell or a CRITICAL incident, without a session since',
    tag: 'Scores',
    auth: 'bearer',
    query: queueQuery,
    responses: { 200: 'Coaching queue', 400: 'Invalid period' },
  },
  {
    method: 'get',
    path: '/api/v1/drivers/:id/coaching-sessions',
    summary: "A driver's coaching sessions with the score before and after each",
    tag: 'Scores',
    auth: 'bearer',
    responses: { 200: 'Sessions, newest first', 404: 'Driver not found in your fleet' },
  },
  {
    method: 'post',
    path: '/api/v1/drivers/:id/coaching-sessions',
    summary: 'Record a coaching session (Idempotency-Key makes retries safe)',
    tag: 'Scores',
    auth: 'bearer',
    body: sessionBody,
    responses: {
      201: 'Recorded',
      200: 'Already recorded with this Idempotency-Key',
      400: 'Invalid input',
      404: 'Driver or incident not found',
    },
  },
];
