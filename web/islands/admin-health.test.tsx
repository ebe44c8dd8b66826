/** The admin console's health cards, as the server renders them: the event-loop card and its at-capacity warning. */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/messages.ts';
import AdminHealth, { EVENT_LOOP_FULL, type SystemReport } from './admin-health.tsx';
import { I18nContext } from './use-i18n.ts';

const system = (over: Partial<SystemReport>): SystemReport => ({
  status: 'ok',
  at: '2026-06-01T08:00:00Z',
  components: { db: { status: 'ok', adapter: 'postgres', latency_ms: 1.2 } },
  ingest: { window_seconds: 60, fixes: 600, fixes_per_second: 10 },
  queue: { adapter: 'db-queue', queued: 0, running: 0, dead: 0, error: null },
  live_viewers: 2,
  api_latency: { window_seconds: 300, requests: 10, p50_ms: 4, p95_ms: 9, p99_ms: 12 },
  ...over,
});

const render = (report: SystemReport, lang: 'en' | 'es' = 'en') =>
  renderToString(
    <I18nContext.Provider value={i18nFor(lang, 'Europe/Madrid')}>
      <AdminHealth system={report} deadLetters={[]} />
    </I18nContext.Provider>,
  );

describe('admin health', () => {
  it('shows how busy the instance’s event loop was, without a warning while it has room', () => {
    const html = render(system({ event_loop: { window_seconds: 10, utilization: 0.42 } }));
    expect(html).toMatch(/data-testid="event-loop"[^>]*>42 %/);
    expect(html).toContain('share of the last 10 s spent running code');
    expect(html).not.toContain('event-loop-full');
  });

  it('warns that the instance is at capacity from the threshold on, in the admin’s language', () => {
    const full = render(system({ event_loop: { window_seconds: 10, utilization: EVENT_LOOP_FULL } }), 'es');
    expect(full).toContain('data-testid="event-loop-full"');
    expect(full).toContain('Al límite');
    expect(render(system({ event_loop: { window_seconds: 10, utilization: EVENT_LOOP_FULL - 0.01 } }))).not.toContain('event-loop-full');
  });

  it('leaves the card out where the runtime cannot measure its loop (Deno, Workers)', () => {
    expect(render(system({ event_loop: null }))).not.toContain('data-testid="event-loop"');
    expect(render(system({}))).not.toContain('data-testid="event-loop"');
  });
});
