/**
 * Trip replay: the track on the map, a slider (keyboard: arrows, Page Up/Down, Home/End) that moves a marker from
 * fix to fix, a play button, and a uPlot speed chart whose cursor follows the slider (a click on the chart moves
 * the slider). Incidents are marked on the track and on the chart, and listed with a button that jumps to them.
 * Without a tile URL the map is a plain background: the track still shows.
 */
import { useSignal, useSignalEffect } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { clampIndex, indexAtTime, pointInstant, speedSeries, type ReplayPoint } from './replay-track.ts';
import { incidentTypeLabel, labelOf } from '../i18n/labels.ts';
import { addTiles, MapNote, type MapTiles } from './map-tiles.tsx';
import { useI18n } from './use-i18n.ts';

export interface ReplayIncident {
  id: string;
  type: string;
  severity: string;
  /** Seconds from the trip's start. */
  at: number;
  latitude: number | null;
  longitude: number | null;
}

export interface TripReplayProps extends MapTiles {
  startedAt: string;
  points: ReplayPoint[];
  incidents: ReplayIncident[];
}

const SEVERITY_COLOUR: Record<string, string> = { LOW: '#1d4ed8', MEDIUM: '#92400e', HIGH: '#c2410c', CRITICAL: '#991b1b' };
const PLAY_STEP_MS = 120;

