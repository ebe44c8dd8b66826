/**
 * Fans an event out to the fleet's webhooks: one delivery row per subscribed webhook, each sent by the
 * `deliver-webhook` job through the queue, so retries back off and never duplicate (de-duplicated by delivery id).
 */
import type { Severity } from '../../db/schema.ts';
import type { Platform } from '../../platform.ts';
import type { LiveEventPayloads, LiveEventType } from '../live-events.ts';
import { SEVERITIES } from '../vision/vision-verdict.ts';

export const WEBHOOK_EVENT_TYPES = [
  'new_alert',
  'incident_updated',
  'device_status',
  'vehicle_status',
  'new_frame',
  'driver_changed',
  'report_ready',
  'coaching_due',
  'ping',
] as const;
export const WEBHOOK_MAX_ATTEMPTS = 6;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** A live event's webhook carries the live-event contract's payload; other webhook events (ping, …) their own. */
export type WebhookPayload<T extends WebhookEventType> = T extends LiveEventType ? LiveEventPayloads[T] : unknown;

/**
 * A fleet's active webhooks are looked up for every event published (each taxi's position, each frame), so they are
 * cached for a short while and forgotten whenever a webhook is created or deleted (forgetFleetWebhooks). Anything
 * else that writes the table directly is seen within HOOKS_TTL_SECONDS.
 * Forgetting also bumps the fleet's generation, and a cached list counts only under the generation it was read
 * under: an event that read the table just before a new webhook was committed, and stores its list just after the
 * route forgot the old one, would otherwise hide the new webhook from every event for the TTL.
 */
const HOOKS_TTL_SECONDS = 30;
const hooksKey = (fleetId: string) => `webhooks:active:${fleetId}`;
const generationKey = (fleetId: string) => `webhooks:generation:${fleetId}`;
interface ActiveHook {
  id: string;
  event_types: string[];
  min_severity: Severity | null;
}
interface CachedHooks {
  generation: number;
  hooks: ActiveHook[];
}

export async function forgetFleetWebhooks(platform: Pick<Platform, 'cache'>, fleetId: string): Promise<void> {
  // Longer than a list lives: a generation that expired would read as 0 and could match an old list.
  await platform.cache.increment(generationKey(fleetId), 1, { ttlSeconds: 100 * HOOKS_TTL_SECONDS });
  await platform.cache.delete(hooksKey(fleetId));
}

function readHooks(platform: Pick<Platform, 'db'>, fleetId: string, onlyWebhookId?: string): Promise<ActiveHook[]> {
  let query = platform.db.kysely
    .selectFrom('webhooks')
    .select(['id', 'event_types', 'min_severity'])
    .where('fleet_id', '=', fleetId)
    .where('active', '=', true);
  if (onlyWebhookId) query = query.where('id', '=', onlyWebhookId);
  return query.execute().then((rows) => rows.map((h) => ({ id: h.id, event_types: h.event_types as string[], min_severity: h.min_severity })));
}

/** The fleet's active webhooks, from the cache when it holds them under the current generation. */
export async function activeHooks(platform: Pick<Platform, 'db' | 'cache'>, fleetId: string, read = readHooks): Promise<ActiveHook[]> {
  // Both reads at once (one round trip's wait on Redis): whichever order they land in, a forget in between leaves
  // the list missing or stamped with an older generation than the one read, and the table is read again.
  const [current, cached] = await Promise.all([
    platform.cache.get<number>(generationKey(fleetId)).catch(() => null),
    platform.cache.get<CachedHooks>(hooksKey(fleetId)).catch(() => null),
  ]);
  const generation = Number(current ?? 0);
  if (cached && cached.generation === generation) return cached.hooks;
  const hooks = await read(platform, fleetId);
  const entry: CachedHooks = { generation, hooks };
  await platform.cache.set(hooksKey(fleetId), entry, { ttlSeconds: HOOKS_TTL_SECONDS }).catch(() => {});
  return hooks;
}

export async function dispatchWebhookEvent<T extends WebhookEventType>(
  platform: Platform,
  fleetId: string,
  type: T,
  data: WebhookPayload<T>,
  onlyWebhookId?: string,
): Promise<string[]> {
  const db = platform.db.kysely;
  // A test ping goes to one webhook whatever its event types: read fresh, it is not the hot path.
  const hooks = (onlyWebhookId ? await readHooks(platform, fleetId, onlyWebhookId) : await activeHooks(platform, fleetId)).filter(
    (h) => onlyWebhookId || (h.event_types.includes(type) && severeEnough(data, h.min_severity)),
  );
  const ids: string[] = [];
  for (const hook of hooks) {
    const id = platform.ids.next();
    const now = new Date(platform.clock.now());
    const payload = { id, type, fleet_id: fleetId, created_at: now.toISOString(), data };
    try {
      await db
        .insertInto('webhook_deliveries')
        .values({
          id,
          webhook_id: hook.id,
          fleet_id: fleetId,
          event_type: type,
          payload: JSON.stringify(payload),
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (error) {
      // A webhook deleted since the list was cached (on another instance, say): nothing to deliver to.
      if (await db.selectFrom('webhooks').select('id').where('id', '=', hook.id).executeTakeFirst()) throw error;
      await forgetFleetWebhooks(platform, fleetId);
      continue;
    }
    await enqueueDelivery(platform, id, `webhook:${id}`);
    ids.push(id);
  }
  return ids;
}

export function enqueueDelivery(platform: Platform, deliveryId: string, dedupeId: string) {
  return platform.queue.enqueue('deliver-webhook', { deliveryId }, { dedupeId, maxAttempts: WEBHOOK_MAX_ATTEMPTS });
}

/** Events without a severity (positions, statuses) always pass; alerts and incident updates from `min` up. */
function severeEnough(data: unknown, min: Severity | null): boolean {
  if (!min) return true;
  const severity = (data as { severity?: unknown } | null)?.severity;
  if (typeof severity !== 'string') return true;
  return SEVERITIES.indexOf(severity as Severity) >= SEVERITIES.indexOf(min);
}
