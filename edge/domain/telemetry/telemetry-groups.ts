/**
 * Gathers the telemetry of fix batches that arrive together into groups applied in one transaction each
 * (applyTelemetryGroup). With one batch in sight a group is that batch, started at once, so a quiet fleet waits for
 * nothing; under load, batches that arrive while groups run wait for the next group, which takes them all (up to
 * MAX_GROUP, one batch per vehicle). Thousands of taxis then cost a few transactions a second instead of one per
 * batch. A group that fails is retried batch by batch, so one vehicle's bad data never fails another's.
 */
import type { Platform } from '../../platform.ts';
import { applyTelemetryGroup, type TelemetryBatch, type TelemetryOutcome } from './apply-telemetry.ts';

const MAX_GROUP = 64;
// Groups in flight at once: enough that one vehicle's long recomputation does not hold up everyone else's batches.
const MAX_RUNNING = 4;

interface Waiting {
  batch: TelemetryBatch;
  resolve(outcome: TelemetryOutcome): void;
  reject(error: unknown): void;
}

export interface TelemetryGroups {
  apply(batch: TelemetryBatch): Promise<TelemetryOutcome>;
}

export function createTelemetryGroups(apply: (batches: TelemetryBatch[]) => Promise<TelemetryOutcome[]>): TelemetryGroups {
  const waiting: Waiting[] = [];
  let running = 0;

  const take = (): Waiting[] => {
    const group: Waiting[] = [];
    const vehicles = new Set<string>();
    for (let i = 0; i < waiting.length && group.length < MAX_GROUP; ) {
      const id = waiting[i].batch.device.vehicleId;
      if (vehicles.has(id)) i++; // a second batch of a vehicle waits for the next group, in order
      else {
        vehicles.add(id);
        group.push(...waiting.splice(i, 1));
      }
    }
    return group;
  };

  const run = async (group: Waiting[]) => {
    try {
      const outcomes = await apply(group.map((w) => w.batch));
      group.forEach((w, i) => w.resolve(outcomes[i]));
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      await Promise.all(group.map((w) => apply([w.batch]).then(([outcome]) => w.resolve(outcome), w.reject)));
    }
  };

  const start = () => {
    while (running < MAX_RUNNING && waiting.length > 0) {
      running++;
      void run(take()).finally(() => {
        running--;
        start();
      });
    }
  };

  return {
    apply: (batch) =>
      new Promise<TelemetryOutcome>((resolve, reject) => {
        waiting.push({ batch, resolve, reject });
        start();
      }),
  };
}

const byPlatform = new WeakMap<Platform, TelemetryGroups>();

/** The platform's groups (one per app instance: its database and clock). */
export function telemetryGroups(platform: Platform): TelemetryGroups {
  let groups = byPlatform.get(platform);
  if (!groups) byPlatform.set(platform, (groups = createTelemetryGroups((batches) => applyTelemetryGroup(platform, batches))));
  return groups;
}
