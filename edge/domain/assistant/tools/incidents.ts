/** How many incidents, and which, by period, type, severity, review state, taxi and driver (the incidents list's query). */
import { sql } from 'kysely';
import { z } from 'zod';
import type { IncidentStatus, Severity } from '../../../db/schema.ts';
import { incidentLabel, severityLabel } from '../../incidents/incident-labels.ts';
import { incidentDriver, incidentsWhere } from '../../queries/incidents-query.ts';
import { counted, formatInstant, formatNumber, joinWords, type Lang } from '../format.ts';
import { defineTool, href, type ToolContext } from '../tool.ts';
import { capital, isProblem, periodOf, periodWords, problemAnswer, resolveSubjects, type PeriodJson, type SubjectProblem } from './subjects.ts';
import { driverField, incidentTypesField, periodField, severitiesField, taxiField } from './schemas.ts';
import { countWords, definitionWords, subjectScore } from './recognise-helpers.ts';

const STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;
const input = z
  .object({
    period: periodField.optional().describe('Default: today, or all time when statuses are given'),
    types: incidentTypesField.optional(),
    severities: severitiesField.optional(),
    statuses: z.array(z.enum(STATUSES)).min(1).max(4).optional().describe('Review state: open (not reviewed yet), acknowledged, resolved, false_positive'),
    taxi: taxiField.optional(),
    driver: driverField.optional().describe('The driver assigned to the taxi when the incident occurred'),
  })
  .strict();
type Input = z.output<typeof input>;

interface Found {
  period: PeriodJson;
  filters: { types: string[] | null; severities: Severity[] | null; statuses: IncidentStatus[] | null; taxi: { id: string; plate: string } | null; driver: { id: string; name: string } | null };
  count: number;
  by_type: Record<string, number>;
  by_severity: Record<string, number>;
  /** The newest five. */
  latest: Array<{ id: string; type: string; severity: Severity; status: IncidentStatus; plate: string | null; driver_name: string | null; occurred_at: string }>;
}
type Output = Found | SubjectProblem;

