/**
 * GET …/usage for a model-spend table (vision, assistant): days from/to (UTC, at most a year, default the last 30),
 * one fleet for owners and viewers, any or every fleet for admins.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { dailyUsage, type UsageTable } from '../domain/queries/daily-usage.ts';
import { notFound } from '../domain/tenancy.ts';
import { isCalendarDate } from '../domain/validation.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';
import { readQuery } from './route-helpers.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const date = z.string().refine(isCalendarDate, { message: 'expected a date as YYYY-MM-DD' });
export const usageQuery = z
  .object({
    from: date.optional().describe('First UTC day (default: 29 days before `to`)'),
    to: date.optional().describe('Last UTC day, included (default: today)'),
    fleet_id: z.string().min(1).max(100).optional().describe('Admins: one fleet (default: every fleet)'),
  })
  .strict();

/** Answers a usage request for `table` once the caller is authorised. */
export async function answerUsage(c: Context<AppEnv>, platform: Platform, table: UsageTable) {
  const db = platform.db.kysely;
  const principal = c.var.principal;
  const q = readQuery(c, usageQuery);
  const to = q.to ?? new Date(platform.clock.now()).toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  if (from > to) throw new AppError('validation_failed', 'from must not be after to', { details: [{ path: 'from', message: 'after to' }] });
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_DAYS) throw new AppError('validation_failed', `at most ${MAX_DAYS} days at a time`, { details: [{ path: 'from', message: `more than ${MAX_DAYS} days before to` }] });

  let fleetId: string | null;
  if (principal.fleetId === null) {
    // Platform admins (the only principals without a fleet): one fleet, or all of them.
    fleetId = q.fleet_id ?? null;
    if (fleetId && !(await db.selectFrom('fleets').select('id').where('id', '=', fleetId).executeTakeFirst())) throw notFound('fleet', fleetId);
  } else {
    fleetId = principal.fleetId;
    if (q.fleet_id && q.fleet_id !== fleetId) throw notFound('fleet', q.fleet_id); // another tenant's is not there
  }
  return c.json({ fleet_id: fleetId, from, to, ...(await dailyUsage(db, table, { fleetId, from, to })) });
}
