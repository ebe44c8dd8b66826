/** Trips and kilometres by period, taxi and driver (the trips list's query). */
import { sql } from 'kysely';
import { z } from 'zod';
import { tripsWhere } from '../../queries/trips-query.ts';
import { counted, formatNumber, type Lang } from '../format.ts';
import { defineTool, href, type ToolContext } from '../tool.ts';
import { countWords, subjectScore } from './recognise-helpers.ts';
import { driverField, periodField, taxiField } from './schemas.ts';
import { capital, isProblem, periodOf, periodWords, problemAnswer, resolveSubjects, type PeriodJson, type SubjectProblem } from './subjects.ts';

const input = z
  .object({
    period: periodField.optional().describe('Default: today'),
    taxi: taxiField.optional(),
    driver: driverField.optional().describe('The driver assigned to the taxi when the trip started'),
  })
  .strict();
type Input = z.output<typeof input>;

interface Found {
  period: PeriodJson;
  filters: { taxi: { id: string; plate: string } | null; driver: { id: string; name: string } | null };
  /** Trips that started in the period. */
  count: number;
  distance_km: number;
  duration_h: number;
  incidents: number;
}
type Output = Found | SubjectProblem;

async function run(ctx: ToolContext, i: Input): Promise<Output> {
  const subjects = await resolveSubjects(ctx, i);
  if (isProblem(subjects)) return subjects;
  const { resolved, json } = periodOf(ctx, i.period ?? 'today');
  const totals = await tripsWhere(ctx.db, ctx.principal, { from: resolved.start ?? undefined, before: resolved.end ?? undefined, vehicleId: subjects.taxi?.id, driverId: subjects.driver?.id })
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<number>`coalesce(sum(trips.distance_m), 0)::float8`.as('distance_m'),
      sql<number>`coalesce(sum(trips.duration_s), 0)::float8`.as('duration_s'),
      sql<number>`coalesce(sum(trips.incident_count), 0)::int`.as('incidents'),
    ])
    .executeTakeFirstOrThrow();
  return {
    period: json,
    filters: { taxi: subjects.taxi ? { id: subjects.taxi.id, plate: subjects.taxi.plate } : null, driver: subjects.driver ? { id: subjects.driver.id, name: subjects.driver.name } : null },
    count: Number(totals.count),
    distance_km: Math.round(Number(totals.distance_m) / 100) / 10,
    duration_h: Math.round(Number(totals.duration_s) / 360) / 10,
    incidents: Number(totals.incidents),
  };
}

function answer(o: Output, lang: Lang): string {
  if (isProblem(o)) return problemAnswer(o, lang);
  const es = lang === 'es';
  const who = o.filters.taxi ? (es ? ` del taxi ${o.filters.taxi.plate}` : ` by taxi ${o.filters.taxi.plate}`) : o.filters.driver ? (es ? ` de ${o.filters.driver.name}` : ` by ${o.filters.driver.name}`) : '';
  const trips = counted(o.count, es ? 'viaje' : 'trip', es ? 'viajes' : 'trips', lang);
  if (o.count === 0) return `${capital(periodWords(o.period, lang))}: ${es ? `ningún viaje${who}` : `no trips${who}`}.`;
  return `${capital(periodWords(o.period, lang))}: ${trips}${who}, ${formatNumber(o.distance_km, lang, 1)} km ${es ? 'en' : 'in'} ${formatNumber(o.duration_h, lang, 1)} h${o.incidents ? (es ? `, con ${counted(o.incidents, 'incidente', 'incidentes', lang)}` : `, with ${counted(o.incidents, 'incident', 'incidents', lang)}`) : ''}.`;
}

function links(o: Output, lang: Lang) {
  if (isProblem(o)) return [];
  return [
    {
      label: lang === 'es' ? `Ver ${counted(o.count, 'viaje', 'viajes', lang)}` : `See ${counted(o.count, 'trip', 'trips', lang)}`,
      href: href('/trips', { from: o.period.first_day, to: o.period.last_day, vehicle_id: o.filters.taxi?.id, driver_id: o.filters.driver?.id }),
    },
  ];
}

export const tripsTool = defineTool<Input, Output>({
  name: 'trips',
  description: 'Counts trips and sums their kilometres, hours and incidents by period, taxi and driver.',
  input,
  run,
  answer,
  links,
  recognise(q) {
    const tripWord = q.has('viaje', 'trip', 'ride', 'carrera', 'servicio', 'trayecto', 'recorri', 'recorr', 'journey', 'kilomet', 'km', 'distanc', 'mileage', 'kilometraje', 'millas', 'miles') || q.hasPhrase('how far');
    if (!tripWord || /\b(por cada|per|cada) 100\b/.test(q.text)) return null;
    let score = 0.6;
    if (countWords(q) || q.hasPhrase('how far')) score += 0.2;
    if (q.period) score += 0.1;
    score += subjectScore(q);
    return {
      score: Math.min(score, 1),
      input: {
        period: q.period,
        taxi: q.taxi?.kind === 'found' ? q.taxi.item.plate : q.plateWritten,
        driver: q.driver?.kind === 'found' ? q.driver.item.name : q.driver?.matched?.join(' '),
      },
    };
  },
});
