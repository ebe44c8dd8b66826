/**
 * A fleet's learned model and the examples it is fitted on (vision_examples, fleet_vision_models). An example is a
 * frame an owner labelled ("phone use", "fine") or the frame of a reviewed incident (confirmed → its type, false
 * positive → fine), with the frame's features copied at labelling time. Each new example refits the model (small:
 * at most MAX_EXAMPLES, the newest) and stores it with its cross-validated accuracy.
 */
import type { Kysely, Transaction } from 'kysely';
import { fromJson } from '../../db/jsonb.ts';
import type { Database } from '../../db/schema.ts';
import { fitFleetModel, FINE, type FleetModel, type LabelledExample } from './fleet-model.ts';
import type { FrameFeatures } from './frame-features.ts';
import { DEFAULT_VISION_RULES, type VisionRules } from './vision-rules.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The newest examples a model is fitted on: enough for a fleet's habits, small enough to refit on every label. */
export const MAX_EXAMPLES = 2_000;

/** A fleet's model from its stored row's `model` (null: the fleet has none yet). */
export const fleetModelFrom = (model: unknown): FleetModel | null => (model ? fromJson<FleetModel>(model) : null);

export async function loadFleetModel(db: Executor, fleetId: string): Promise<FleetModel | null> {
  const row = await db.selectFrom('fleet_vision_models').select('model').where('fleet_id', '=', fleetId).executeTakeFirst();
  return fleetModelFrom(row?.model);
}

export interface NewExample {
  id: string;
  fleetId: string;
  frameId: string;
  /** An incident type, or FINE. */
  label: string;
  source: 'label' | 'review';
  incidentId: string | null;
  features: FrameFeatures;
  createdBy: string | null;
  now: Date;
}

/** Adds (or, for a frame labelled before, replaces) an example. The latest word on a frame is the one that counts. */
export async function recordExample(db: Executor, example: NewExample): Promise<void> {
  const values = { label: example.label, source: example.source, incident_id: example.incidentId, features: JSON.stringify(example.features), created_by: example.createdBy, created_at: example.now };
  await db
    .insertInto('vision_examples')
    .values({ id: example.id, fleet_id: example.fleetId, frame_id: example.frameId, ...values })
    .onConflict((oc) => oc.columns(['fleet_id', 'frame_id']).doUpdateSet(values))
    .execute();
}

export interface ModelSummary {
  examples: number;
  by_label: Record<string, number>;
  /** Cross-validated accuracy on held-out examples; null until there are enough. */
  accuracy: number | null;
  /** Whether frames are judged with it yet (enough examples of at least two labels). */
  active: boolean;
  min_examples: number;
  trained_at: string | null;
}

/** Refits the fleet's model from its newest examples and stores it. */
export async function retrainFleetModel(db: Executor, fleetId: string, now: Date, rules: VisionRules = DEFAULT_VISION_RULES): Promise<ModelSummary> {
  const rows = await db
    .selectFrom('vision_examples')
    .select(['label', 'features'])
    .where('fleet_id', '=', fleetId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_EXAMPLES)
    .execute();
  // Oldest first, so the cross-validation folds do not change when an example is added at the end.
  const examples: LabelledExample[] = rows.reverse().map((r) => ({ label: r.label, features: fromJson<FrameFeatures>(r.features) }));
  const model = fitFleetModel(examples, rules.modelMinExamples);
  const values = { model: model ? JSON.stringify(model) : null, examples: examples.length, accuracy: model?.accuracy ?? null, trained_at: now };
  await db
    .insertInto('fleet_vision_models')
    .values({ fleet_id: fleetId, ...values })
    .onConflict((oc) => oc.column('fleet_id').doUpdateSet(values))
    .execute();
  return summaryOf(examples, model, now, rules);
}

export async function fleetModelSummary(db: Executor, fleetId: string, rules: VisionRules = DEFAULT_VISION_RULES): Promise<ModelSummary> {
  const [row, counts] = await Promise.all([
    db.selectFrom('fleet_vision_models').select(['model', 'trained_at']).where('fleet_id', '=', fleetId).executeTakeFirst(),
    db.selectFrom('vision_examples').select(['label', db.fn.countAll<number>().as('count')]).where('fleet_id', '=', fleetId).groupBy('label').execute(),
  ]);
  const byLabel = Object.fromEntries(counts.map((c) => [c.label, Number(c.count)]));
  const model = fleetModelFrom(row?.model);
  return {
    examples: Object.values(byLabel).reduce((a, b) => a + b, 0),
    by_label: byLabel,
    accuracy: model?.accuracy ?? null,
    active: model !== null,
    min_examples: rules.modelMinExamples,
    trained_at: row?.trained_at.toISOString() ?? null,
  };
}

function summaryOf(examples: LabelledExample[], model: FleetModel | null, now: Date, rules: VisionRules): ModelSummary {
  const byLabel: Record<string, number> = {};
  for (const e of examples) byLabel[e.label] = (byLabel[e.label] ?? 0) + 1;
  return { examples: examples.length, by_label: byLabel, accuracy: model?.accuracy ?? null, active: model !== null, min_examples: rules.modelMinExamples, trained_at: now.toISOString() };
}

export { FINE };
