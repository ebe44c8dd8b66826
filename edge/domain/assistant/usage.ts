/**
 * What the assistant costs, per fleet and UTC day (assistant_usage_daily, read back like vision's usage): every
 * question counts; model calls add their tokens and estimated dollars. The daily budget is checked before a model
 * is asked, so one fleet cannot run up another's bill or an unbounded one.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface ModelUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export const NO_MODEL_USAGE: ModelUsage = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };

export interface AssistantBudget {
  /** Estimated US dollars of model calls per fleet and UTC day; 0 = no model calls at all. */
  dailyUsd: number;
  /** Model calls per fleet and UTC day (bounds local models, which cost 0 here). */
  dailyCalls: number;
}

const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);

export async function recordAssistantUsage(db: Kysely<Database>, fleetId: string, now: number, usage: ModelUsage): Promise<void> {
  const values = { questions: 1, model_calls: usage.calls, input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, cost_usd: usage.costUsd };
  await db
    .insertInto('assistant_usage_daily')
    .values({ fleet_id: fleetId, day: utcDay(now), ...values })
    .onConflict((oc) =>
      oc.columns(['fleet_id', 'day']).doUpdateSet({
        questions: sql`assistant_usage_daily.questions + 1`,
        model_calls: sql`assistant_usage_daily.model_calls + ${values.model_calls}`,
        input_tokens: sql`assistant_usage_daily.input_tokens + ${values.input_tokens}`,
        output_tokens: sql`assistant_usage_daily.output_tokens + ${values.output_tokens}`,
        cost_usd: sql`assistant_usage_daily.cost_usd + ${values.cost_usd}`,
      }),
    )
    .execute();
}

/** Whether today's model spend of the fleet leaves room for another model call. */
export async function withinBudget(db: Kysely<Database>, fleetId: string, now: number, budget: AssistantBudget): Promise<boolean> {
  if (budget.dailyUsd <= 0 || budget.dailyCalls <= 0) return false;
  const row = await db.selectFrom('assistant_usage_daily').select(['model_calls', 'cost_usd']).where('fleet_id', '=', fleetId).where('day', '=', utcDay(now)).executeTakeFirst();
  return !row || (Number(row.cost_usd) < budget.dailyUsd && Number(row.model_calls) < budget.dailyCalls);
}
