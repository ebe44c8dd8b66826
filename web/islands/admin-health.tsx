/**
 * The admin console's system health, refreshed every few seconds from GET /api/v1/admin/system: components,
 * ingest rate, queue depth, live viewers, API latency percentiles, event-loop load, vision lag and analysed share per
 * fleet; and the dead letters with a replay button.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api } from '../client/api.ts';
import { useI18n } from './use-i18n.ts';
import type { MessageKey } from '../i18n/messages-en.ts';

export interface SystemReport {
  status: 'ok' | 'down';
  at: string;
  components: Record<string, { status: string; adapter: string; latency_ms: number; error?: string }>;
  ingest: { window_seconds: number; fixes: number; fixes_per_second: number };
  queue: { adapter: string; queued: number | null; running: number | null; dead: number | null; error: string | null };
  live_viewers: number;
  retention?: Array<{ kind: string; deleted_24h: number; deleted_7d: number; deleted_total: number; last_finished_at: string | null; pending_runs: number }> | null;
  api_latency: { window_seconds: number; requests: number; p50_ms: number | null; p95_ms: number | null; p99_ms: number | null };
  vision?: { window_minutes: number; fleets: VisionFleet[] } | null;
  /** Share of the last window the answering instance's event loop was busy; null where the runtime cannot say. */
  event_loop?: { window_seconds: number; utilization: number } | null;
}

/** Above this the instance is full: answers queue behind each other (docs/operate/health-and-metrics.md). */
export const EVENT_LOOP_FULL = 0.9;

export interface VisionFleet {
  fleet_id: string;
  fleet_name: string;
  received: number;
  analysed: number;
  skipped: { stale: number; backlog: number };
  failed: number;
  pending: number;
  analysed_share: number | null;
  lag_p50_s: number | null;
  lag_p95_s: number | null;
  high_lag_p95_s: number | null;
}

