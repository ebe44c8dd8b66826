/**
 * What tools share: the taxi and driver a question names (resolved against the asker's fleet only, typos forgiven),
 * the period as JSON in a tool's output, and the words for "no such taxi in your fleet" or "which one did you mean?".
 */
import { describePeriod, resolvePeriod, type ResolvedPeriod } from '../periods.ts';
import { loadFleetNames, matchDriver, matchPlate, type DriverRef, type FleetNames, type TaxiRef } from '../fleet-names.ts';
import { joinWords, type Lang } from '../format.ts';
import type { ToolContext } from '../tool.ts';

const namesByContext = new WeakMap<ToolContext, Promise<FleetNames>>();

/** The fleet's plates and names, loaded once per question. */
export function fleetNames(ctx: ToolContext): Promise<FleetNames> {
  let names = namesByContext.get(ctx);
  if (!names) namesByContext.set(ctx, (names = loadFleetNames(ctx)));
  return names;
}

export type SubjectProblem =
  | { problem: 'taxi_not_found'; written: string }
  | { problem: 'taxi_ambiguous'; written: string; candidates: string[] }
  | { problem: 'driver_not_found'; written: string }
  | { problem: 'driver_ambiguous'; written: string; candidates: string[] };

export type Subjects = { taxi?: TaxiRef; driver?: DriverRef };

/** The taxi and driver named in a tool's input, or the problem that stops the tool from answering. */
export async function resolveSubjects(ctx: ToolContext, input: { taxi?: string; driver?: string }): Promise<Subjects | SubjectProblem> {
  const names = await fleetNames(ctx);
  const out: Subjects = {};
  if (input.taxi) {
    const m = matchPlate(input.taxi, names.taxis);
    if (m.kind === 'none') return { problem: 'taxi_not_found', written: input.taxi };
    if (m.kind === 'ambiguous') return { problem: 'taxi_ambiguous', written: input.taxi, candidates: m.items.map((t) => t.plate) };
    out.taxi = m.item;
  }
  if (input.driver) {
    const m = matchDriver(input.driver, names.drivers);
    if (m.kind === 'none') return { problem: 'driver_not_found', written: input.driver };
    if (m.kind === 'ambiguous') return { problem: 'driver_ambiguous', written: input.driver, candidates: m.items.map((d) => d.name) };
    out.driver = m.item;
  }
  return out;
}

export const isProblem = (value: unknown): value is SubjectProblem => typeof value === 'object' && value !== null && 'problem' in value;

export function problemAnswer(p: SubjectProblem, lang: Lang): string {
  const es = lang === 'es';
  switch (p.problem) {
    case 'taxi_not_found':
      return es ? `No encuentro ningún taxi con la matrícula «${p.written}» en tu flota.` : `I can't find a taxi with plate "${p.written}" in your fleet.`;
    case 'driver_not_found':
      return es ? `No encuentro a ningún conductor llamado «${p.written}» en tu flota.` : `I can't find a driver called "${p.written}" in your fleet.`;
    case 'taxi_ambiguous':
    case 'driver_ambiguous': {
      const options = joinWords(p.candidates, lang, 'or');
      return es ? `«${p.written}» puede ser ${options}. ¿Cuál quieres decir?` : `"${p.written}" could be ${options}. Which one do you mean?`;
    }
  }
}

/** A period as it travels in a tool's output: its spec, instants and local days. */
export interface PeriodJson {
  spec: string;
  from: string | null;
  /** Exclusive. */
  to: string | null;
  first_day?: string;
  last_day?: string;
  hours?: number;
}

export function periodOf(ctx: ToolContext, spec: string): { resolved: ResolvedPeriod; json: PeriodJson } {
  const resolved = resolvePeriod(spec, ctx.fleet.timezone, ctx.now);
  const json: PeriodJson = { spec, from: resolved.start?.toISOString() ?? null, to: resolved.end?.toISOString() ?? null };
  if (resolved.fromDay) json.first_day = resolved.fromDay;
  if (resolved.toDay) json.last_day = resolved.toDay;
  if (resolved.hours !== undefined) json.hours = resolved.hours;
  return { resolved, json };
}

export const periodWords = (p: PeriodJson, lang: Lang) =>
  describePeriod({ spec: p.spec, start: p.from ? new Date(p.from) : null, end: p.to ? new Date(p.to) : null, fromDay: p.first_day, toDay: p.last_day, hours: p.hours }, lang);

/** Capitalises the first letter ("ayer (…)" → "Ayer (…)"). */
export const capital = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
