/** What looking at frames cost on the day (vision usage is counted per UTC day), against the 7-day average. */
import { shiftDay } from '../../fleet-time.ts';
import type { ReportContext } from '../report-context.ts';
import { dailySection } from './daily-section.ts';

async function load(ctx: ReportContext) {
  const rows = await ctx.db
    .selectFrom('vision_usage_daily')
    .select(['day', 'frames', 'model_calls', 'cost_usd'])
    .where('fleet_id', '=', ctx.fleet.id)
    .where('day', '>=', shiftDay(ctx.to, -7))
    .where('day', '<=', ctx.to)
    .execute();
  const sum = (list: typeof rows, key: 'frames' | 'model_calls' | 'cost_usd') => list.reduce((s, r) => s + Number(r[key]), 0);
  const today = rows.filter((r) => r.day === ctx.to);
  const before = rows.filter((r) => r.day !== ctx.to);
  const pick = (key: 'frames' | 'model_calls' | 'cost_usd') => ({ today: sum(today, key), average: sum(before, key) / 7 });
  return { day: ctx.to, frames: pick('frames'), calls: pick('model_calls'), cost: pick('cost_usd') };
}

export const visionSection = dailySection({
  id: 'vision',
  load,
  render(doc, data, { words: w }) {
    doc.heading(w.t('vision'));
    doc.figures([
      { label: w.t('framesAnalysed'), value: w.number(data.frames.today), note: `(${w.number(data.frames.average, 1)})` },
      { label: w.t('modelCalls'), value: w.number(data.calls.today), note: `(${w.number(data.calls.average, 1)})` },
      { label: w.t('cost'), value: w.number(data.cost.today, 2), note: `(${w.number(data.cost.average, 2)})` },
    ]);
    doc.paragraph(w.t('visionNote', { day: data.day }), { muted: true, size: 8 });
  },
});
