/**
 * Drivers ranked by incidents per 100 km in a period. An incident counts for the driver assigned to its taxi when
 * it occurred, a trip's kilometres for the driver assigned when it started (as the incidents and trips lists show
 * them). Drivers with under MIN_KM in the period are left out of the ranking: a few kilometres prove nothing.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { incidentDriver, incidentsWhere } from '../../queries/incidents-query.ts';
import { tripDriver, tripsWhere } from '../../queries/trips-query.ts';
import { formatNumber, type Lang } from '../format.ts';
import { defineTool, href, type ToolContext } from '../tool.ts';
import { periodField } from './schemas.ts';
import { capital, fleetNames, periodOf, periodWords, type PeriodJson } from './subjects.ts';

export const MIN_KM = 50;

const input = z
  .object({
    period: periodField.optional().describe('Default: this_month'),
    order: z.enum(['worst', 'best']).optional().describe('worst: most incidents per 100 km first (default); best: fewest first'),
    limit: z.number().int().min(1).max(20).optional().describe('How many drivers (default 5)'),
  })
  .strict();
type Input = z.output<typeof input>;

interface Ranked {
  driver_id: string;
  name: string;
  incidents: number;
  km: number;
  per_100_km: number;
}
interface Output {
  period: PeriodJson;
  order: 'worst' | 'best';
  min_km: number;
  ranked: Ranked[];
  /** Drivers who drove, but under min_km. */
  too_little_driving: Array<{ driver_id: string; name: string; km: number }>;
}

async function run(ctx: ToolContext, i: Input): Promise<Output> {
  const { resolved, json } = periodOf(ctx, i.period ?? 'this_month');
  const range = { from: resolved.start ?? undefined, before: resolved.end ?? undefined };
  const [incidents, distances, names] = await Promise.all([
    incidentsWhere(ctx.db, ctx.principal, range).select([incidentDriver.as('driver_id'), sql<number>`count(*)::int`.as('n')]).groupBy(incidentDriver).execute(),
    tripsWhere(ctx.db, ctx.principal, range).select([tripDriver.as('driver_id'), sql<number>`coalesce(sum(trips.distance_m), 0)::float8`.as('m')]).groupBy(tripDriver).execute(),
    fleetNames(ctx),
  ]);
  const countBy = new Map(incidents.filter((r) => r.driver_id).map((r) => [r.driver_id!, Number(r.n)]));
  const order = i.order ?? 'worst';
  const rows = distances
    .filter((r) => r.driver_id && Number(r.m) > 0)
    .map((r) => {
      const km = Math.round(Number(r.m) / 100) / 10;
      const n = countBy.get(r.driver_id!) ?? 0;
      return { driver_id: r.driver_id!, name: names.drivers.find((d) => d.id === r.driver_id)?.name ?? '?', incidents: n, km, per_100_km: Math.round((n / (Number(r.m) / 100_000)) * 100) / 100 };
    });
  const ranked = rows
    .filter((r) => r.km >= MIN_KM)
    .sort((a, b) => (order === 'worst' ? b.per_100_km - a.per_100_km : a.per_100_km - b.per_100_km) || b.km - a.km || a.name.localeCompare(b.name))
    .slice(0, i.limit ?? 5);
  const too_little_driving = rows.filter((r) => r.km < MIN_KM).map(({ driver_id, name, km }) => ({ driver_id, name, km }));
  return { period: json, order, min_km: MIN_KM, ranked, too_little_driving };
}

function answer(o: Output, lang: Lang): string {
  const es = lang === 'es';
  const when = capital(periodWords(o.period, lang));
  if (o.ranked.length === 0) return es ? `${when}: ningún conductor ha hecho ${o.min_km} km o más, así que no hay clasificación.` : `${when}: no driver has driven ${o.min_km} km or more, so there is no ranking.`;
  const head = es ? `${when}, incidentes por cada 100 km (${o.order === 'worst' ? 'de más a menos' : 'de menos a más'})` : `${when}, incidents per 100 km (${o.order === 'worst' ? 'most first' : 'fewest first'})`;
  const lines = o.ranked.map((r, n) => `${n + 1}. ${r.name}: ${formatNumber(r.per_100_km, lang, 2)} (${formatNumber(r.incidents, lang)} ${es ? 'en' : 'in'} ${formatNumber(r.km, lang, 1)} km)`);
  const left = o.too_little_driving.length ? (es ? ` Sin clasificar por menos de ${o.min_km} km: ${o.too_little_driving.map((d) => d.name).join(', ')}.` : ` Not ranked (under ${o.min_km} km): ${o.too_little_driving.map((d) => d.name).join(', ')}.`) : '';
  return `${head}: ${lines.join('; ')}.${left}`;
}

function links(o: Output, lang: Lang) {
  return o.ranked.slice(0, 3).map((r) => ({
    label: lang === 'es' ? `Incidentes de ${r.name}` : `${r.name}'s incidents`,
    href: href('/incidents', { driver_id: r.driver_id, from: o.period.first_day, to: o.period.last_day }),
  }));
}

const RANKING = /\b(ranking|rank\w*|clasifica\w*|league table|leaderboard|peor(es)?|worst|mejor(es)?|best|safest|mas segur[oa]s?|riskiest|risky|mas peligros[oa]s?|dangerous|most incidents|mas incidentes|fewest|menos incidentes|top)\b|\b(por cada|per|cada) 100\b/;

export const driverRankingTool = defineTool<Input, Output>({
  name: 'driver_ranking',
  description: `Ranks drivers by incidents per 100 km in a period (drivers under ${MIN_KM} km are not ranked).`,
  input,
  run,
  answer,
  links,
  recognise(q) {
    if (!RANKING.test(q.text)) return null;
    const driverWord = q.has('conduct', 'driver', 'chofer', 'taxista', 'quien', 'who') || /\branking\b|\bclasifica/.test(q.text);
    if (!driverWord || q.driver || q.taxi) return null;
    const best = /\b(mejor(es)?|best|safest|mas segur[oa]s?|fewest|menos incidentes)\b/.test(q.text);
    return { score: 0.9, input: { period: q.period, order: best ? 'best' : 'worst' } };
  },
});
