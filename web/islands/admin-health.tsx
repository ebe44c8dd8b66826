/**
 * The admin console's system health, refreshed every few seconds from GET /api/v1/admin/system: components,
 * ingest rate, queue depth, live viewers, API latency percentiles; and the dead letters with a replay button.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api } from '../client/api.ts';
import { useI18n } from './use-i18n.ts';

export interface SystemReport {
  status: 'ok' | 'down';
  at: string;
  components: Record<string, { status: string; adapter: string; latency_ms: number; error?: string }>;
  ingest: { window_seconds: number; fixes: number; fixes_per_second: number };
  queue: { adapter: string; queued: number | null; running: number | null; dead: number | null; error: string | null };
  live_viewers: number;
  api_latency: { window_seconds: number; requests: number; p50_ms: number | null; p95_ms: number | null; p99_ms: number | null };
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
      </div>
      <section class="card" aria-labelledby="components-title">
        <h2 id="components-title">{t('admin.components')}</h2>
        <div class="table-wrap">
          <table data-testid="components">
            <thead>
              <tr>
                <th scope="col">{t('admin.component')}</th>
                <th scope="col">{t('admin.status')}</th>
                <th scope="col">{t('admin.adapter')}</th>
                <th scope="col">{t('admin.latencyMs')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(s.components).map(([name, c]) => (
                <tr data-component={name}>
                  <th scope="row">{name}</th>
                  <td>
                    <span class={`pill health-${c.status}`}>{c.status}</span> {c.error && <small class="error">{c.error}</small>}
                  </td>
                  <td>{c.adapter}</td>
                  <td>{ms(c.latency_ms)}</td>
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
            <table data-testid="dead-letters">
              <thead>
                <tr>
                  <th scope="col">{t('admin.job')}</th>
                  <th scope="col">{t('admin.attempts')}</th>
                  <th scope="col">{t('admin.lastError')}</th>
                  <th scope="col">{t('admin.failedAt')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('admin.replay')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {dead.value.map((d) => (
                  <tr key={d.id} data-dead-letter={d.id}>
                    <td>{d.name}</td>
                    <td>{d.attempts}</td>
                    <td class="wrap">{d.lastError ?? '—'}</td>
                    <td>{time(d.updatedAt)}</td>
                    <td>
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
