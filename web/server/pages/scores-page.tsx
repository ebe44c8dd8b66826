/**
 * /scores (the fleet leaderboard with the coaching queue and recognition) and /drivers/:id (a driver's scorecard:
 * score, trend chart, the "why", this week's incidents, coaching history and, for owners, a new-session form).
 * Server-rendered from the scores API; the chart is inline SVG, so it needs no script and fits a phone.
 */
import CoachingForm from '../../islands/coaching-form.tsx';
import DriverShareCard from '../../islands/driver-share-card.tsx';
import { incidentTypeLabel, labelOf } from '../../i18n/labels.ts';
import type { MessageKey } from '../../i18n/messages-en.ts';
import { dayRangeIn } from '../../i18n/zoned-day.ts';
import { Island } from '../island.tsx';
import type { PageContext } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';

interface Line {
  category: string;
  events: number;
  rate: number;
  penalty: number;
}
interface Scored {
  id: string;
  name: string;
  score: number | null;
  trend: number | null;
  percentile: number | null;
  km: number;
  incidents: number;
}
interface Point {
  first_day: string;
  last_day: string;
  score: number | null;
  trend: number | null;
  km: number;
  breakdown: Line[];
}
interface Session {
  id: string;
  notes: string;
  agreed_action: string;
  follow_up_on: string | null;
  created_at: string;
  incidents: Array<{ id: string; type: string }>;
  score_before: { score: number | null };
  score_after: { score: number | null };
}

interface Trip {
  id: string;
  started_at: string;
  distance_m: number | null;
  duration_s: number | null;
  incident_count: number;
}

const signed = (n: number | null) => (n === null ? '—' : n > 0 ? `+${n}` : String(n));

/** A coaching session drawn on the chart: the period it falls in and what a screen reader says for it. */
export interface ChartMarker {
  day: string;
  label: string;
}

/**
 * A polyline of the scores (0–100), broken where a period has no score, with a dot per scored period, and a vertical
 * line at each coaching session's period so the owner sees whether the score rose after it. The SVG is a labelled
 * group (not role="img", whose children a screen reader skips) so each marker keeps its own accessible label.
 */