async function run(ctx: ToolContext, i: Input): Promise<Output> {
  const subjects = await resolveSubjects(ctx, i);
  if (isProblem(subjects)) return subjects;
  const { resolved, json } = periodOf(ctx, i.period ?? (i.statuses ? 'all' : 'today'));
  const filter = { from: resolved.start ?? undefined, before: resolved.end ?? undefined, type: i.types, severity: i.severities, status: i.statuses, vehicleId: subjects.taxi?.id, driverId: subjects.driver?.id };
  const where = () => incidentsWhere(ctx.db, ctx.principal, filter);
  // One pass counts by type and severity together; PGlite runs one query at a time, so fewer is faster.
  const [groups, latest] = await Promise.all([
    where().select(['incidents.type', 'incidents.severity', sql<number>`count(*)::int`.as('n')]).groupBy(['incidents.type', 'incidents.severity']).execute(),
    where()
      .innerJoin('vehicles', 'vehicles.id', 'incidents.vehicle_id')
      .select(['incidents.id', 'incidents.type', 'incidents.severity', 'incidents.status', 'incidents.occurred_at', 'vehicles.plate'])
      .select(sql<string | null>`(select d.name from drivers d where d.id = ${incidentDriver})`.as('driver_name'))
      .orderBy('incidents.occurred_at', 'desc')
      .limit(5)
      .execute(),
  ]);
  const sum = (key: 'type' | 'severity') => {
    const totals = new Map<string, number>();
    for (const g of groups) totals.set(g[key], (totals.get(g[key]) ?? 0) + Number(g.n));
    return Object.fromEntries([...totals].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
  };
  return {
    period: json,
    filters: {
      types: i.types ?? null,
      severities: i.severities ?? null,
      statuses: i.statuses ?? null,
      taxi: subjects.taxi ? { id: subjects.taxi.id, plate: subjects.taxi.plate } : null,
      driver: subjects.driver ? { id: subjects.driver.id, name: subjects.driver.name } : null,
    },
    count: groups.reduce((total, g) => total + Number(g.n), 0),
    by_type: sum('type'),
    by_severity: sum('severity'),
    latest: latest.map((r) => ({ id: r.id, type: r.type, severity: r.severity, status: r.status, plate: r.plate, driver_name: r.driver_name, occurred_at: r.occurred_at.toISOString() })),
  };
}

const STATUS_WORDS: Record<Lang, Record<IncidentStatus, string>> = {
  es: { open: 'sin revisar', acknowledged: 'reconocidos', resolved: 'resueltos', false_positive: 'marcados como falso positivo' },
  en: { open: 'still open', acknowledged: 'acknowledged', resolved: 'resolved', false_positive: 'marked false positive' },
};

function answer(o: Output, lang: Lang, ctx: ToolContext): string {
  if (isProblem(o)) return problemAnswer(o, lang);
  const es = lang === 'es';
  const f = o.filters;
  const what = [
    f.types ? (es ? `de tipo ${joinWords(f.types.map((t) => incidentLabel(t, lang).toLowerCase()), lang, 'or')}` : `of type ${joinWords(f.types.map((t) => incidentLabel(t, lang).toLowerCase()), lang, 'or')}`) : '',
    f.severities ? (es ? `de severidad ${joinWords(f.severities.map((s) => severityLabel(s, lang)), lang, 'or')}` : `of ${joinWords(f.severities.map((s) => severityLabel(s, lang)), lang, 'or')} severity`) : '',
    f.statuses ? joinWords(f.statuses.map((s) => STATUS_WORDS[lang][s]), lang, 'or') : '',
    f.taxi ? (es ? `del taxi ${f.taxi.plate}` : `for taxi ${f.taxi.plate}`) : '',
    f.driver ? (es ? `de ${f.driver.name}` : `for ${f.driver.name}`) : '',
  ].filter(Boolean);
  const noun = counted(o.count, es ? 'incidente' : 'incident', es ? 'incidentes' : 'incidents', lang);
  let text = `${capital(periodWords(o.period, lang))}: ${noun}${what.length ? ` ${what.join(' ')}` : ''}.`;
  const types = Object.entries(o.by_type);
  if (o.count > 0 && types.length > 1) text += ` ${es ? 'Por tipo' : 'By type'}: ${types.map(([t, n]) => `${incidentLabel(t, lang).toLowerCase()} ${formatNumber(n, lang)}`).join(', ')}.`;
  if (o.count > 0 && !f.severities && Object.keys(o.by_severity).length > 1) {
    text += ` ${es ? 'Por severidad' : 'By severity'}: ${Object.entries(o.by_severity).map(([s, n]) => `${severityLabel(s, lang)} ${formatNumber(n, lang)}`).join(', ')}.`;
  }
  const newest = o.latest[0];
  if (newest) text += ` ${es ? 'El último' : 'The latest'}: ${incidentLabel(newest.type, lang).toLowerCase()}${newest.plate ? ` (${newest.plate})` : ''}, ${formatInstant(newest.occurred_at, lang, ctx.fleet.timezone)}.`;
  return text;
}

function links(o: Output, lang: Lang) {
  if (isProblem(o)) return [];
  const f = o.filters;
  const list = {
    label: lang === 'es' ? `Ver ${counted(o.count, 'incidente', 'incidentes', lang)}` : `See ${counted(o.count, 'incident', 'incidents', lang)}`,
    href: href('/incidents', {
      type: f.types?.length === 1 ? f.types[0] : undefined,
      severity: f.severities?.length === 1 ? f.severities[0] : undefined,
      status: f.statuses?.length === 1 ? f.statuses[0] : undefined,
      vehicle_id: f.taxi?.id,
      driver_id: f.driver?.id,
      from: o.period.first_day,
      to: o.period.last_day,
    }),
  };
  const each = o.latest.map((i) => ({ label: `${incidentLabel(i.type, lang)}${i.plate ? ` · ${i.plate}` : ''}`, href: `/incidents/${encodeURIComponent(i.id)}` }));
  return [list, ...each];
}

export const incidentsTool = defineTool<Input, Output>({
  name: 'incidents',
  description: 'Counts and lists incidents (unsafe driving found by cameras or telemetry) by period, type, severity, review status, taxi and driver; returns the count, counts by type and by severity, and the five newest.',
  input,
  run,
  answer,
  links,
  recognise(q) {
    const incidentWord = q.has('incid', 'evento', 'event', 'infracc', 'percance', 'suceso', 'safety event');
    const typed = q.types.length > 0;
    if (!incidentWord && !typed && !q.statuses.includes('false_positive')) return null;
    if (q.has('alert', 'viaje', 'trip', 'ride', 'carrera', 'servicio', 'kilomet', 'km')) return null;
    if (definitionWords(q) && !countWords(q)) return null;
    let score = incidentWord ? 0.6 : 0.5;
    if (countWords(q)) score += 0.25;
    if (q.period) score += 0.1;
    score += subjectScore(q);
    return {
      score: Math.min(score, 1),
      input: {
        period: q.period,
        types: typed ? (q.types as Input['types']) : undefined,
        severities: q.severities.length ? q.severities : undefined,
        statuses: q.statuses.length ? q.statuses : undefined,
        taxi: q.taxi?.kind === 'found' ? q.taxi.item.plate : q.plateWritten,
        driver: q.driver?.kind === 'found' ? q.driver.item.name : q.driver?.kind === 'ambiguous' ? q.driver.matched?.join(' ') : undefined,
      },
    };
  },
});
