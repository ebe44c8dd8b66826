/**
 * The share link opened in a browser: a plain, script-free page with the frames and the track as a list. The web
 * app will give it a map later; this page only has to be honest and safe (everything escaped, no script at all).
 */
import type { IncidentEvidence } from '../domain/evidence/incident-evidence.ts';
import { incidentLabel, severityLabel } from '../domain/incidents/incident-labels.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

/** No script may run, images may come from the app or the blob store's presigned host, nothing may be framed. */
export const SHARE_PAGE_CSP = "default-src 'none'; img-src 'self' https: http:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// In the fleet's language: the people a fleet shares with mostly speak it.
const LABELS = {
  en: { vehicle: 'Vehicle', from: 'From', lastSeen: 'Last seen', status: 'Status', expires: 'This link expires', frames: 'Frames', frameAt: 'Frame at', noFrames: 'No frames in this window.', track: 'Track', points: 'points', noTrack: 'No GPS fixes in this window.', incident: 'Incident', statuses: { open: 'open', acknowledged: 'acknowledged', resolved: 'resolved', false_positive: 'false positive', withdrawn: 'withdrawn' } as Record<string, string> },
  es: { vehicle: 'Vehículo', from: 'Desde', lastSeen: 'Visto por última vez', status: 'Estado', expires: 'Este enlace caduca', frames: 'Imágenes', frameAt: 'Imagen de las', noFrames: 'No hay imágenes en este intervalo.', track: 'Recorrido', points: 'puntos', noTrack: 'No hay posiciones GPS en este intervalo.', incident: 'Incidente', statuses: { open: 'abierto', acknowledged: 'confirmado', resolved: 'resuelto', false_positive: 'falso positivo', withdrawn: 'retirado' } as Record<string, string> },
} as const;

export function renderSharedIncidentPage(evidence: IncidentEvidence, expiresAt: Date, locale: 'es' | 'en' = 'en'): string {
  const incident = evidence.incident as Record<string, unknown>;
  const l = LABELS[locale];
  const type = incidentLabel(String(incident.type), locale);
  const frames = evidence.frames
    .map(
      (f) => `<li><figure><img src="${escape(f.download_url)}" alt="${l.frameAt} ${escape(f.captured_at)}" width="${escape(f.width ?? 320)}" loading="lazy">` +
        `<figcaption>${escape(f.captured_at)} · ${escape(f.analysis.status)}${f.analysis.type ? ` · ${escape(incidentLabel(f.analysis.type, locale))} (${escape(severityLabel(String(f.analysis.severity), locale))})` : ''}${f.analysis.description ? ` — ${escape(f.analysis.description)}` : ''}</figcaption></figure></li>`,
    )
    .join('');
  const track = evidence.track.points
    .map((p) => `<li>${escape(p.at)}: ${escape(p.latitude.toFixed(6))}, ${escape(p.longitude.toFixed(6))}${p.speed_kmh === null ? '' : ` · ${escape(Math.round(p.speed_kmh))} km/h`}</li>`)
    .join('');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${l.incident}: ${escape(type)} — TaxiWatch</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:60rem}img{max-width:100%;height:auto}ul{padding-left:1.2rem}figure{margin:0 0 1rem}</style>
</head><body>
<h1>${escape(type)} (${escape(severityLabel(String(incident.severity), locale))})</h1>
<p>${escape(incident.description)}</p>
<dl><dt>${l.vehicle}</dt><dd>${escape(evidence.vehicle?.plate)}</dd><dt>${l.from}</dt><dd>${escape(incident.occurred_at)}</dd><dt>${l.lastSeen}</dt><dd>${escape(incident.last_seen_at)}</dd>
<dt>${l.status}</dt><dd>${escape(l.statuses[String(incident.status)] ?? incident.status)}</dd><dt>${l.expires}</dt><dd>${escape(expiresAt.toISOString())}</dd></dl>
<h2>${l.frames} (${evidence.frames.length})</h2>${frames ? `<ul>${frames}</ul>` : `<p>${l.noFrames}</p>`}
<h2>${l.track} (${evidence.track.points.length} ${l.points})</h2>${track ? `<ol>${track}</ol>` : `<p>${l.noTrack}</p>`}
</body></html>`;
}