export function TrendChart({
  points,
  label,
  markers = [],
}: {
  points: Array<{ score: number | null; first_day?: string; last_day?: string }>;
  label: string;
  markers?: ChartMarker[];
}) {
  const w = 320;
  const h = 100;
  const x = (i: number) => (points.length <= 1 ? w / 2 : 8 + (i * (w - 16)) / (points.length - 1));
  const y = (s: number) => 8 + ((100 - s) * (h - 16)) / 100;
  const runs: string[] = [];
  let run: string[] = [];
  points.forEach((p, i) => {
    if (p.score === null) {
      if (run.length) runs.push(run.join(' '));
      run = [];
    } else run.push(`${x(i).toFixed(1)},${y(p.score).toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  // ISO days compare as strings; a session outside the shown periods has no place on the chart.
  const placed = markers
    .map((m) => ({ ...m, at: points.findIndex((p) => p.first_day! <= m.day && m.day <= p.last_day!) }))
    .filter((m) => m.at >= 0);
  return (
    <svg class="score-chart" viewBox={`0 0 ${w} ${h}`} width="100%" role="group" aria-label={label}>
      <line
        x1="0"
        x2={w}
        y1={y(50)}
        y2={y(50)}
        class="score-chart-mid"
        stroke="currentColor"
        stroke-opacity="0.2"
        aria-hidden="true"
      />
      {runs.map((r) => (
        <polyline points={r} fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true" />
      ))}
      {points.map((p, i) =>
        p.score === null ? null : <circle cx={x(i)} cy={y(p.score)} r="3" fill="currentColor" aria-hidden="true" />,
      )}
      {placed.map((m) => (
        <g class="score-chart-coaching" role="img" aria-label={m.label} data-day={m.day}>
          <title>{m.label}</title>
          <line
            x1={x(m.at)}
            x2={x(m.at)}
            y1="2"
            y2={h - 2}
            stroke="currentColor"
            stroke-dasharray="3 3"
            stroke-width="1.5"
          />
        </g>
      ))}
    </svg>
  );
}

export const leaderboardPage: PageHandler = async (_c, ctx) => {
  const { t, number } = ctx.i18n;
  const [board, queue] = await Promise.all([
    ctx.api<{
      current: { first_day: string; last_day: string };
      drivers: Scored[];
      taxis: Scored[];
      recognition: {
        most_improved: { name: string; trend: number } | null;
        longest_streak: { name: string; days: number; at_least: boolean } | null;
      };
    }>('/api/v1/scores?period=week'),
    ctx.api<{
      data: Array<{
        driver_id: string;
        name: string;
        score: number | null;
        trend: number | null;
        critical_incidents: number;
        reasons: string[];
      }>;
    }>('/api/v1/coaching/queue?period=week'),
  ]);
  const rows = (list: Scored[], link: boolean) => (
    <ul class="score-list">
      {list.map((r) => (
        <li class="card score-row">
          <span class="score-name">
            {link ? <a href={`/drivers/${encodeURIComponent(r.id)}`}>{r.name}</a> : r.name}
          </span>
          <strong class="score-value">{r.score === null ? t('scores.noScore') : r.score}</strong>
          <span class="muted">
            {signed(r.trend)} · {number(r.km, 0)} km · {r.incidents} {t('scores.incidents').toLowerCase()}
            {r.percentile !== null ? ` · P${r.percentile}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
  const rec = board.recognition;
  return {
    title: t('scores.title'),
    body: (
      <>
        <h1>{t('scores.title')}</h1>
        <p class="muted">
          {t('scores.week')}: {t('scores.periodRange', { from: board.current.first_day, to: board.current.last_day })}.{' '}
          {t('scores.intro')}
        </p>
        <section class="card" aria-labelledby="queue-title">
          <h2 id="queue-title">{t('scores.queue')}</h2>
          {queue.data.length === 0 ? (
            <p class="muted">{t('scores.queueEmpty')}</p>
          ) : (
            <ul class="coaching-queue">
              {queue.data.map((q) => (
                <li>
                  <a href={`/drivers/${encodeURIComponent(q.driver_id)}`}>{q.name}</a>{' '}
                  <span class="muted">
                    {q.reasons
                      .map((r) =>
                        t(`scores.reason.${r}` as MessageKey, {
                          points: Math.abs(q.trend ?? 0),
                          count: q.critical_incidents,
                        }),
                      )
                      .join(', ')}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {(rec.most_improved || rec.longest_streak) && (
          <p class="recognition">
            {rec.most_improved && (
              <span>
                🏅 {t('scores.mostImproved', { name: rec.most_improved.name, points: rec.most_improved.trend })}{' '}
              </span>
            )}
            {rec.longest_streak && (
              <span>
                ⭐{' '}
                {t('scores.longestStreak', {
                  name: rec.longest_streak.name,
                  days: `${rec.longest_streak.days}${rec.longest_streak.at_least ? '+' : ''}`,
                })}
              </span>
            )}
          </p>
        )}
        <h2>{t('scores.drivers')}</h2>
        {rows(board.drivers, true)}
        <h2>{t('scores.taxis')}</h2>
        {rows(board.taxis, false)}
      </>
    ),
  };
};

export const scorecardPage: PageHandler = async (c, ctx) => {
  const { t, number, dateTime } = ctx.i18n;
  const id = c.req.param('id')!;
  const canWrite = ctx.principal?.role === 'owner' && !ctx.principal.apiKey;
  const scores = await ctx.api<{
    driver: { id: string; name: string };
    series: Point[];
    latest: (Point & { percentile: number | null }) | null;
  }>(`/api/v1/drivers/${encodeURIComponent(id)}/scores?period=week`);
  const latest = scores.latest!;
  // The trips of the shown week, bounded by the fleet's own midnights (the API's `to` is inclusive).
  const weekStart = dayRangeIn(ctx.i18n.timeZone, latest.first_day)![0];
  const weekEnd = new Date(dayRangeIn(ctx.i18n.timeZone, latest.last_day)![1].getTime() - 1);
  const fleetId = ctx.principal?.fleetId;
  const [incidents, sessions, trips, fleet] = await Promise.all([
    ctx.api<{ data: Array<{ id: string; type: string; severity: string; occurred_at: string; status: string }> }>(
      `/api/v1/incidents?driver_id=${encodeURIComponent(id)}&from=${encodeURIComponent(new Date(Date.parse(`${latest.first_day}T00:00:00Z`) - 14 * 3600_000).toISOString())}&limit=50`,
    ),
    ctx.api<{ data: Session[] }>(`/api/v1/drivers/${encodeURIComponent(id)}/coaching-sessions`),
    ctx.api<{ data: Trip[] }>(
      `/api/v1/trips?driver_id=${encodeURIComponent(id)}&from=${weekStart.toISOString()}&to=${weekEnd.toISOString()}&order=desc&limit=50`,
    ),
    // Only owners hand out driver links, so only they need to know whether the fleet lets drivers see their score.
    canWrite && fleetId
      ? ctx.api<{ drivers_see_own_score?: boolean }>(`/api/v1/fleets/${encodeURIComponent(fleetId)}`)
      : Promise.resolve(null),
  ]);
  // The API pages by id (creation order); a scorecard reads best newest drive first.
  const driven = [...trips.data].sort((a, b) => b.started_at.localeCompare(a.started_at));
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.i18n.timeZone });
  const markers = sessions.data.map((s) => {
    const day = dayOf.format(new Date(s.created_at));
    return { day, label: t('scores.coachingMarker', { date: day }) };
  });
  const counted = incidents.data.filter((i) => i.status !== 'false_positive');
  const name = scores.driver.name;
  return {
    title: t('scores.scorecard', { name }),
    body: (
      <>
        <p>
          <a href="/scores">← {t('scores.leaderboard')}</a>
        </p>
        <h1>{t('scores.scorecard', { name })}</h1>
        <section class="card scorecard-head">
          <strong class="score-big" data-testid="score">
            {latest.score === null ? t('scores.noScore') : latest.score}
          </strong>
          <span class="muted">
            {t('scores.week')} · {t('scores.trend')} {signed(latest.trend)} · {t('scores.percentile')}{' '}
            {latest.percentile ?? '—'} · {number(latest.km, 1)} km
          </span>
          <TrendChart
            points={scores.series}
            label={`${t('scores.chartLabel')}: ${scores.series.map((p) => p.score ?? '—').join(', ')}`}
            markers={markers}
          />
          <span class="muted">{t('scores.history')}</span>
        </section>
        <section class="card" aria-labelledby="why-title">
          <h2 id="why-title">{t('scores.why')}</h2>
          <ul class="score-why">
            <li>100</li>
            {latest.breakdown
              .filter((b) => b.penalty > 0)
              .map((b) => (
                <li>
                  {t('scores.penalty', { points: number(b.penalty, 1) })}{' '}
                  {b.category === 'speeding'
                    ? t('scores.whyLine.speeding', { rate: number(b.rate, 1) })
                    : t(`scores.whyLine.${b.category}` as MessageKey)}
                  {b.category !== 'speeding' && (
                    <span class="muted"> ({t('scores.whyEvents', { events: b.events, rate: number(b.rate, 1) })})</span>
                  )}
                </li>
              ))}
          </ul>
          <p class="muted">
            {t('scores.formula')}: {t('scores.intro')}
          </p>
        </section>
        <section class="card" aria-labelledby="incidents-title">
          <h2 id="incidents-title">{t('scores.recentIncidents')}</h2>
          {counted.length === 0 ? (
            <p class="muted">{t('scores.noIncidents')}</p>
          ) : (
            <ul>
              {counted.map((i) => (
                <li>
                  <a href={`/incidents/${encodeURIComponent(i.id)}`}>{incidentTypeLabel(t, i.type)}</a> ·{' '}
                  {labelOf(t, 'severity', i.severity)} · {dateTime(i.occurred_at)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="card" aria-labelledby="trips-title">
          <h2 id="trips-title">{t('scores.trips')}</h2>
          {driven.length === 0 ? (
            <p class="muted">{t('scores.noTrips')}</p>
          ) : (
            <ul class="score-trips">
              {driven.map((trip) => (
                <li data-testid="scorecard-trip">
                  <a href={`/trips/${encodeURIComponent(trip.id)}`}>{dateTime(trip.started_at)}</a> ·{' '}
                  {number((trip.distance_m ?? 0) / 1000, 1)} km · {Math.round((trip.duration_s ?? 0) / 60)} min ·{' '}
                  {trip.incident_count} {t('scores.incidents').toLowerCase()}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="card" aria-labelledby="coaching-title">
          <h2 id="coaching-title">{t('scores.coachingHistory')}</h2>
          {sessions.data.length === 0 ? (
            <p class="muted">{t('scores.noSessions')}</p>
          ) : (
            <ul class="coaching-sessions">
              {sessions.data.map((s) => (
                <li data-testid="coaching-session">
                  <strong>{dateTime(s.created_at)}</strong> ·{' '}
                  {t('scores.before', { score: s.score_before.score ?? '—' })} →{' '}
                  {t('scores.after', { score: s.score_after.score ?? '—' })}
                  {s.agreed_action && <div>{s.agreed_action}</div>}
                  {s.notes && <div class="muted">{s.notes}</div>}
                  {s.incidents.length > 0 && (
                    <div class="muted">{s.incidents.map((i) => incidentTypeLabel(t, i.type)).join(', ')}</div>
                  )}
                  {s.follow_up_on && <div class="muted">{t('scores.followUp', { date: s.follow_up_on })}</div>}
                </li>
              ))}
            </ul>
          )}
        </section>
        {fleet && <ShareWithDriver enabled={fleet.drivers_see_own_score === true} driverId={id} driverName={name} t={t} />}
        {canWrite && (
          <Island
            name="coaching-form"
            component={CoachingForm}
            props={{
              driverId: id,
              incidents: counted.map((i) => ({
                id: i.id,
                label: `${incidentTypeLabel(t, i.type)} · ${dateTime(i.occurred_at)}`,
              })),
            }}
          />
        )}
      </>
    ),
  };
};

/**
 * The "Share with driver" card: the island that makes and withdraws links when the fleet lets drivers see their own
 * score; otherwise a plain, script-free card saying so, pointing at the setting (Settings, fleet form).
 */
function ShareWithDriver({
  enabled,
  driverId,
  driverName,
  t,
}: {
  enabled: boolean;
  driverId: string;
  driverName: string;
  t: PageContext['i18n']['t'];
}) {
  if (enabled)
    return <Island name="driver-share-card" component={DriverShareCard} props={{ driverId, driverName }} />;
  return (
    <section class="card driver-share" aria-labelledby="driver-share-title" data-testid="driver-share">
      <h2 id="driver-share-title">{t('scores.share.title')}</h2>
      <p class="muted">{t('scores.share.off')}</p>
      <p>
        <a href="/settings#settings-drivers-see-own-score">{t('scores.share.settings')}</a>
      </p>
    </section>
  );
}
