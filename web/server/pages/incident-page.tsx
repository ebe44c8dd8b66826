/**
 * /incidents/:id: what happened (type, severity, the AI's or the telemetry rule's explanation), the frames before
 * and after, the map around it with the track that led there, and the review actions.
 */
import EvidencePlayer, { type PackItem } from '../../islands/evidence-player.tsx';
import FrameLabel, { type ModelSummary } from '../../islands/frame-label.tsx';
import { mapTiles } from '../../../edge/config.ts';
import EvidenceViewer from '../../islands/evidence-viewer.tsx';
import { FleetText } from '../../islands/fleet-text.tsx';
import IncidentReview from '../../islands/incident-review.tsx';
import SpotMap from '../../islands/spot-map.tsx';
import { incidentTypeLabel, labelOf } from '../../i18n/labels.ts';
import type { MessageKey } from '../../i18n/messages-en.ts';
import { Island } from '../island.tsx';
import { ApiReadError, type PageContext } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';
import type { ApiIncident } from './incidents-page.tsx';
import { alertDeliveries } from './notification-sections.tsx';

interface EvidenceFrame {
  id: string;
  captured_at: string;
  download_url: string;
  is_incident_frame?: boolean;
  width?: number | null;
  height?: number | null;
}
interface Evidence {
  frames: EvidenceFrame[];
  track: Array<[number, number]>;
}

/** GET /api/v1/incidents/:id/evidence where the server has it; else frames from a minute either side. */
async function evidenceFor(ctx: PageContext, incident: ApiIncident): Promise<Evidence> {
  try {
    const evidence = await ctx.api<{ frames: EvidenceFrame[]; track: { points: Array<{ latitude: number; longitude: number }> } }>(`/api/v1/incidents/${incident.id}/evidence`);
    return { frames: evidence.frames, track: evidence.track.points.map((p) => [p.latitude, p.longitude]) };
  } catch (error) {
    if (!(error instanceof ApiReadError && error.status === 404)) throw error;
  }
  const at = Date.parse(incident.occurred_at);
  const range = `from=${new Date(at - 60_000).toISOString()}&to=${new Date(at + 60_000).toISOString()}`;
  const frames = await ctx.api<{ data: EvidenceFrame[] }>(`/api/v1/frames?vehicle_id=${incident.vehicle_id}&${range}&limit=20`);
  return { frames: frames.data.map((f) => ({ ...f, is_incident_frame: f.id === incident.frame_id })), track: [] };
}

/** "−12 s" / "+3 s": where a frame sits relative to the incident, so before and after read at a glance. */
function secondsFrom(occurredAt: string, capturedAt: string): string {
  const seconds = Math.round((Date.parse(capturedAt) - Date.parse(occurredAt)) / 1000);
  return `${seconds < 0 ? '−' : '+'}${Math.abs(seconds)} s`;
}

export const incidentPage: PageHandler = async (c, ctx) => {
  const { t, dateTime, number } = ctx.i18n;
  const incident = await ctx.api<ApiIncident & { fleet_id: string }>(`/api/v1/incidents/${encodeURIComponent(c.req.param('id') ?? '')}`);
  const [evidence, vehicle, packs, model, delivery] = await Promise.all([
    evidenceFor(ctx, incident),
    ctx.api<{ plate: string }>(`/api/v1/vehicles/${incident.vehicle_id}`),
    ctx.api<{ data: PackItem[] }>(`/api/v1/incidents/${incident.id}/evidence-packs`),
    // What the fleet's vision model has learned so far: shown beside the frame an owner can label.
    incident.source === 'vision' && incident.frame_id ? ctx.api<ModelSummary>(`/api/v1/vision/model?fleet_id=${encodeURIComponent(incident.fleet_id)}`).catch(() => null) : null,
    // Who was notified and escalated to, and each push and email's fate.
    alertDeliveries(ctx, incident),
  ]);
  const title = `${incidentTypeLabel(t, incident.type)} · ${vehicle.plate}`;
  return {
    title,
    body: (
      <>
        <p>
          <a href="/incidents">← {t('incident.back')}</a>
        </p>
        <h1>
          <span class={`sev sev-${incident.severity}`}>{labelOf(t, 'severity', incident.severity)}</span> {title}
        </h1>
        <div class="incident-grid">
          <section class="card" aria-labelledby="explanation-title">
            <h2 id="explanation-title">{t('incident.explanation')}</h2>
            <p data-testid="incident-description">{incident.description ? <FleetText fleetLocale={ctx.fleetLocale}>{incident.description}</FleetText> : incidentTypeLabel(t, incident.type)}</p>
            <dl class="facts">
              <dt>{t('incidents.when')}</dt>
              <dd>{dateTime(incident.occurred_at)}</dd>
              <dt>{t('incidents.source')}</dt>
              <dd>{labelOf(t, 'source', incident.source)}</dd>
              {incident.confidence !== null && (
                <>
                  <dt>{t('incident.confidence')}</dt>
                  <dd>{number(incident.confidence * 100)} %</dd>
                </>
              )}
              <dt>{t('incident.occurrences')}</dt>
              <dd>{incident.occurrences}</dd>
            </dl>
          </section>
          <Island name="incident-review" component={IncidentReview} props={{ id: incident.id, status: incident.status, reason: incident.status_reason, canReview: ctx.principal?.role !== 'viewer' }} />
          {delivery}
          {incident.source === 'vision' && incident.frame_id && (
            <Island name="frame-label" component={FrameLabel} props={{ frameId: incident.frame_id, model, canLabel: ctx.principal?.role !== 'viewer' }} />
          )}
          {incident.latitude !== null && incident.longitude !== null && (
            <section class="card" aria-labelledby="where-title">
              <h2 id="where-title">{t('incident.location')}</h2>
              <Island name="spot-map" component={SpotMap} props={{ latitude: incident.latitude, longitude: incident.longitude, track: evidence.track, ...mapTiles(ctx.config) }} />
            </section>
          )}
          <Island name="evidence-player" component={EvidencePlayer} props={{ incidentId: incident.id, packs: packs.data.map(({ id, created_at, frames, file_url }) => ({ id, created_at, frames, file_url })), canCreate: ctx.principal?.role !== 'viewer' }} />
          <section class="card evidence" aria-labelledby="evidence-title">
            <h2 id="evidence-title">{t('incident.evidence')}</h2>
            {evidence.frames.length === 0 && <p>{t('incident.noEvidence')}</p>}
            {evidence.frames.length > 0 && (
              <Island
                name="evidence-viewer"
                component={EvidenceViewer}
                props={{
                  frames: evidence.frames.map((frame) => ({ id: frame.id, url: frame.download_url, capturedAt: frame.captured_at, offset: secondsFrom(incident.occurred_at, frame.captured_at), isIncidentFrame: frame.is_incident_frame ?? false, width: frame.width ?? null, height: frame.height ?? null })),
                  canAnalyse: ctx.principal?.role !== 'viewer',
                }}
              />
            )}
          </section>
        </div>
      </>
    ),
  };
};
