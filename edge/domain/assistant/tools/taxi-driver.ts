/** Who drives a taxi now, or which taxi a driver drives now (the vehicles' current assignments). */
import { z } from 'zod';
import { currentDrivers } from '../../driver-assignments.ts';
import { formatInstant, type Lang } from '../format.ts';
import { defineTool, href, type ToolContext } from '../tool.ts';
import { driverField, taxiField } from './schemas.ts';
import { fleetNames, isProblem, problemAnswer, resolveSubjects, type SubjectProblem } from './subjects.ts';
import { taxiWords } from './recognise-helpers.ts';

const input = z
  .object({ taxi: taxiField.optional(), driver: driverField.optional() })
  .strict()
  .refine((i) => Boolean(i.taxi) !== Boolean(i.driver), { message: 'give either taxi or driver' });
type Input = z.output<typeof input>;

type Output =
  | { taxi: { id: string; plate: string }; driver: { id: string; name: string; since: string } | null }
  | { driver: { id: string; name: string }; taxi: { id: string; plate: string; since: string } | null; asked: 'driver' }
  | SubjectProblem;

async function run(ctx: ToolContext, i: Input): Promise<Output> {
  const subjects = await resolveSubjects(ctx, i);
  if (isProblem(subjects)) return subjects;
  const names = await fleetNames(ctx);
  const current = await currentDrivers(ctx.db, names.taxis.map((t) => t.id));
  if (subjects.taxi) {
    const d = current.get(subjects.taxi.id);
    return { taxi: { id: subjects.taxi.id, plate: subjects.taxi.plate }, driver: d ? { id: d.id, name: d.name, since: d.since } : null };
  }
  const driver = subjects.driver!;
  const taxi = names.taxis.find((t) => current.get(t.id)?.id === driver.id);
  return { driver: { id: driver.id, name: driver.name }, taxi: taxi ? { id: taxi.id, plate: taxi.plate, since: current.get(taxi.id)!.since } : null, asked: 'driver' };
}

function answer(o: Output, lang: Lang, ctx: ToolContext): string {
  if (isProblem(o)) return problemAnswer(o, lang);
  const es = lang === 'es';
  const since = (iso: string) => formatInstant(iso, lang, ctx.fleet.timezone);
  if ('asked' in o) {
    if (!o.taxi) return es ? `${o.driver.name} no tiene ningún taxi asignado ahora.` : `${o.driver.name} has no taxi assigned right now.`;
    return es ? `${o.driver.name} conduce el taxi ${o.taxi.plate} (desde ${since(o.taxi.since)}).` : `${o.driver.name} drives taxi ${o.taxi.plate} (since ${since(o.taxi.since)}).`;
  }
  if (!o.driver) return es ? `El taxi ${o.taxi.plate} no tiene conductor asignado ahora.` : `Taxi ${o.taxi.plate} has no driver assigned right now.`;
  return es ? `El taxi ${o.taxi.plate} lo conduce ${o.driver.name} (desde ${since(o.driver.since)}).` : `Taxi ${o.taxi.plate} is driven by ${o.driver.name} (since ${since(o.driver.since)}).`;
}

function links(o: Output, lang: Lang) {
  if (isProblem(o)) return [];
  return [
    { label: lang === 'es' ? 'Ver taxis y conductores' : 'See taxis and drivers', href: '/vehicles' },
    ...(o.driver ? [{ label: lang === 'es' ? 'Ver conductores' : 'See drivers', href: href('/drivers') }] : []),
  ];
}

const DRIVER_CUES = /\b(quien|quienes|who|whos|who's|conduc\w*|maneja\w*|lleva|llevando|driv\w*|chofer(es)?|taxista|al volante|behind the wheel|assigned|asignad[oa]|trabaja)\b/;

export const taxiDriverTool = defineTool<Input, Output>({
  name: 'taxi_driver',
  description: 'Who drives a taxi now (give taxi), or which taxi a driver drives now (give driver).',
  input,
  run,
  answer,
  links,
  recognise(q) {
    const plate = q.taxi?.kind === 'found' ? q.taxi.item.plate : q.plateWritten;
    if (plate) {
      if (!DRIVER_CUES.test(q.text) || q.has('incid', 'viaje', 'trip', 'km', 'kilomet', 'donde', 'where')) return null;
      return { score: 0.9, input: { taxi: plate } };
    }
    if (q.driver && taxiWords(q) && /\b(que|cual|which|what|con que|in)\b/.test(q.text) && !q.has('incid', 'viaje', 'trip', 'km', 'kilomet')) {
      return { score: 0.85, input: { driver: q.driver.kind === 'found' ? q.driver.item.name : (q.driver.matched ?? []).join(' ') } };
    }
    return null;
  },
});
