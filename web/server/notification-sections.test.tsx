/**
 * The notification pieces of the settings and incident pages, over a fake API (the notifications API is the
 * server's): what each reads, what it shows, and that a refusing or absent API leaves the piece out.
 */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../edge/domain/auth/access-tokens.ts';
import { i18nFor } from '../i18n/messages.ts';
import { I18nContext } from '../islands/use-i18n.ts';
import { ApiReadError, type PageContext } from './page-context.ts';
import {
  alertDeliveries,
  EscalationSection,
  notificationSettings,
  PushCardSection,
} from './pages/notification-sections.tsx';

function fakeContext(
  routes: Record<string, unknown>,
  principal: Partial<Principal> | null = { userId: 'u1', fleetId: 'f1', role: 'owner' },
) {
  const asked: string[] = [];
  const ctx = {
    principal: principal as Principal | null,
    i18n: i18nFor('en', 'Europe/Madrid'),
    fleetName: 'Radio Taxi Sur',
    fleetLocale: 'es',
    config: {} as PageContext['config'],
    now: () => Date.parse('2026-06-01T09:00:00Z'),
    async api<T>(path: string): Promise<T> {
      asked.push(path);
      const route = Object.keys(routes).find((prefix) => path.startsWith(prefix));
      const answer = route === undefined ? 404 : routes[route];
      if (typeof answer === 'number') throw new ApiReadError(answer, path, { error: { code: 'x', message: 'x' } });
      return answer as T;
    },
  } satisfies PageContext;
  return { ctx, asked };
}

// Pages render inside the language's context (render-page.tsx); so do these pieces here.
const html = (node: unknown) =>
  renderToString(<I18nContext.Provider value={i18nFor('en', 'Europe/Madrid')}>{node as never}</I18nContext.Provider>);
const incident = { id: 'inc_1', vehicle_id: 'veh_1', occurred_at: '2026-06-01T08:00:00Z' };

describe('notification sections', () => {
  it('gives a person their settings filled in over the defaults, and leaves them out without the API or for an API key', async () => {
    const { ctx } = fakeContext({
      '/api/v1/notifications/preferences': {
        channels: { push: { enabled: false, severities: ['CRITICAL'], types: null } },
        quiet_hours: { enabled: true, start: '23:00', end: '06:00', allow_critical: false },
      },
      '/api/v1/notifications/push-subscriptions': {
        items: [
          {
            id: 'ps_1',
            endpoint: 'https://push.example/1',
            user_agent: null,
            created_at: '2026-06-01T08:00:00Z',
            last_used_at: null,
            extra: 'not passed on',
          },
        ],
      },
    });
    const settings = html(await notificationSettings(ctx));
    expect(settings).toContain('data-island="notification-settings"');
    expect(settings).toMatch(/id="push-enabled" name="push_enabled"\/?>/);
    // Email was missing from the answer: the defaults (on, CRITICAL) fill it.
    expect(settings).toMatch(/id="email-enabled" name="email_enabled" checked/);
    expect(settings).toMatch(/id="quiet-start" name="quiet_start" type="time" value="23:00"/);
    expect(settings).toContain('<strong>Browser</strong>');
    expect(settings).not.toContain('not passed on');
    expect(await notificationSettings(fakeContext({}).ctx)).toBeNull();
    expect(await notificationSettings(fakeContext({ '/api/v1/notifications': 403 }).ctx)).toBeNull();
    expect(
      await notificationSettings(
        fakeContext({}, { userId: 'u1', fleetId: 'f1', role: 'owner', apiKey: { id: 'k1' } } as never).ctx,
      ),
    ).toBeNull();
    await expect(notificationSettings(fakeContext({ '/api/v1/notifications/preferences': 500 }).ctx)).rejects.toThrow(
      'answered 500',
    );
  });

  it('offers the push card to people only, and escalation once the fleet carries it', () => {
    expect(html(PushCardSection({ ctx: fakeContext({}).ctx }))).toContain('data-island="push-card"');
    expect(PushCardSection({ ctx: fakeContext({}, null).ctx })).toBeNull();
    expect(EscalationSection({ fleetId: 'f1', notifications: undefined, people: [] })).toBeNull();
    const escalation = html(
      EscalationSection({
        fleetId: 'f1',
        notifications: { escalate_after_minutes: 5, escalation_list: ['u2'] },
        people: [{ id: 'u2', email: 'luis@fleet.es', name: null, role: 'viewer' } as never],
      }),
    );
    expect(escalation).toContain('data-island="escalation-settings"');
    expect(escalation).toContain('data-user-id="u2"');
    expect(escalation).not.toContain('viewer');
  });

  it('finds the incident’s alert among its taxi’s and shows its timeline and delivery log', async () => {
    const { ctx, asked } = fakeContext({
      '/api/v1/alerts?': {
        data: [
          { id: 'al_9', incident_id: 'inc_other' },
          { id: 'al_1', incident_id: 'inc_1' },
        ],
        next_cursor: null,
      },
      '/api/v1/alerts/al_1/timeline': {
        items: [{ kind: 'notified', detail: { user_email: 'ana@fleet.es' }, at: '2026-06-01T08:00:02Z' }],
      },
      '/api/v1/alerts/al_1/deliveries': {
        items: [
          {
            id: 'd1',
            user_id: 'u1',
            user_email: 'ana@fleet.es',
            channel: 'push',
            target: 'Chrome · Android',
            reason: 'alert',
            status: 'sent',
            attempts: 1,
            last_error: null,
            created_at: '2026-06-01T08:00:01Z',
            sent_at: '2026-06-01T08:00:02Z',
          },
        ],
      },
    });
    const shown = html(await alertDeliveries(ctx, incident));
    expect(asked[0]).toBe('/api/v1/alerts?incident_id=inc_1&limit=1');
    expect(shown).toContain('&quot;alertId&quot;:&quot;al_1&quot;');
    expect(shown).toContain('Notified ana@fleet.es');
    expect(shown).toContain('data-testid="delivery-log"');
  });

  it('shows a viewer the timeline without the log when the API keeps it from them, and nothing without an alert or the API', async () => {
    const viewer = fakeContext(
      {
        '/api/v1/alerts?': { data: [{ id: 'al_1', incident_id: 'inc_1' }], next_cursor: null },
        '/api/v1/alerts/al_1/timeline': { items: [] },
        '/api/v1/alerts/al_1/deliveries': 403,
      },
      { userId: 'u2', fleetId: 'f1', role: 'viewer' },
    );
    const shown = html(await alertDeliveries(viewer.ctx, incident));
    expect(shown).toContain('No notifications sent for this alert.');
    expect(shown).not.toContain('delivery-log');
    expect(
      await alertDeliveries(fakeContext({ '/api/v1/alerts?': { data: [], next_cursor: null } }).ctx, incident),
    ).toBeNull();
    expect(
      await alertDeliveries(
        fakeContext({ '/api/v1/alerts?': { data: [{ id: 'al_1', incident_id: 'inc_1' }], next_cursor: null } }).ctx,
        incident,
      ),
    ).toBeNull();
  });
});