/** Seconds from the start as m:ss (h:mm:ss past an hour), for the chart's axis and legend. */
function elapsed(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(whole % 60)}` : `${m}:${pad(whole % 60)}`;
}

export default function TripReplay({ startedAt, points, incidents, ...tiles }: TripReplayProps) {
  const { t, time, unit } = useI18n();
  const tilesFailed = useSignal(false);
  const index = useSignal(0);
  const playing = useSignal(false);
  const mapElement = useRef<HTMLDivElement>(null);
  const chartElement = useRef<HTMLDivElement>(null);
  const marker = useRef<import('leaflet').CircleMarker | null>(null);
  const chart = useRef<import('uplot') | null>(null);

  useEffect(() => {
    if (points.length === 0) return;
    let disposed = false;
    const cleanups: Array<() => void> = [];
    void Promise.all([import('./leaflet.ts'), import('uplot')]).then(([L, uplot]) => {
      if (disposed || !mapElement.current || !chartElement.current) return;
      const map = L.map(mapElement.current);
      addTiles(L, map, tiles, () => (tilesFailed.value = true));
      L.control.scale({ imperial: false }).addTo(map);
      const line = points.map((p) => [p[1], p[2]] as [number, number]);
      L.polyline(line, { color: '#2563eb', weight: 4 }).addTo(map);
      if (line.length > 1) map.fitBounds(line, { padding: [30, 30], maxZoom: 17 });
      else map.setView(line[0], 16);
      for (const incident of incidents) {
        const at = incident.latitude !== null && incident.longitude !== null ? ([incident.latitude, incident.longitude] as [number, number]) : line[indexAtTime(points, incident.at)];
        L.circleMarker(at, { radius: 8, color: SEVERITY_COLOUR[incident.severity] ?? '#991b1b', fillOpacity: 0.9, className: 'replay-incident' })
          .bindTooltip(`${incidentTypeLabel(t, incident.type)} · ${time(new Date(Date.parse(startedAt) + incident.at * 1000).toISOString())}`)
          .on('click', () => (index.value = indexAtTime(points, incident.at)))
          .addTo(map);
      }
      marker.current = L.circleMarker(line[0], { radius: 9, color: '#0f172a', fillColor: '#f59e0b', fillOpacity: 1, weight: 3, className: 'replay-marker' }).addTo(map);
      cleanups.push(() => map.remove());

      const UPlot = uplot.default;
      const width = chartElement.current.clientWidth || 320;
      const plot = new UPlot(
        {
          width,
          height: 160,
          scales: { x: { time: false } },
          axes: [{ values: (_u, ticks) => ticks.map(elapsed) }, { label: 'km/h', size: 50 }],
          series: [{ label: t('replay.elapsed'), value: (_u, s) => (s === null ? '—' : elapsed(s)) }, { label: t('vehicle.speed'), stroke: '#2563eb', width: 2, spanGaps: false, value: (_u, v) => unit(v, 'km/h') }],
          cursor: { drag: { x: false, y: false }, y: false },
          legend: { show: true },
          hooks: {
            // Incidents as vertical lines across the chart, coloured by severity.
            draw: [
              (u) => {
                const ctx = u.ctx;
                for (const incident of incidents) {
                  const x = u.valToPos(incident.at, 'x', true);
                  ctx.save();
                  ctx.strokeStyle = SEVERITY_COLOUR[incident.severity] ?? '#991b1b';
                  ctx.lineWidth = 2 * devicePixelRatio;
                  ctx.beginPath();
                  ctx.moveTo(x, u.bbox.top);
                  ctx.lineTo(x, u.bbox.top + u.bbox.height);
                  ctx.stroke();
                  ctx.restore();
                }
              },
            ],
          },
        },
        speedSeries(points) as unknown as import('uplot').AlignedData,
        chartElement.current,
      );
      // A click on the chart moves the replay there (the slider stays the keyboard's way).
      plot.over.addEventListener('click', () => {
        if (plot.cursor.idx !== null && plot.cursor.idx !== undefined) index.value = clampIndex(points, plot.cursor.idx);
      });
      chart.current = plot;
      cleanups.push(() => plot.destroy());
      const resize = () => chartElement.current && plot.setSize({ width: chartElement.current.clientWidth || width, height: 160 });
      window.addEventListener('resize', resize);
      cleanups.push(() => window.removeEventListener('resize', resize));
      mapElement.current.dataset.ready = 'true';
      // Place the marker and the chart cursor once both exist.
      moveTo(index.peek());
    });
    return () => {
      disposed = true;
      for (const cleanup of cleanups) cleanup();
    };
  }, []);

  const moveTo = (i: number) => {
    const point = points[i];
    if (!point) return;
    marker.current?.setLatLng([point[1], point[2]]);
    const element = marker.current?.getElement();
    element?.setAttribute('data-position', `${point[1].toFixed(5)},${point[2].toFixed(5)}`);
    element?.setAttribute('data-index', String(i));
    const plot = chart.current;
    if (plot) plot.setCursor({ left: plot.valToPos(point[0], 'x'), top: plot.valToPos(point[3] ?? 0, 'y') });
  };
  useSignalEffect(() => moveTo(index.value));

  useSignalEffect(() => {
    if (!playing.value) return;
    const timer = setInterval(() => {
      if (index.peek() >= points.length - 1) playing.value = false;
      else index.value = index.peek() + 1;
    }, PLAY_STEP_MS);
    return () => clearInterval(timer);
  });

  if (points.length === 0) return <p class="card">{t('replay.noFixes')}</p>;
  const current = points[clampIndex(points, index.value)];
  const instant = pointInstant(startedAt, current);
  const label = `${time(instant)} · ${unit(current[3], 'km/h')}`;

  return (
    <div class="trip-replay">
      <div class="map-area">
        <div ref={mapElement} class="map replay-map" role="region" aria-label={t('replay.map')} data-testid="replay-map" />
        <MapNote tiles={tiles} failed={tilesFailed.value} />
      </div>
      <div class="card replay-controls">
        <div class="replay-row">
          <button type="button" aria-pressed={playing.value} onClick={() => {
            if (!playing.value && index.value >= points.length - 1) index.value = 0;
            playing.value = !playing.value;
          }}>
            {playing.value ? t('replay.pause') : t('replay.play')}
          </button>
          <output for="replay-slider" data-testid="replay-now" aria-live="off">
            {label}
          </output>
        </div>
        <label for="replay-slider">{t('replay.slider')}</label>
        <input
          id="replay-slider"
          type="range"
          min={0}
          max={points.length - 1}
          step={1}
          value={index.value}
          aria-valuetext={label}
          onInput={(e) => {
            playing.value = false;
            index.value = clampIndex(points, (e.currentTarget as HTMLInputElement).value);
          }}
        />
        <div ref={chartElement} class="speed-chart" role="img" aria-label={t('replay.chart')} data-testid="speed-chart" />
      </div>
      {incidents.length > 0 && (
        <section class="card" aria-labelledby="replay-incidents">
          <h2 id="replay-incidents">{t('trips.incidents')}</h2>
          <ul class="plain replay-incidents">
            {incidents.map((incident) => (
              <li key={incident.id}>
                <span class={`sev sev-${incident.severity}`}>{labelOf(t, 'severity', incident.severity)}</span> <a href={`/incidents/${incident.id}`}>{incidentTypeLabel(t, incident.type)}</a>{' '}
                <button type="button" class="secondary" onClick={() => (index.value = indexAtTime(points, incident.at))}>
                  {t('replay.jump', { time: time(new Date(Date.parse(startedAt) + incident.at * 1000).toISOString()) })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
