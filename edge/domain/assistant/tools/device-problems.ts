/** Camera units that are offline (no report for the fleet's offline time) or running low on battery (the devices list). */
import { z } from 'zod';
import { devicesWhere } from '../../queries/devices-query.ts';
import { formatInstant, formatNumber, joinWords, type Lang } from '../format.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { fleetNames } from './subjects.ts';

export const LOW_BATTERY_PCT = 20;

const input = z.object({ problem: z.enum(['offline', 'low_battery', 'all']).optional().describe('Default: all') }).strict();
type Input = z.output<typeof input>;

interface Output {
  asked: 'offline' | 'low_battery' | 'all';
  offline_after_minutes: number;
  low_battery_below_pct: number;
  offline: Array<{ device_id: string; name: string; plate: string | null; last_seen_at: string | null }> | null;
  low_battery: Array<{ device_id: string; name: string; plate: string | null; battery_pct: number }> | null;
}

async function run(ctx: ToolContext, i: Input): Promise<Output> {
  const problem = i.problem ?? 'all';
  const [devices, names] = await Promise.all([
    devicesWhere(ctx.db, ctx.principal, { status: 'active' }).select(['id', 'name', 'vehicle_id', 'last_seen_at', 'battery_pct']).orderBy('name').execute(),
    fleetNames(ctx),
  ]);
  const plate = (vehicleId: string) => names.taxis.find((t) => t.id === vehicleId)?.plate ?? null;
  const cutoff = ctx.now - ctx.fleet.offlineMinutes * 60_000;
  const offline = devices.filter((d) => !d.last_seen_at || d.last_seen_at.getTime() < cutoff).map((d) => ({ device_id: d.id, name: d.name, plate: plate(d.vehicle_id), last_seen_at: d.last_seen_at?.toISOString() ?? null }));
  const low = devices.filter((d) => d.battery_pct !== null && d.battery_pct < LOW_BATTERY_PCT).map((d) => ({ device_id: d.id, name: d.name, plate: plate(d.vehicle_id), battery_pct: d.battery_pct! }));
  return {
    asked: problem,
    offline_after_minutes: ctx.fleet.offlineMinutes,
    low_battery_below_pct: LOW_BATTERY_PCT,
    offline: problem === 'low_battery' ? null : offline,
    low_battery: problem === 'offline' ? null : low,
  };
}

function answer(o: Output, lang: Lang, ctx: ToolContext): string {
  const es = lang === 'es';
  // The plate says which taxi; the unit's name only when it says more than the plate ("Camera 1234 ABC" does not).
  const unit = (d: { name: string; plate: string | null }) => (d.plate ? (d.name.includes(d.plate) ? d.plate : `${d.plate} (${d.name})`) : d.name);
  const parts: string[] = [];
  if (o.offline) {
    const seen = (d: { last_seen_at: string | null }) => (d.last_seen_at ? formatInstant(d.last_seen_at, lang, ctx.fleet.timezone) : es ? 'nunca' : 'never');
    parts.push(
      o.offline.length
        ? es
          ? `Sin reportar desde hace más de ${formatNumber(o.offline_after_minutes, lang)} min: ${joinWords(o.offline.map((d) => `${unit(d)}, visto por última vez ${seen(d)}`), lang)}.`
          : `Not reporting for over ${formatNumber(o.offline_after_minutes, lang)} min: ${joinWords(o.offline.map((d) => `${unit(d)}, last seen ${seen(d)}`), lang)}.`
        : es
          ? 'Todos los dispositivos están reportando.'
          : 'Every device is reporting.',
    );
  }
  if (o.low_battery) {
    parts.push(
      o.low_battery.length
        ? es
          ? `Con batería por debajo del ${o.low_battery_below_pct} %: ${joinWords(o.low_battery.map((d) => `${unit(d)} ${d.battery_pct} %`), lang)}.`
          : `Battery below ${o.low_battery_below_pct}%: ${joinWords(o.low_battery.map((d) => `${unit(d)} ${d.battery_pct}%`), lang)}.`
        : es
          ? `Ningún dispositivo tiene la batería por debajo del ${o.low_battery_below_pct} %.`
          : `No device has its battery below ${o.low_battery_below_pct}%.`,
    );
  }
  return parts.join(' ');
}

const OFFLINE = /\b(desconect\w*|offline|sin (senal|señal|conexion|cobertura)|fuera de linea|no (esta|estan|este|esten)? ?reportando|not reporting|no reporta\w*|disconnected|lost (its |their )?connection|perdido la conexion|silent|callad[oa]s?|caid[oa]s?)\b/;
const BATTERY = /\b(bater\w*|battery|batteries|carga)\b/;

export const deviceProblemsTool = defineTool<Input, Output>({
  name: 'device_problems',
  description: `Camera/GPS units that are offline (no report within the fleet's offline time) or whose battery is below ${LOW_BATTERY_PCT}%.`,
  input,
  run,
  answer,
  links: (_o, lang) => [{ label: lang === 'es' ? 'Ver dispositivos' : 'See devices', href: '/devices' }],
  recognise(q) {
    const deviceWord = q.has('dispositiv', 'device', 'camar', 'camera', 'equipo', 'unit', 'gps', 'sensor', 'unidad');
    const battery = BATTERY.test(q.text);
    const offline = OFFLINE.test(q.text);
    if (!(deviceWord || battery) || !(battery || offline)) return null;
    if (q.has('como', 'how', 'instal', 'setup', 'configur')) return null;
    return { score: 0.9, input: { problem: battery && !offline ? 'low_battery' : offline && !battery ? 'offline' : 'all' } };
  },
});
