/**
 * Safety scores for the assistant: who needs coaching this week (the coaching queue) and one driver's weekly score
 * with its trend — both from domain/scores, scoped to the asker's fleet.
 */
import { z } from 'zod';
import { queueFor } from '../../scores/coaching.ts';
import { driverScores } from '../../scores/driver-scores.ts';
import { fleetToday } from '../../scores/leaderboard.ts';
import type { Lang } from '../format.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { driverField } from './schemas.ts';
import { isProblem, problemAnswer, resolveSubjects, type SubjectProblem } from './subjects.ts';

const queueInput = z.object({}).strict();
interface QueueOutput {
  first_day: string;
  last_day: string;
  drivers: Array<{
    driver_id: string;
    name: string;
    score: number | null;
    trend: number | null;
    reasons: string[];
    critical_incidents: number;
  }>;
}

const fleetOf = (ctx: ToolContext) => ({ id: ctx.principal.fleetId ?? ctx.fleet.id, timezone: ctx.fleet.timezone });

const reasonWords = (r: string, d: QueueOutput['drivers'][number], es: boolean) =>
  r === 'score_drop'
    ? es
      ? `bajó ${Math.abs(d.trend ?? 0)} puntos`
      : `fell ${Math.abs(d.trend ?? 0)} points`
    : es
      ? `${d.critical_incidents} incidente(s) crítico(s)`
      : `${d.critical_incidents} critical incident(s)`;

export const coachingQueueTool = defineTool<z.output<typeof queueInput>, QueueOutput>({
  name: 'coaching_queue',
  description:
    'Drivers who need coaching this week: weekly safety score fell by more than 10 points, or a CRITICAL incident, with no coaching session since the week began.',
  input: queueInput,
  async run(ctx) {
    const { board, queue } = await queueFor(ctx.db, fleetOf(ctx), 'week', ctx.now);
    return {
      first_day: board.current.first_day,
      last_day: board.current.last_day,
      drivers: queue.map(({ driver_id, name, score, trend, reasons, critical_incidents }) => ({
        driver_id,
        name,
        score,
        trend,
        reasons,
        critical_incidents,
      })),
    };
  },
  answer(o, lang: Lang) {
    const es = lang === 'es';
    if (o.drivers.length === 0) return es ? 'Nadie necesita coaching esta semana.' : 'Nobody needs coaching this week.';
    const lines = o.drivers.map(
      (d) => `${d.name} (${d.score ?? '—'}; ${d.reasons.map((r) => reasonWords(r, d, es)).join(', ')})`,
    );
    return es
      ? `Necesitan coaching esta semana: ${lines.join('; ')}.`
      : `Needing coaching this week: ${lines.join('; ')}.`;
  },
  links: (o, lang) => [
    { label: lang === 'es' ? 'Ver la clasificación' : 'See the leaderboard', href: '/scores' },
    ...o.drivers.slice(0, 3).map((d) => ({ label: d.name, href: `/drivers/${encodeURIComponent(d.driver_id)}` })),
  ],
  recognise(q) {
    return /\b(coaching|coach\w*|entrena\w*|formacion|hablar con|talk to)\b/.test(q.text)
      ? { score: 0.95, input: {} }
      : null;
  },
});

const scoreInput = z.object({ driver: driverField }).strict();
type ScoreOutput =
  | {
      driver: { id: string; name: string };
      first_day: string;
      last_day: string;
      score: number | null;
      trend: number | null;
      percentile: number | null;
      km: number;
      incidents: number;
    }
  | SubjectProblem;

export const driverScoreTool = defineTool<z.output<typeof scoreInput>, ScoreOutput>({
  name: 'driver_score',
  description:
    "A driver's safety score this week (0–100, null without driving), its trend against last week and fleet percentile.",
  input: scoreInput,
  async run(ctx, i) {
    const subjects = await resolveSubjects(ctx, i);
    if (isProblem(subjects)) return subjects;
    const driver = subjects.driver!;
    const fleet = fleetOf(ctx);
    const today = fleetToday(fleet, ctx.now);
    const s = await driverScores(ctx.db, fleet, driver.id, 'week', today, today, today);
    const l = s.latest!;
    return {
      driver: { id: driver.id, name: driver.name },
      first_day: l.first_day,
      last_day: l.last_day,
      score: l.score,
      trend: l.trend,
      percentile: l.percentile,
      km: l.km,
      incidents: l.incidents,
    };
  },
  answer(o, lang: Lang) {
    if (isProblem(o)) return problemAnswer(o, lang);
    const es = lang === 'es';
    if (o.score === null)
      return es
        ? `${o.driver.name} no ha conducido esta semana, así que no tiene puntuación.`
        : `${o.driver.name} has not driven this week, so there is no score.`;
    const trend =
      o.trend === null
        ? ''
        : es
          ? ` (${o.trend >= 0 ? '+' : ''}${o.trend} frente a la semana pasada)`
          : ` (${o.trend >= 0 ? '+' : ''}${o.trend} against last week)`;
    return es
      ? `La puntuación de seguridad de ${o.driver.name} esta semana es ${o.score}${trend}: ${o.incidents} incidentes en ${o.km} km, percentil ${o.percentile ?? '—'} de la flota.`
      : `${o.driver.name}'s safety score this week is ${o.score}${trend}: ${o.incidents} incidents in ${o.km} km, fleet percentile ${o.percentile ?? '—'}.`;
  },
  links: (o, lang) =>
    isProblem(o)
      ? []
      : [
          {
            label: lang === 'es' ? `Ficha de ${o.driver.name}` : `${o.driver.name}'s scorecard`,
            href: `/drivers/${encodeURIComponent(o.driver.id)}`,
          },
        ],
  recognise(q) {
    if (!/\b(score|puntuacion|puntaje|scorecard)\b/.test(q.text)) return null;
    if (q.driver)
      return {
        score: 0.95,
        input: { driver: q.driver.kind === 'found' ? q.driver.item.name : (q.driver.matched ?? []).join(' ') },
      };
    // "Ana's score": the possessive hides the name from the word matcher; the tool resolves it (or says who is unknown).
    const possessive = /([\p{L}][\p{L}-]*)['’]s\s+(safety\s+)?score/iu.exec(q.raw);
    return possessive ? { score: 0.9, input: { driver: possessive[1]! } } : null;
  },
});
