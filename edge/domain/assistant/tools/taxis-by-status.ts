/** How many taxis the fleet has by status (active, maintenance, inactive) and by live state (moving, stopped, offline). */
import { z } from 'zod';
import { vehiclesWhere, withLive } from '../../queries/vehicles-query.ts';
import { counted, formatNumber, joinWords, type Lang } from '../format.ts';
import type { ParsedQuestion } from '../offline/parsed-question.ts';
import { defineTool, href, type ToolContext } from '../tool.ts';
import { countWords, taxiWords } from './recognise-helpers.ts';

const STATUSES = ['active', 'maintenance', 'inactive', 'moving', 'stopped', 'offline'] as const;
type Status = (typeof STATUSES)[number];
const input = z
  .object({ status: z.enum(STATUSES).optional().describe('active/maintenance/inactive: the taxi record; moving/stopped/offline: what it is doing now. Default: counts of every status') })
  .strict();
type Input = z.output<typeof input>;

interface Output {
  total: number;
  by_status: Record<'active' | 'maintenance' | 'inactive', number>;
  by_live: Record<'moving' | 'stopped' | 'offline' | 'unknown', number>;
  status: Status | null;
  count: number;
  /** The taxis with that status (all of them when none was asked), at most 50. */
  taxis: Array<{ id: string; plate: string; status: string; live_status: string }>;
}

async function run(ctx: ToolContext, i: Input): Promise<Output> {
  const rows = await withLive(ctx.db, ctx.cache, await vehiclesWhere(ctx.db, ctx.principal).select(['id', 'plate', 'status']).orderBy('plate').execute());
  const by_status = { active: 0, maintenance: 0, inactive: 0 };
  const by_live = { moving: 0, stopped: 0, offline: 0, unknown: 0 };
  for (const r of rows) {
    by_status[r.status]++;
    by_live[r.live.status]++;
  }
  const matching = i.status ? rows.filter((r) => r.status === i.status || r.live.status === i.status) : rows;
  return {
    total: rows.length,
    by_status,
    by_live,
    status: i.status ?? null,
    count: matching.length,
    taxis: matching.slice(0, 50).map((r) => ({ id: r.id, plate: r.plate, status: r.status, live_status: r.live.status })),
  };
}

const WORDS: Record<Lang, Record<Status | 'unknown', [string, string]>> = {
  es: { active: ['activo', 'activos'], maintenance: ['en mantenimiento', 'en mantenimiento'], inactive: ['inactivo', 'inactivos'], moving: ['en movimiento', 'en movimiento'], stopped: ['parado', 'parados'], offline: ['desconectado', 'desconectados'], unknown: ['sin datos', 'sin datos'] },
  en: { active: ['active', 'active'], maintenance: ['in maintenance', 'in maintenance'], inactive: ['inactive', 'inactive'], moving: ['moving', 'moving'], stopped: ['stopped', 'stopped'], offline: ['offline', 'offline'], unknown: ['with no data yet', 'with no data yet'] },
};

function answer(o: Output, lang: Lang): string {
  const es = lang === 'es';
  const word = (s: Status | 'unknown', n: number) => WORDS[lang][s][n === 1 ? 0 : 1];
  const taxis = (n: number) => counted(n, 'taxi', 'taxis', lang);
  if (o.status) {
    const plates = o.taxis.map((t) => t.plate);
    const list = plates.length ? `: ${joinWords(plates, lang)}` : '';
    return es ? `Tienes ${taxis(o.count)} ${word(o.status, o.count)}${list}.` : `You have ${taxis(o.count)} ${word(o.status, o.count)}${list}.`;
  }
  const parts = (counts: Record<string, number>) => joinWords(Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${formatNumber(n, lang)} ${word(s as Status, n)}`), lang);
  return es
    ? `Tu flota tiene ${taxis(o.total)}: ${parts(o.by_status)}. Ahora mismo: ${parts(o.by_live)}.`
    : `Your fleet has ${taxis(o.total)}: ${parts(o.by_status)}. Right now: ${parts(o.by_live)}.`;
}

function links(o: Output, lang: Lang) {
  const live = o.status === 'moving' || o.status === 'stopped' || o.status === 'offline';
  return [{ label: lang === 'es' ? (live ? 'Ver en el mapa' : 'Ver taxis') : live ? 'See on the map' : 'See taxis', href: live ? '/map' : href('/vehicles', { status: o.status ?? undefined }) }];
}

const STATUS_CUES: Array<[Status, RegExp]> = [
  ['inactive', /\b(inactiv\w*|de baja|fuera de servicio|out of service|disabled|deshabilitad\w*|retired)\b/],
  ['maintenance', /\b(manten\w*|maintenance|taller(es)?|workshop|repair\w*|reparacion\w*|garage|mechanic)\b/],
  ['offline', /\b(desconectad\w*|offline|sin (senal|señal|conexion|cobertura)|fuera de linea|no reporta\w*|not reporting|disconnected)\b/],
  ['moving', /\b(en movimiento|moviendose|circulando|rodando|en marcha|en ruta|moving|driving|on the road|en la calle)\b/],
  ['stopped', /\b(parad[oa]s?|detenid[oa]s?|stopped|parked|aparcad[oa]s?|estacionad[oa]s?|standing)\b/],
  ['active', /\b(activ[oa]s?|active|operativ[oa]s?|in service|en servicio)\b/],
];

export function taxiStatusIn(q: ParsedQuestion): Status | undefined {
  return STATUS_CUES.find(([, p]) => p.test(q.text))?.[0];
}

export const taxisByStatusTool = defineTool<Input, Output>({
  name: 'taxis_by_status',
  description: 'Counts and lists the fleet\'s taxis by status (active, maintenance, inactive) and by what they are doing now (moving, stopped, offline).',
  input,
  run,
  answer,
  links,
  recognise(q) {
    if (!taxiWords(q) || q.taxi || q.plateWritten || q.driver) return null;
    if (q.has('camar', 'camera', 'dispositiv', 'device', 'bater', 'battery', 'equipo', 'incid', 'viaje', 'trip', 'alert', 'licen', 'conduc', 'driver', 'chofer')) return null;
    const status = taxiStatusIn(q);
    if (!status && !countWords(q)) return null;
    return { score: status ? 0.85 : 0.8, input: { status } };
  },
});
