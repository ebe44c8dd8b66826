/**
 * Sends one webhook delivery: POST the event JSON, signed (see edge/domain/webhooks/webhook-signature.ts), with
 * a 10 s timeout. Any 2xx is success; anything else is recorded and thrown so the queue retries with backoff.
 * Idempotent: a delivery already marked succeeded is not sent again. A target that is or resolves to a private
 * address (see webhook-target.ts) is never called, and a name is sent to the very addresses that were checked.
 */
import { z } from 'zod';
import { WEBHOOK_MAX_ATTEMPTS } from '../edge/domain/webhooks/dispatch.ts';
import { signWebhook } from '../edge/domain/webhooks/webhook-signature.ts';
import { checkWebhookTarget, webhookTargetOptions } from '../edge/domain/webhooks/webhook-target.ts';
import type { Platform } from '../edge/platform.ts';
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
  // Checked again at send time, names resolved afresh: the webhook may predate the rule, the setting may have been
  // turned off since, or the name may point elsewhere now. A refusal cannot be fixed by retrying, so the delivery
  // fails at once. The owner reads only "target refused": why (what the name resolves to) stays in the server log,
  // so the delivery log is no probe of the private network.
  const target = await checkWebhookTarget(delivery.url, webhookTargetOptions(platform));
  if (!target.ok && !target.retryable) {
    platform.log.warn('webhook target refused', { delivery_id: delivery.id, reason: target.problem.reason, detail: target.problem.message });
    await record(platform, delivery, { status: 'failed', last_status_code: null, last_error: TARGET_REFUSED });
    return;
  }

  const body = JSON.stringify(delivery.payload);
  const signature = await signWebhook(delivery.secret, body, Math.floor(platform.clock.now() / 1000));
  const headers = { 'Content-Type': 'application/json', 'TaxiWatch-Signature': signature, 'TaxiWatch-Event': delivery.event_type, 'TaxiWatch-Delivery': delivery.id };
  let status: number | null = null;
  let error: string | null = null;
  // A name that did not resolve (or whose look-up failed) may resolve later: retried like an unreachable receiver.
  if (!target.ok) error = 'not sent: the host name did not resolve';
  else {
    try {
      if (target.addresses && platform.resolver.sendPinned) {
        // To the addresses just checked, not to whatever the name resolves to a moment later (DNS rebinding).
        status = await platform.resolver.sendPinned({ url: delivery.url, addresses: target.addresses, method: 'POST', headers, body, timeoutMs: TIMEOUT_MS });
      } else {
        // An IP literal, private targets allowed, or a name this runtime cannot resolve that the operator allowed.
        const res = await fetch(delivery.url, { method: 'POST', body, headers, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
        status = res.status;
        await res.body?.cancel();
      }
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
  }
  const ok = status !== null && status >= 200 && status < 300;
  const final = !ok && context.attempt >= WEBHOOK_MAX_ATTEMPTS;
  await record(platform, delivery, { status: ok ? 'succeeded' : final ? 'failed' : 'pending', last_status_code: status, last_error: ok ? null : (error ?? `HTTP ${status}`) });
  if (!ok) throw new Error(`webhook delivery ${delivery.id} failed: ${error ?? `HTTP ${status}`}`);
};

/** What the owner's delivery log says about a target that was not called, whatever the reason. */
export const TARGET_REFUSED = 'not sent: target refused (its host is or resolves to a private address, or cannot be checked)';

type Outcome = { status: 'succeeded' | 'failed' | 'pending'; last_status_code: number | null; last_error: string | null };

function record(platform: Platform, delivery: { id: string; attempts: number }, outcome: Outcome) {
  return platform.db.kysely
    .updateTable('webhook_deliveries')
    .set({ ...outcome, attempts: delivery.attempts + 1, updated_at: new Date(platform.clock.now()) })
    .where('id', '=', delivery.id)
    .execute();
}
