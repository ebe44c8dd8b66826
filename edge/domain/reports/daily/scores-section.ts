/**
 * The drivers' safety scores for the report day (the same formula as the leaderboard, docs/use/safety-scores.md): the
 * best and the worst, each against the previous 7 days taken together, and how many drivers wait for coaching.
 * Drivers who did not drive have no score and are left out.
 */
import { shiftDay } from '../../fleet-time.ts';
import { coachingQueue } from '../../scores/coaching.ts';
import { leaderboard } from '../../scores/leaderboard.ts';
import type { ReportContext } from '../report-context.ts';
import { dailySection } from './daily-section.ts';

const SHOWN = 3;

export interface DayScore {
  driverId: string;
  name: string;
  score: number;
  km: number;
  /** Score minus the score over the 7 days before (as one period); null when the driver did not drive then. */
  change: number | null;
}

async function load(ctx: ReportContext) {
  const fleet = { id: ctx.fleet.id, timezone: ctx.fleet.timezone };
  const day = ctx.to;
  const previous = { first_day: shiftDay(day, -7), last_day: shiftDay(day, -1) };
  // The queue is the week's holding the report day, so the report reads the same whenever it is produced.
  const [board, week] = await Promise.all([
    leaderboard(ctx.db, fleet, 'day', day, day, { previous }),
    leaderboard(ctx.db, fleet, 'week', day, day),
  ]);
  const queue = await coachingQueue(ctx.db, fleet, week);
  // The board is sorted best first; unscored drivers (no driving) come last and are dropped.
  const scored: DayScore[] = board.drivers
    .filter((d) => d.score !== null)
    .map((d) => ({ driverId: d.id, name: d.name, score: d.score!, km: d.km, change: d.trend }));
  // Like the incident ranking: with few drivers, nobody is both among the best and the worst.
  const best = scored.slice(0, Math.min(SHOWN, Math.ceil(scored.length / 2)));
  const worst = scored.slice(best.length).reverse().slice(0, SHOWN);
  return { best, worst, scored: scored.length, coaching: queue.length, week: week.current };
}

export const scoresSection = dailySection({
  id: 'scores',
  load,
  render(doc, data, { words: w }) {
    doc.heading(w.t('scores'));
    if (data.scored === 0) doc.paragraph(w.t('noScores'), { muted: true });
    else {
      doc.paragraph(w.t('scoresNote'), { muted: true, size: 8.5 });
      const columns = [
        { title: w.t('driver'), width: 4 },
        { title: w.t('score'), width: 1.4, align: 'right' as const },
        { title: w.t('vs7days'), width: 2, align: 'right' as const },
      ];
      const signed = (n: number | null) =>
        n === null ? '—' : n === 0 ? '=' : `${n > 0 ? '+' : '-'}${w.number(Math.abs(n))}`;
      const rows = (list: DayScore[]) => list.map((d) => [d.name, w.number(d.score), signed(d.change)]);
      doc.subheading(w.t('bestScores'));
      doc.table(columns, rows(data.best));
      if (data.worst.length > 0) {
        doc.subheading(w.t('worstScores'));
        doc.table(columns, rows(data.worst));
      }
    }
    doc.figures([{ label: w.t('coachingQueue'), value: w.number(data.coaching), note: w.t('coachingWhere') }]);
  },
});
