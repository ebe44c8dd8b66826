/**
 * Announces who needs coaching: once a day, each fleet's weekly coaching queue (domain/scores/coaching.ts); every
 * driver in it who was not announced for this week yet gets one `coaching_due` on the live feed and to webhooks.
 * coaching_notices holds what went out (one row per driver and week), so a rerun or a retried job repeats nothing.
 * A fleet that fails is logged and the others still run; the job then fails so the queue retries.
 */
import { queueFor } from '../edge/domain/scores/coaching.ts';
import type { CoachingDueEvent } from '../edge/domain/live-events.ts';
import { dispatchWebhookEvent } from '../edge/domain/webhooks/dispatch.ts';
import type { Platform } from '../edge/platform.ts';
import type { Job } from './job.ts';

export const coachingDue: Job = async (platform) => {
  const fleets = await platform.db.kysely.selectFrom('fleets').select(['id', 'timezone']).execute();
  const failed: string[] = [];
  for (const fleet of fleets) {
    try {
      await announceFleet(platform, fleet);
    } catch (error) {
      failed.push(fleet.id);
      platform.log.error('coaching_due failed for a fleet', { fleetId: fleet.id, error: String(error) });
    }
  }
  if (failed.length > 0) throw new Error(`coaching_due failed for ${failed.length} fleet(s): ${failed.join(', ')}`);
};

/** Returns how many drivers were announced. */
export async function announceFleet(platform: Platform, fleet: { id: string; timezone: string }): Promise<number> {
  const db = platform.db.kysely;
  const { board, queue } = await queueFor(db, fleet, 'week', platform.clock.now());
  let announced = 0;
  for (const entry of queue) {
    const inserted = await db
      .insertInto('coaching_notices')
      .values({
        fleet_id: fleet.id,
        driver_id: entry.driver_id,
        period: `week:${board.current.first_day}`,
        created_at: new Date(platform.clock.now()),
      })
      .onConflict((oc) => oc.doNothing())
      .returning('driver_id')
      .executeTakeFirst();
    if (!inserted) continue;
    const data: CoachingDueEvent = {
      driver_id: entry.driver_id,
      name: entry.name,
      period: 'week',
      first_day: board.current.first_day,
      last_day: board.current.last_day,
      reasons: entry.reasons,
      score: entry.score,
      previous_score: entry.previous_score,
      trend: entry.trend,
      critical_incidents: entry.critical_incidents,
    };
    await platform.bus.publish(fleet.id, 'coaching_due', data);
    await dispatchWebhookEvent(platform, fleet.id, 'coaching_due', data);
    announced++;
  }
  return announced;
}
