/** Alerts nobody has acknowledged yet, by severity (the alerts list with acknowledged=false). */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Severity } from '../../../db/schema.ts';
import { incidentLabel, severityLabel } from '../../incidents/incident-labels.ts';
import { alertsWhere } from '../../queries/alerts-query.ts';
import { counted, formatInstant, formatNumber, joinWords, type Lang } from '../format.ts';
import { defineTool, href, type ToolContext } from '../tool.ts';
import { severitiesField } from './schemas.ts';
import { definitionWords } from './recognise-helpers.ts';

const input = z.object({ severities: severitiesField.optional() }).strict();
type Input = z.output<typeof input>;

interface Output {
  severities: Severity[] | null;
  count: number;
  by_severity: Record<string, number>;
  /** The five newest. */
  latest: Array<{ id: string; incident_id: string | null; severity: Severity; type: string | null; plate: string | null; created_at: string }>;
}

async function run(ctx: ToolContext, i: Input): Promise<Output> {
  const where = () => alertsWhere(ctx.db, ctx.principal, { acknowledged: false, severity: i.severities });
  const [bySeverity, latest] = await Promise.all([
    where().select(['alerts.severity', sql<number>`count(*)::int`.as('n')]).groupBy('alerts.severity').execute(),
    where()
      .leftJoin('vehicles', 'vehicles.id', 'alerts.vehicle_id')
      .leftJoin('incidents', 'incidents.id', 'alerts.incident_id')
      .select(['alerts.id', 'alerts.incident_id', 'alerts.severity', 'alerts.created_at', 'vehicles.plate', 'incidents.type'])
      .orderBy('alerts.created_at', 'desc')
      .limit(5)
      .execute(),
  ]);
  const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
  return {
    severities: i.severities ?? null,
    count: bySeverity.reduce((s, r) => s + Number(r.n), 0),
    by_severity: Object.fromEntries(bySeverity.sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity)).map((r) => [r.severity, Number(r.n)])),
    latest: latest.map((r) => ({ id: r.id, incident_id: r.incident_id, severity: r.severity, type: r.type, plate: r.plate, created_at: r.created_at.toISOString() })),
  };
}

// "7 críticas, 71 altas": Spanish severities agree with "alertas".
const PLURAL_ES: Record<string, string> = { LOW: 'bajas', MEDIUM: 'medias', HIGH: 'altas', CRITICAL: 'críticas' };

function answer(o: Output, lang: Lang, ctx: ToolContext): string {
  const es = lang === 'es';
  const sev = o.severities ? (es ? ` de severidad ${joinWords(o.severities.map((s) => severityLabel(s, lang)), lang, 'or')}` : ` of ${joinWords(o.severities.map((s) => severityLabel(s, lang)), lang, 'or')} severity`) : '';
  if (o.count === 0) return es ? `No tienes alertas${sev} sin reconocer.` : `You have no unacknowledged alerts${sev}.`;
  let text = es ? `Tienes ${counted(o.count, 'alerta', 'alertas', lang)}${sev} sin reconocer` : `You have ${counted(o.count, 'unacknowledged alert', 'unacknowledged alerts', lang)}${sev}`;
  if (!o.severities && Object.keys(o.by_severity).length > 1) text += `: ${Object.entries(o.by_severity).map(([s, n]) => `${formatNumber(n, lang)} ${es ? PLURAL_ES[s] : severityLabel(s, lang)}`).join(', ')}`;
  const newest = o.latest[0];
  if (newest) text += `. ${es ? 'La más reciente' : 'The newest'}: ${newest.type ? incidentLabel(newest.type, lang).toLowerCase() : severityLabel(newest.severity, lang)}${newest.plate ? ` (${newest.plate})` : ''}, ${formatInstant(newest.created_at, lang, ctx.fleet.timezone)}`;
  return `${text}.`;
}

function links(o: Output, lang: Lang) {
  const list = { label: lang === 'es' ? 'Ver alertas' : 'See alerts', href: href('/alerts') };
  const incidents = o.latest.filter((a) => a.incident_id).slice(0, 3).map((a) => ({ label: `${a.type ? incidentLabel(a.type, lang) : severityLabel(a.severity, lang)}${a.plate ? ` · ${a.plate}` : ''}`, href: `/incidents/${encodeURIComponent(a.incident_id!)}` }));
  return [list, ...incidents];
}

export const unacknowledgedAlertsTool = defineTool<Input, Output>({
  name: 'unacknowledged_alerts',
  description: 'Alerts nobody has acknowledged yet, counted by severity, with the five newest.',
  input,
  run,
  answer,
  links,
  recognise(q) {
    if (!q.has('alert', 'aviso', 'alarm')) return null;
    if (definitionWords(q) || q.has('webhook', 'sonido', 'sound')) return null;
    return { score: 0.85, input: { severities: q.severities.length ? q.severities : undefined } };
  },
});
