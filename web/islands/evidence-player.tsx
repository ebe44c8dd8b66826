/**
 * The incident page's evidence pack: make one, download it, or play it here — the pack itself, checked in the
 * browser first (every file against the signed manifest), then shown as a slideshow at a chosen speed with the
 * taxi's speed and a small map of the track beside each frame. A pack file received from elsewhere can be
 * opened and checked the same way.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { verifyPack } from '../../edge/domain/evidence/pack-format.ts';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { frameDelayMs, nearestFix, readPack, type PackPlayback } from './pack-contents.ts';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface PackItem {
  id: string;
  created_at: string;
  frames: number;
  file_url: string;
}

export interface EvidencePlayerProps {
  incidentId: string;
  packs: PackItem[];
  canCreate: boolean;
}

const SPEEDS = [0.5, 1, 2, 4];

function TrackMap({ playback, at, label }: { playback: PackPlayback; at: number; label: string }) {
  const points = playback.fixes.map(([, lat, lon]) => [lat, lon] as [number, number]);
  if (points.length < 2) return null;
  const lats = points.map((p) => p[0]);
  const lons = points.map((p) => p[1]);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const kx = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
  const span = Math.max((maxLon - minLon) * kx, maxLat - minLat, 1e-5);
  const xy = ([lat, lon]: [number, number]) => [5 + (((lon - minLon) * kx) / span) * 90, 95 - ((lat - minLat) / span) * 90];
  const here = nearestFix(playback.fixes, at);
  return (
    <svg class="pack-map" viewBox="0 0 100 100" role="img" aria-label={label}>
      <polyline points={points.map((p) => xy(p).join(',')).join(' ')} fill="none" stroke="#2563eb" stroke-width="1.5" />
      {playback.incident && <circle cx={xy(playback.incident)[0]} cy={xy(playback.incident)[1]} r="2.5" fill="#dc2626" />}
      {here && <circle cx={xy([here[1], here[2]])[0]} cy={xy([here[1], here[2]])[1]} r="3" fill="#0f172a" stroke="#fff" stroke-width="1" />}
    </svg>
  );
}

export default function EvidencePlayer({ incidentId, packs: initial, canCreate }: EvidencePlayerProps) {
  const { t, dateTime, number } = useI18n();
  const packs = useSignal(initial);
  const create = useAction();
  const playback = useSignal<PackPlayback | null>(null);
  const check = useSignal<{ ok: boolean; lines: string[] } | null>(null);
  const index = useSignal(0);
  const playing = useSignal(false);
  const speed = useSignal(1);
  const loading = useSignal(false);

  const open = async (bytes: Uint8Array) => {
    const verdict = await verifyPack(bytes);
    check.value = { ok: verdict.ok, lines: verdict.ok ? [t('pack.intact', { key: verdict.manifest!.signature.key_id })] : verdict.problems };
    playback.value?.frames.forEach((f) => URL.revokeObjectURL(f.url));
    playback.value = verdict.manifest ? readPack(verdict, (b) => URL.createObjectURL(new Blob([b as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }))) : null;
    index.value = 0;
    playing.value = false;
  };
  const play = async (pack: PackItem) => {
    loading.value = true;
    try {
      const res = await fetch(pack.file_url, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`${res.status}`);
      await open(new Uint8Array(await res.arrayBuffer()));
      playing.value = true;
    } catch (e) {
      check.value = { ok: false, lines: [e instanceof Error ? e.message : String(e)] };
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    const frames = playback.value?.frames ?? [];
    if (!playing.value || frames.length === 0) return;
    const current = frames[index.value];
    const timer = setTimeout(() => {
      if (index.value + 1 >= frames.length) playing.value = false;
      else index.value++;
    }, frameDelayMs(current, frames[index.value + 1], speed.value));
    return () => clearTimeout(timer);
  }, [playing.value, index.value, speed.value, playback.value]);

  const frames = playback.value?.frames ?? [];
  const frame = frames[index.value];
  const fix = frame && playback.value ? nearestFix(playback.value.fixes, frame.capturedAt) : null;
  return (
    <section class="card evidence-pack" aria-labelledby="pack-title" data-testid="evidence-pack">
      <h2 id="pack-title">{t('pack.title')}</h2>
      <p class="muted">{t('pack.intro')}</p>
      {packs.value.length === 0 && <p>{t('pack.none')}</p>}
      {packs.value.slice(0, 3).map((pack) => (
        <div class="actions pack-row">
          <span>{t('pack.made', { time: dateTime(pack.created_at), frames: pack.frames })}</span>
          <button type="button" onClick={() => play(pack)} disabled={loading.value}>
            {t('pack.play')}
          </button>
          <a class="button-link secondary" href={pack.file_url} download>
            {t('pack.download')}
          </a>
        </div>
      ))}
      {canCreate && (
        <p class="actions">
          <button type="button" class="secondary" disabled={create.busy} onClick={() => create.run(async () => void (packs.value = [await api<PackItem>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/evidence-packs`, { method: 'POST' }), ...packs.value]), t('pack.created'))}>
            {t('pack.create')}
          </button>
        </p>
      )}
      <ActionNote note={create.note} />
      <label for="pack-file">{t('pack.open')}</label>
      <input id="pack-file" type="file" accept=".zip,application/zip" onChange={async (e) => {
        const file = (e.currentTarget as HTMLInputElement).files?.[0];
        if (file) await open(new Uint8Array(await file.arrayBuffer()));
      }} />
      {loading.value && <p role="status">{t('pack.loading')}</p>}
      {check.value && (
        <div role={check.value.ok ? 'status' : 'alert'} class={check.value.ok ? 'done' : 'error'} data-testid="pack-check" data-ok={String(check.value.ok)}>
          {!check.value.ok && <p>{t('pack.broken')}</p>}
          <ul class="plain">
            {check.value.lines.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {playback.value && frames.length === 0 && <p>{t('pack.noFrames')}</p>}
      {playback.value && frame && (
        <div class="pack-player" data-testid="pack-player" data-index={index.value}>
          <figure>
            <img src={frame.url} alt={t('pack.frame', { n: index.value + 1, total: frames.length, offset: number(frame.offsetS, 1) })} />
            <figcaption>
              {t('pack.frame', { n: index.value + 1, total: frames.length, offset: number(frame.offsetS, 1) })} · <strong data-testid="pack-speed">{fix?.[3] !== null && fix?.[3] !== undefined ? t('pack.kmh', { speed: number(fix[3]) }) : t('pack.noSpeed')}</strong>
            </figcaption>
          </figure>
          <TrackMap playback={playback.value} at={frame.capturedAt} label={t('pack.map')} />
          <div class="actions">
            <button type="button" onClick={() => (playing.value = !playing.value)}>
              {playing.value ? t('pack.pause') : t('pack.play')}
            </button>
            <label class="toggle">
              {t('pack.speed')}
              <select value={String(speed.value)} onChange={(e) => (speed.value = Number((e.currentTarget as HTMLSelectElement).value))}>
                {SPEEDS.map((s) => (
                  <option value={String(s)}>{`${s}×`}</option>
                ))}
              </select>
            </label>
          </div>
          <label for="pack-slider" class="visually-hidden">
            {t('pack.slider')}
          </label>
          <input id="pack-slider" type="range" min={0} max={frames.length - 1} value={index.value} onInput={(e) => (index.value = Number((e.currentTarget as HTMLInputElement).value))} />
        </div>
      )}
    </section>
  );
}
