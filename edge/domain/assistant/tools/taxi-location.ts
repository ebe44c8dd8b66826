/** Where a taxi is now: its live position (as the map shows it), else its last stored fix; its state and driver. */
import { z } from 'zod';
import { scopedTo } from '../../tenancy.ts';
import { withLive } from '../../queries/vehicles-query.ts';
import { formatInstant, formatNumber, type Lang } from '../format.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { taxiField } from './schemas.ts';
import { isProblem, problemAnswer, resolveSubjects, type SubjectProblem } from './subjects.ts';

const input = z.object({ taxi: taxiField }).strict();
type Input = z.output<typeof input>;

interface Found {
  taxi: { id: string; plate: string; status: string };
  live_status: string;
  driver: string | null;
  location: { latitude: number; longitude: number; speed_kmh: number | null; at: string } | null;
}
type Output = Found | SubjectProblem;

async function run(ctx: ToolContext, i: Input): Promise<Output> {
  const subjects = await resolveSubjects(ctx, i);
  if (isProblem(subjects)) return subjects;
  const taxi = subjects.taxi!;
  const [live] = await withLive(ctx.db, ctx.cache, [taxi]);
  let location: Found['location'] = live.live.location
    ? { latitude: live.live.location.latitude, longitude: live.live.location.longitude, speed_kmh: live.live.location.speed_kmh, at: live.live.location.device_time }
    : null;
  if (!location) {
    // The live cache forgets after a day or a restart: the last stored fix still says where the taxi was.
    const fix = await scopedTo(ctx.db, ctx.principal, 'gps_fixes').select(['latitude', 'longitude', 'speed_kmh', 'device_time']).where('vehicle_id', '=', taxi.id).orderBy('device_time', 'desc').limit(1).executeTakeFirst();
    if (fix) location = { latitude: fix.latitude, longitude: fix.longitude, speed_kmh: fix.speed_kmh, at: fix.device_time.toISOString() };
  }
  return { taxi: { id: taxi.id, plate: taxi.plate, status: taxi.status }, live_status: live.live.status, driver: live.driver?.name ?? null, location };
}

const STATE: Record<Lang, Record<string, string>> = {
  es: { moving: 'en movimiento', stopped: 'parado', offline: 'desconectado', unknown: 'sin datos recientes' },
  en: { moving: 'moving', stopped: 'stopped', offline: 'offline', unknown: 'without recent data' },
};

const coords = (l: { latitude: number; longitude: number }) => `${l.latitude.toFixed(5)}, ${l.longitude.toFixed(5)}`;

function answer(o: Output, lang: Lang, ctx: ToolContext): string {
  if (isProblem(o)) return problemAnswer(o, lang);
  const es = lang === 'es';
  const state = STATE[lang][o.live_status] ?? o.live_status;
  const driver = o.driver ? (es ? ` Lo conduce ${o.driver}.` : ` ${o.driver} is driving it.`) : '';
  if (!o.location) return es ? `El taxi ${o.taxi.plate} está ${state} y aún no ha enviado ninguna posición.${driver}` : `Taxi ${o.taxi.plate} is ${state} and has not sent a position yet.${driver}`;
  const speed = o.location.speed_kmh !== null ? (es ? ` a ${formatNumber(o.location.speed_kmh, lang)} km/h` : ` at ${formatNumber(o.location.speed_kmh, lang)} km/h`) : '';
  const when = formatInstant(o.location.at, lang, ctx.fleet.timezone);
  return es
    ? `El taxi ${o.taxi.plate} está ${state}. Última posición: ${coords(o.location)}${speed} (${when}).${driver}`
    : `Taxi ${o.taxi.plate} is ${state}. Last position: ${coords(o.location)}${speed} (${when}).${driver}`;
}

function links(o: Output, lang: Lang) {
  if (isProblem(o)) return [];
  const map = { label: lang === 'es' ? 'Ver en el mapa' : 'See on the map', href: '/map' };
  if (!o.location) return [map];
  const { latitude, longitude } = o.location;
  return [map, { label: lang === 'es' ? 'Abrir en OpenStreetMap' : 'Open in OpenStreetMap', href: `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}` }];
}

export const taxiLocationTool = defineTool<Input, Output>({
  name: 'taxi_location',
  description: 'Where a taxi is now (latest position, speed and time), whether it is moving, stopped or offline, and who drives it.',
  input,
  run,
  answer,
  links,
  recognise(q) {
    if (!q.taxi && !q.plateWritten) return null;
    const where = q.has('donde', 'where', 'ubicac', 'ubica', 'locali', 'locat', 'posicion', 'position', 'situac', 'find', 'encuentra', 'anda') || q.hasPhrase('por donde', 'en que calle', 'where abouts', 'whereabouts');
    if (!where) return null;
    return { score: 0.9, input: { taxi: q.taxi?.kind === 'found' ? q.taxi.item.plate : q.plateWritten! } };
  },
});
