/**
 * The driver view opened from a share link: one driver's own weekly score, its "why" and this week's incidents, on a
 * plain, script-free page sized for a phone. Nothing about other drivers (no leaderboard, no percentile) appears.
 */
import { incidentLabel, severityLabel } from '../domain/incidents/incident-labels.ts';
import type { SeriesPoint } from '../domain/scores/driver-scores.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

// In the fleet's language, like the incident share page: the fleet's drivers mostly speak it.
const LABELS = {
  en: {
    title: 'My safety score',
    week: 'This week',
    noScore: 'no driving yet',
    trend: 'against last week',
    km: 'km driven',
    why: 'Why this score',
    start: 'Start',
    incidents: 'My incidents this week',
    noIncidents: 'No incidents this week. Well done!',
    expires: 'This link works until',
    intro:
      'The score starts at 100 and loses points for incidents per 100 km and speeding minutes per hour driven. False positives never count.',
    categories: {
      harsh: 'Harsh braking and acceleration',
      phone: 'Phone use',
      drowsiness: 'Drowsiness and yawning',
      distraction: 'Distraction and smoking',
      collision: 'Accidents',
      speeding: 'Speeding',
      other: 'Other',
    } as Record<string, string>,
  },
  es: {
    title: 'Mi puntuación de seguridad',
    week: 'Esta semana',
    noScore: 'todavía sin conducir',
    trend: 'respecto a la semana pasada',
    km: 'km conducidos',
    why: 'Por qué esta puntuación',
    start: 'Inicio',
    incidents: 'Mis incidentes de esta semana',
    noIncidents: 'Sin incidentes esta semana. ¡Bien hecho!',
    expires: 'Este enlace funciona hasta el',
    intro:
      'La puntuación parte de 100 y pierde puntos por incidentes cada 100 km y por minutos de exceso de velocidad por hora conducida. Los falsos positivos nunca cuentan.',
    categories: {
      harsh: 'Frenazos y acelerones',
      phone: 'Uso del móvil',
      drowsiness: 'Somnolencia y bostezos',
      distraction: 'Distracciones y fumar',
      collision: 'Accidentes',
      speeding: 'Exceso de velocidad',
      other: 'Otros',
    } as Record<string, string>,
  },
} as const;

export interface DriverViewIncident {
  type: string;
  severity: string;
  occurred_at: string;
}

export function renderDriverSharePage(input: {
  name: string;
  latest: SeriesPoint | null;
  incidents: DriverViewIncident[];
  expiresAt: Date;
  locale: 'es' | 'en';
}): string {
  const l = LABELS[input.locale];
  const p = input.latest;
  const score = p?.score ?? null;
  const trend = p?.trend ?? null;
  const why = (p?.breakdown ?? [])
    .filter((b) => b.penalty > 0)
    .map((b) => `<li>−${escape(b.penalty.toFixed(1))} ${escape(l.categories[b.category] ?? b.category)}</li>`)
    .join('');
  const incidents = input.incidents
    .map(
      (i) =>
        `<li>${escape(incidentLabel(i.type, input.locale))} (${escape(severityLabel(i.severity, input.locale))}) · ${escape(i.occurred_at)}</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${input.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${l.title} — TaxiWatch</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:36rem}.score{font-size:3rem;font-weight:700;margin:.2rem 0}ul{padding-left:1.2rem}.muted{color:#555}</style>
</head><body>
<h1>${l.title}</h1>
<p>${escape(input.name)} · ${l.week}${p ? ` (${escape(p.first_day)} – ${escape(p.last_day)})` : ''}</p>
<p class="score" data-testid="driver-score">${score === null ? l.noScore : escape(score)}</p>
<p class="muted">${trend === null ? '' : `${trend > 0 ? '+' : ''}${escape(trend)} ${l.trend} · `}${escape((p?.km ?? 0).toFixed(1))} ${l.km}</p>
<h2>${l.why}</h2><ul class="why"><li>100</li>${why}</ul><p class="muted">${l.intro}</p>
<h2>${l.incidents}</h2>${incidents ? `<ul class="incidents">${incidents}</ul>` : `<p>${l.noIncidents}</p>`}
<p class="muted">${l.expires} ${escape(input.expiresAt.toISOString().slice(0, 10))}</p>
</body></html>`;
}

// What a driver reads when their link no longer opens: which of the four reasons, and what to do about it.
const GONE = {
  en: {
    title: 'Link not found',
    unknown: 'This link is not valid. Check that you opened the whole link you were sent.',
    revoked: 'This link was withdrawn. Ask the fleet for a new one.',
    expired: 'This link has expired. Ask the fleet for a new one.',
    disabled: 'The fleet no longer shows drivers their score.',
  },
  es: {
    title: 'Enlace no encontrado',
    unknown: 'Este enlace no es válido. Comprueba que has abierto el enlace completo que te enviaron.',
    revoked: 'Este enlace se ha retirado. Pide uno nuevo a la flota.',
    expired: 'Este enlace ha caducado. Pide uno nuevo a la flota.',
    disabled: 'La flota ya no muestra a los conductores su puntuación.',
  },
} as const;

export type GonePageReason = keyof Omit<(typeof GONE)['en'], 'title'>;

/** The not-found page a browser gets for a dead driver link (programs still get the JSON error). */
export function renderDriverShareGonePage(reason: GonePageReason, locale: 'es' | 'en'): string {
  const l = GONE[locale];
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${l.title} — TaxiWatch</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:36rem}</style>
</head><body>
<h1 data-testid="share-gone">${l.title}</h1>
<p data-reason="${reason}">${l[reason]}</p>
</body></html>`;
}
