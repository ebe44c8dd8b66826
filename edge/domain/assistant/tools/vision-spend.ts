/** What camera analysis cost the fleet in a period (the vision usage report), in estimated US dollars. */
import { z } from 'zod';
import { dailyUsage } from '../../queries/daily-usage.ts';
import { formatNumber, formatUsd, type Lang } from '../format.ts';
import { defineTool } from '../tool.ts';
import { periodField } from './schemas.ts';
import { capital, periodOf, periodWords, type PeriodJson } from './subjects.ts';

const input = z.object({ period: periodField.optional().describe('Default: this_month') }).strict();
type Input = z.output<typeof input>;

interface Output {
  period: PeriodJson;
  /** Usage is kept per UTC day: the days counted. */
  utc_days: { from: string; to: string } | null;
  frames: number;
  model_calls: number;
  cost_usd: number;
}

export const visionSpendTool = defineTool<Input, Output>({
  name: 'vision_spend',
  description: 'What analysing camera frames cost in a period: frames analysed, cloud model calls and estimated US dollars (usage is kept per UTC day).',
  input,
  async run(ctx, i) {
    const { resolved, json } = periodOf(ctx, i.period ?? 'this_month');
    const from = resolved.fromDay ?? resolved.start?.toISOString().slice(0, 10) ?? '2000-01-01';
    const to = resolved.toDay ?? new Date(ctx.now).toISOString().slice(0, 10);
    const { totals } = await dailyUsage(ctx.db, 'vision_usage_daily', { fleetId: ctx.fleet.id, from, to });
    return { period: json, utc_days: { from, to }, frames: totals.frames, model_calls: totals.model_calls, cost_usd: totals.cost_usd };
  },
  answer(o, lang: Lang) {
    const es = lang === 'es';
    return es
      ? `${capital(periodWords(o.period, lang))}: ${formatUsd(o.cost_usd, lang)} en análisis de imágenes (${formatNumber(o.frames, lang)} imágenes analizadas, ${formatNumber(o.model_calls, lang)} llamadas al modelo en la nube). Es una estimación con precios publicados.`
      : `${capital(periodWords(o.period, lang))}: ${formatUsd(o.cost_usd, lang)} on image analysis (${formatNumber(o.frames, lang)} frames analysed, ${formatNumber(o.model_calls, lang)} cloud model calls). An estimate from published prices.`;
  },
  links: (o, lang) => [{ label: lang === 'es' ? 'Uso por día (JSON)' : 'Usage per day (JSON)', href: `/api/v1/frames/usage?from=${o.utc_days?.from ?? ''}&to=${o.utc_days?.to ?? ''}` }],
  recognise(q) {
    const money = /\b(gast\w*|spend\w*|spent|cost\w*|cuest\w*|factura\w*|bill|dinero|money|pagad[oa]|pagamos|paid|pay|precio|price|dolares|dollars?|euros?)\b/.test(q.text);
    const vision = /\b(vision|ia|ai|imagen(es)?|images?|camaras?|cameras?|analisis|analysis|openai|modelo|model|frames?|fotogramas?|fotos?)\b/.test(q.text);
    if (!money || !vision) return null;
    return { score: 0.9, input: { period: q.period } };
  },
});
