/**
 * Sends one webhook delivery: POST the event JSON, signed (see edge/domain/webhooks/webhook-signature.ts), with
 * a 10 s timeout. Any 2xx is success; anything else is recorded and thrown so the queue retries with backoff.
 * Idempotent: a delivery already marked succeeded is not sent again. A target on a private address (see
 * webhook-target.ts) is never called.
 */
import { z } from 'zod';
import { WEBHOOK_MAX_ATTEMPTS } from '../edge/domain/webhooks/dispatch.ts';
import { signWebhook } from '../edge/domain/webhooks/webhook-signature.ts';
import { webhookTargetProblem } from '../edge/domain/webhooks/webhook-target.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ deliveryId: z.string() });
const TIMEOUT_MS = 10_000;

export const deliverWebhook: Job = async (platform, payload, context) => {
  const { deliveryId } = payloadSchema.parse(payload);
  const db = platform.db.kysely;
  const delivery = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select(['webhook_deliveries.id', 'webhook_deliveries.status', 'webhook_deliveries.attempts', 'webhook_deliveries.payload', 'webhook_deliveries.event_type', 'webhooks.url', 'webhooks.secret'])
    .where('webhook_deliveries.id', '=', deliveryId)
    .executeTakeFirst();
  if (!delivery || delivery.status === 'succeeded') return;
  // Checked again at send time: the webhook may predate the rule, or the setting may have been turned off since.
  // Retrying cannot help, so the delivery fails at once, with the reason in its log.
  const refused = webhookTargetProblem(delivery.url, { allowPrivate: platform.config.WEBHOOK_ALLOW_PRIVATE_TARGETS });
  if (refused) {
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', attempts: delivery.attempts + 1, last_status_code: null, last_error: `not sent: ${refused.message}`, updated_at: new Date(platform.clock.now()) })
      .where('id', '=', delivery.id)
      .execute();
    return;
  }

  const body = JSON.stringify(delivery.payload);
  const signature = await signWebhook(delivery.secret, body, Math.floor(platform.clock.now() / 1000));
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(delivery.url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'TaxiWatch-Signature': signature, 'TaxiWatch-Event': delivery.event_type, 'TaxiWatch-Delivery': delivery.id },
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
    status = res.status;
    await res.body?.cancel();
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  const ok = status !== null && status >= 200 && status < 300;
  const final = !ok && context.attempt >= WEBHOOK_MAX_ATTEMPTS;
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: ok ? 'succeeded' : final ? 'failed' : 'pending',
      attempts: delivery.attempts + 1,
      last_status_code: status,
      last_error: ok ? null : (error ?? `HTTP ${status}`),
      updated_at: new Date(platform.clock.now()),
    })
    .where('id', '=', delivery.id)
    .execute();
  if (!ok) throw new Error(`webhook delivery ${delivery.id} failed: ${error ?? `HTTP ${status}`}`);
};
