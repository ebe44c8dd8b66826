/** Small pieces every resource route uses: JSON bodies, query validation and JSON-safe rows. */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { parseInput } from '../domain/validation.ts';
import { AppError } from '../errors.ts';
import { routineIntervalFor } from '../domain/frames/frame-triage.ts';
import type { Platform } from '../platform.ts';

export async function readJson<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    throw new AppError('bad_request', 'request body must be JSON', { cause: error });
  }
  return parseInput(schema, body);
}

export function readQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.output<S> {
  return parseInput(schema, c.req.query());
}

/** Dates become ISO-8601 strings; everything else is passed through. */
export function jsonRow<T extends Record<string, unknown>>(row: T): { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = value instanceof Date ? value.toISOString() : value;
  return out as never;
}

/**
 * Where a route can leave work that must finish after its answer: Workers' waitUntil; on Node and Deno the process
 * simply lives on. Undefined when INGEST_IN_BACKGROUND is off (the request then waits for all of it).
 */
const keepRunning = () => {};

export function backgroundWork(c: Context<AppEnv>, platform: Platform): ((work: Promise<void>) => void) | undefined {
  if (!platform.config.INGEST_IN_BACKGROUND) return undefined;
  // Node and Deno have nothing to keep alive; asking Hono would throw (and build an Error) on every device request.
  if (platform.runtime !== 'workerd') return keepRunning;
  return (work) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context (a test calling the app directly): nothing to keep alive.
    }
  };
}

/**
 * A device answer with `routine_frame_interval_s` added when the fleet's vision is over budget (frame-triage.ts).
 * The figure is advice: a failure to read it leaves the field out rather than failing what was already stored.
 */
export async function withRoutineInterval<T extends object>(platform: Platform, fleetId: string, answer: T): Promise<T & { routine_frame_interval_s?: number }> {
  try {
    const interval = await routineIntervalFor(platform, fleetId);
    return interval === null ? answer : { ...answer, routine_frame_interval_s: interval };
  } catch (error) {
    platform.log.warn('vision budget unreadable; device answer sent without routine_frame_interval_s', { fleetId, error: String(error) });
    return answer;
  }
}
