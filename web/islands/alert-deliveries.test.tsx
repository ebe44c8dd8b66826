/** An incident's alert: its timeline (who, when) and the delivery log, as the server renders them. */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/messages.ts';
import AlertDeliveries, {
  timelineText,
  timelineWho,
  type AlertDeliveriesProps,
  type Delivery,
} from './alert-deliveries.tsx';
import { I18nContext } from './use-i18n.ts';

const render = (props: AlertDeliveriesProps, lang: 'en' | 'es' = 'en') =>
  renderToString(
    <I18nContext.Provider value={i18nFor(lang, 'Europe/Madrid')}>
      <AlertDeliveries {...props} />
    </I18nContext.Provider>,
  );

const delivery = (over: Partial<Delivery>): Delivery => ({
  id: 'd1',
  user_id: 'u1',
  user_email: 'ana@fleet.es',
  channel: 'push',
  target: 'Chrome · Android',
  reason: 'alert',
  status: 'sent',
  attempts: 1,
  last_error: null,
  created_at: '2026-06-01T08:00:00Z',
  sent_at: '2026-06-01T08:00:01Z',
  ...over,
});

const timeline = [
  { kind: 'notified', detail: { user_email: 'ana@fleet.es', channel: 'push' }, at: '2026-06-01T08:00:01Z' },
  {
    kind: 'escalated',
    detail: { users: [{ user_email: 'luis@fleet.es' }, { email: 'marta@fleet.es' }], step: 1 },
    at: '2026-06-01T08:10:00Z',
  },
  { kind: 'acknowledged', detail: { by_email: 'luis@fleet.es' }, at: '2026-06-01T08:12:30Z' },
];

describe('alert timeline and delivery log', () => {
  it('tells who was notified, escalated to and acknowledged, and when, in the fleet’s timezone', () => {
    const html = render({ alertId: 'al_1', timeline, deliveries: [] });
    expect(html).toContain('<time datetime="2026-06-01T08:00:01Z">01/06/2026, 10:00:01</time> Notified ana@fleet.es');
    expect(html).toContain('Escalated to luis@fleet.es, marta@fleet.es');
    expect(html).toContain('10:12:30</time> Acknowledged by luis@fleet.es');
    expect(html).toContain('Nothing sent yet.');
    const es = render({ alertId: 'al_1', timeline, deliveries: [] }, 'es');
    expect(es).toContain('Escalado a luis@fleet.es, marta@fleet.es');
    expect(es).toContain('Confirmada por luis@fleet.es');
  });

  it('lists each delivery with channel, target, status, attempts and error, labelled for phones', () => {
    const deliveries = [
      delivery({}),
      delivery({
        id: 'd2',
        channel: 'email',
        target: 'ana@fleet.es',
        user_email: 'ana@fleet.es',
        status: 'failed',
        attempts: 3,
        last_error: 'SMTP 451: try again later',
        sent_at: null,
      }),
      delivery({ id: 'd3', status: 'gone', reason: 'escalation', last_error: 'push service answered 410' }),
      delivery({ id: 'd4', status: 'held', attempts: 0, sent_at: null }),
    ];
    const html = render({ alertId: 'al_1', timeline: [], deliveries });
    expect(html).toContain('No notifications sent for this alert.');
    expect(html).toContain('data-testid="delivery-log"');
    expect(html.match(/<tr role="row" data-status=/g)).toHaveLength(4);
    expect(html).toContain('<td role="cell" data-label="Channel">Email</td>');
    expect(html).toContain('<td role="cell" data-label="Status">failed</td>');
    expect(html).toContain('<td role="cell" data-label="Attempts">3</td>');
    expect(html).toContain('<td role="cell" data-label="Error" class="wrap-cell">SMTP 451: try again later</td>');
    expect(html).toContain('data-label="Status">subscription gone</td>');
    expect(html).toContain('data-label="Why">escalation</td>');
    expect(html).toContain('data-label="Status">held (quiet hours)</td>');
    expect(html).toContain('<td role="cell" data-label="To" class="wrap-cell">ana@fleet.es · Chrome · Android</td>');
    const es = render({ alertId: 'al_1', timeline: [], deliveries }, 'es');
    expect(es).toContain('data-label="Estado">fallido</td>');
    expect(es).toContain('data-label="Canal">Correo</td>');
  });

  it('leaves the log out for someone the API keeps it from, and shows a status it does not know as it is', () => {
    const html = render({ alertId: 'al_1', timeline, deliveries: null });
    expect(html).not.toContain('delivery-log');
    expect(html).not.toContain('Delivery log');
    expect(render({ alertId: 'al_1', timeline: [], deliveries: [delivery({ status: 'bounced' })] })).toContain(
      'data-label="Status">bounced</td>',
    );
  });

  it('finds the person however a step records them', () => {
    const t = i18nFor('en').t;
    expect(timelineWho({ user_email: 'a@x.es' }, t)).toBe('a@x.es');
    expect(timelineWho({ emails: ['a@x.es', 'b@x.es'] }, t)).toBe('a@x.es, b@x.es');
    expect(timelineWho({ to: 'admins' }, t)).toBe('admins');
    expect(timelineWho({ user_id: 'u_1' }, t)).toBe('someone');
    expect(timelineWho(null, t)).toBe('someone');
    expect(timelineText({ kind: 'snoozed', detail: { name: 'Ana' }, at: '' }, t)).toBe('snoozed: Ana');
  });
});