export interface DeadLetter {
  id: string;
  name: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

export interface AdminHealthProps {
  system: SystemReport;
  deadLetters: DeadLetter[];
  refreshMs?: number;
}

export default function AdminHealth({ system: initialSystem, deadLetters: initialDead, refreshMs = 5000 }: AdminHealthProps) {
  const { t, time, number, unit } = useI18n();
  const system = useSignal(initialSystem);
  const dead = useSignal(initialDead);
  const problem = useSignal<string | null>(null);
  const replayed = useSignal<Record<string, string>>({});

  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const [next, letters] = await Promise.all([api<SystemReport>('/api/v1/admin/system'), api<{ data: DeadLetter[] }>('/api/v1/admin/dead-letters?limit=50')]);
        if (stopped) return;
        system.value = next;
        dead.value = letters.data;
        problem.value = null;
      } catch (e) {
        if (!stopped) problem.value = e instanceof Error ? e.message : String(e);
      }
    };
    const timer = setInterval(refresh, refreshMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  const replay = async (id: string) => {
    try {
      await api(`/api/v1/admin/dead-letters/${encodeURIComponent(id)}/replay`, { method: 'POST' });
      replayed.value = { ...replayed.value, [id]: t('admin.replayed') };
      dead.value = dead.value.filter((d) => d.id !== id);
    } catch (e) {
      replayed.value = { ...replayed.value, [id]: e instanceof Error ? e.message : String(e) };
    }
  };

  const s = system.value;
  const ms = (value: number | null) => unit(value, 'ms', 1);
  return (
    <div class="admin-health" data-testid="admin-health" data-status={s.status}>
      <p class="muted" aria-live="polite">
        {problem.value ? <span class="error">{t('admin.stale', { message: problem.value })}</span> : t('admin.updated', { time: time(s.at) })}
      </p>
      <div class="stat-grid">
        <section class="card stat" aria-labelledby="stat-ingest">
          <h2 id="stat-ingest">{t('admin.ingest')}</h2>
          <p class="stat-value" data-testid="ingest-rate">
            {t('admin.fixesPerSecond', { rate: number(s.ingest.fixes_per_second, 2), window: s.ingest.window_seconds })}
          </p>
        </section>
        <section class="card stat" aria-labelledby="stat-queue">
          <h2 id="stat-queue">{t('admin.queue')}</h2>
          <dl class="facts">
            <dt>{t('admin.queued')}</dt>
            <dd data-testid="queue-queued">{number(s.queue.queued)}</dd>
            <dt>{t('admin.running')}</dt>
            <dd>{number(s.queue.running)}</dd>
            <dt>{t('admin.dead')}</dt>
            <dd data-testid="queue-dead">{number(s.queue.dead)}</dd>
          </dl>
          {s.queue.error && <p class="error">{s.queue.error}</p>}
        </section>
        <section class="card stat" aria-labelledby="stat-viewers">
          <h2 id="stat-viewers">{t('admin.viewers')}</h2>
          <p class="stat-value" data-testid="live-viewers">
            {number(s.live_viewers)}
          </p>
        </section>
        <section class="card stat" aria-labelledby="stat-latency">
          <h2 id="stat-latency">{t('admin.latency')}</h2>
          <dl class="facts" data-testid="api-latency">
            <dt>p50</dt>
            <dd>{ms(s.api_latency.p50_ms)}</dd>
            <dt>p95</dt>
            <dd>{ms(s.api_latency.p95_ms)}</dd>
            <dt>p99</dt>
            <dd>{ms(s.api_latency.p99_ms)}</dd>
          </dl>
          <small>{t('admin.latencyWindow', { requests: s.api_latency.requests, window: s.api_latency.window_seconds })}</small>
        </section>
        {s.event_loop && (
          <section class="card stat" aria-labelledby="stat-event-loop">
            <h2 id="stat-event-loop">{t('admin.eventLoop')}</h2>
            <p class="stat-value" data-testid="event-loop">
              {number(Math.round(s.event_loop.utilization * 100))} %
            </p>
            <small>{t('admin.eventLoopWindow', { window: s.event_loop.window_seconds })}</small>
            {s.event_loop.utilization >= EVENT_LOOP_FULL && (
              <p class="error" data-testid="event-loop-full">
                {t('admin.eventLoopFull')}
              </p>
            )}
          </section>
        )}
      </div>
      {s.vision && <VisionTable vision={s.vision} />}
      {s.retention && (
        <section class="card" aria-labelledby="retention-title">
          <h2 id="retention-title">{t('admin.retention')}</h2>
          <div class="table-wrap">
            <table data-testid="retention" class="cards-on-phone" role="table">
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">{t('admin.retentionKind')}</th>
                  <th scope="col" role="columnheader">24 h</th>
                  <th scope="col" role="columnheader">7 d</th>
                  <th scope="col" role="columnheader">{t('admin.retentionTotal')}</th>
                  <th scope="col" role="columnheader">{t('admin.retentionLast')}</th>
                  <th scope="col" role="columnheader">{t('admin.retentionPending')}</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {s.retention.map((r) => (
                  <tr data-retention={r.kind} role="row">
                    <th scope="row" role="rowheader">{t(`admin.retention.${r.kind}` as MessageKey)}</th>
                    <td role="cell" data-label="24 h">{number(r.deleted_24h)}</td>
                    <td role="cell" data-label="7 d">{number(r.deleted_7d)}</td>
                    <td role="cell" data-label={t('admin.retentionTotal')}>{number(r.deleted_total)}</td>
                    <td role="cell" data-label={t('admin.retentionLast')}>{r.last_finished_at ? time(r.last_finished_at) : '—'}</td>
                    <td role="cell" data-label={t('admin.retentionPending')}>{number(r.pending_runs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <section class="card" aria-labelledby="components-title">
        <h2 id="components-title">{t('admin.components')}</h2>
        <div class="table-wrap">
          <table data-testid="components" class="cards-on-phone" role="table">
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">{t('admin.component')}</th>
                <th scope="col" role="columnheader">{t('admin.status')}</th>
                <th scope="col" role="columnheader">{t('admin.adapter')}</th>
                <th scope="col" role="columnheader">{t('admin.latencyMs')}</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {Object.entries(s.components).map(([name, c]) => (
                <tr data-component={name} role="row">
                  <th scope="row" role="rowheader">{name}</th>
                  <td role="cell" data-label={t('admin.status')}>
                    <span class={`pill health-${c.status}`}>{c.status}</span> {c.error && <small class="error">{c.error}</small>}
                  </td>
                  <td role="cell" data-label={t('admin.adapter')}>{c.adapter}</td>
                  <td role="cell" data-label={t('admin.latencyMs')}>{ms(c.latency_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="dead-title">
        <h2 id="dead-title">{t('admin.dead')}</h2>
        {Object.entries(replayed.value).map(([id, message]) => (
          <p role="status" key={id}>
            <code>{id}</code>: {message}
          </p>
        ))}
        {dead.value.length === 0 ? (
          <p>{t('admin.noDeadLetters')}</p>
        ) : (
          <div class="table-wrap">
            <table data-testid="dead-letters" class="cards-on-phone" role="table">
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">{t('admin.job')}</th>
                  <th scope="col" role="columnheader">{t('admin.attempts')}</th>
                  <th scope="col" role="columnheader">{t('admin.lastError')}</th>
                  <th scope="col" role="columnheader">{t('admin.failedAt')}</th>
                  <th scope="col" role="columnheader">
                    <span class="visually-hidden">{t('admin.replay')}</span>
                  </th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {dead.value.map((d) => (
                  <tr key={d.id} data-dead-letter={d.id} role="row">
                    <td role="cell">{d.name}</td>
                    <td role="cell" data-label={t('admin.attempts')}>{d.attempts}</td>
                    <td role="cell" data-label={t('admin.lastError')} class="wrap">{d.lastError ?? '—'}</td>
                    <td role="cell" data-label={t('admin.failedAt')}>{time(d.updatedAt)}</td>
                    <td role="cell" data-label="">
                      <button type="button" onClick={() => replay(d.id)} aria-label={`${t('admin.replay')}: ${d.name} ${d.id}`}>
                        {t('admin.replay')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** Per fleet: how much of what arrived vision analysed, what it let go and why, and how late it was. */
function VisionTable({ vision }: { vision: NonNullable<SystemReport['vision']> }) {
  const { t, number, unit } = useI18n();
  const secs = (value: number | null) => unit(value, 's', 1);
  const share = (f: VisionFleet) => (f.analysed_share === null ? '' : ` (${number(Math.round(f.analysed_share * 100))} %)`);
  return (
    <section class="card" aria-labelledby="vision-title">
      <h2 id="vision-title">{t('admin.vision', { minutes: vision.window_minutes })}</h2>
      {vision.fleets.length === 0 ? (
        <p>{t('admin.visionNone')}</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="vision" class="cards-on-phone" role="table">
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">{t('admin.visionFleet')}</th>
                <th scope="col" role="columnheader">{t('admin.visionReceived')}</th>
                <th scope="col" role="columnheader">{t('admin.visionAnalysed')}</th>
                <th scope="col" role="columnheader">{t('admin.visionSkipped')}</th>
                <th scope="col" role="columnheader">{t('admin.visionPending')}</th>
                <th scope="col" role="columnheader">{t('admin.visionLag')}</th>
                <th scope="col" role="columnheader">{t('admin.visionHighLag')}</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {vision.fleets.map((f) => (
                <tr data-vision-fleet={f.fleet_id} role="row">
                  <th scope="row" role="rowheader">{f.fleet_name}</th>
                  <td role="cell" data-label={t('admin.visionReceived')}>{number(f.received)}</td>
                  <td role="cell" data-label={t('admin.visionAnalysed')}>{`${number(f.analysed)}${share(f)}`}</td>
                  <td role="cell" data-label={t('admin.visionSkipped')}>{`${number(f.skipped.stale)} / ${number(f.skipped.backlog)}`}</td>
                  <td role="cell" data-label={t('admin.visionPending')}>{number(f.pending)}</td>
                  <td role="cell" data-label={t('admin.visionLag')}>{`${secs(f.lag_p50_s)} / ${secs(f.lag_p95_s)}`}</td>
                  <td role="cell" data-label={t('admin.visionHighLag')}>{secs(f.high_lag_p95_s)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
