/**
 * The daily report rendered for real and read back with poppler: its text (figures, drivers, expiring items, in
 * the fleet's language), its page count, and its pages as images (kept under test-results/screenshots/ to look at).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { popplerAvailable, readPdf } from '../../../../e2e/support/poppler.ts';
import { REPORT_DAY, seedReportFleet, type ReportFixture } from '../../../../e2e/support/report-fixture.ts';
import { createTestPlatform, type TestPlatform } from '../../../../e2e/support/test-platform.ts';
import { reportContext } from '../report-context.ts';
import { DAILY_SECTIONS, renderDailyReport } from './daily-report.ts';
import { dailySection } from './daily-section.ts';
import { scoresSection } from './scores-section.ts';

describe('daily report PDF', () => {
  let platform: TestPlatform;
  let fixture: ReportFixture;
  const context = async (language: 'es' | 'en') => {
    const fleet = await platform.db.kysely.selectFrom('fleets').selectAll().where('id', '=', fixture.fleetId).executeTakeFirstOrThrow();
    return reportContext({ db: platform.db.kysely, fleet, from: REPORT_DAY, to: REPORT_DAY, language, now: platform.clock.now() });
  };

  beforeAll(async () => {
    platform = await createTestPlatform();
    fixture = await seedReportFleet(platform);
  });
  afterAll(() => platform.close());

  it.skipIf(!popplerAvailable)('reads, in Spanish, the day\'s figures, the drivers, what expires and what is offline', async () => {
    const { bytes, pages } = await renderDailyReport(await context('es'));
    const read = await readPdf(bytes, { outDir: 'test-results/screenshots', name: 'daily-report-es' });
    expect(read.pages).toHaveLength(pages);
    expect(read.images).toHaveLength(pages);
    expect(read.images.every((i) => i.bytes > 2000)).toBe(true);
    const text = read.pages.join('\n').replace(/[ ]+/g, ' ');
    expect(text).toContain('Informe diario · Radio Taxi Ñandú');
    expect(text).toContain('domingo, 31 de mayo de 2026');
    expect(text).toMatch(/Kilómetros\s*[\s\S]*?105,8/); // 42.5 + 20 + 31.25 + 12 km
    expect(text).toContain('Viajes');
    expect(text).toMatch(/Frenada brusca[\s\S]*?2 \(\+100 %\)/); // 2 today against 1 a day
    expect(text).toContain('Uso del móvil');
    expect(text).toMatch(/Ana Ruiz\s+62,5\s+2\s+3,2/);
    expect(text).toContain('Lucía Gómez');
    expect(text).toContain('2026-06-20'); // her licence
    expect(text).toContain('cam-front'); // key expiring in 10 days
    expect(text).toContain('cam-quiet'); // never seen
    expect(text).toMatch(/Imágenes analizadas[\s\S]*?1200/); // frames analysed
    expect(text).toContain('1234-ABC'); // the map's legend
    // Safety scores (hand-computed in the test below): the best two, then the worst, and the coaching queue.
    expect(text).toContain('Puntuación de seguridad');
    expect(text).toMatch(/Mejores puntuaciones[\s\S]*?José Núñez\s+96\s+—\s+Ana Ruiz\s+87\s+\+43/);
    expect(text).toMatch(/Peores puntuaciones[\s\S]*?Lucía Gómez\s+0\s+—/);
    expect(text).toMatch(/Conductores para coaching esta semana\s+1\s+ver \/scores/);
  });

  it("scores the day's drivers by the documented formula, against the 7 days before, and counts the coaching queue", async () => {
    const data = await scoresSection.load(await context('es'));
    // José: 31.25 km in 0.5 h, one 1-minute speeding episode: 2 × (1 min ÷ 0.5 h) = 4 → 96; no driving before → no change.
    // Ana: 62.5 km, two MEDIUM harsh brakings: 2 × 2 × 2 = 8 points ÷ 62.5 km × 100 = 12.8 → 87. The 7 days before:
    // 50 km with seven MEDIUM harsh brakings, 28 ÷ 50 × 100 = 56 → 44, so +43.
    // Lucía: 12 km, one CRITICAL phone use: 4 × 5 = 20 ÷ 12 × 100 = 166.7 → 0 (never below 0).
    expect(data.best.map((d) => [d.name, d.score, d.change])).toEqual([
      ['José Núñez', 96, null],
      ['Ana Ruiz', 87, 43],
    ]);
    expect(data.worst.map((d) => [d.name, d.score, d.change])).toEqual([['Lucía Gómez', 0, null]]);
    expect(data.scored).toBe(3);
    // Lucía's CRITICAL incident puts her in the week's queue; Ana's week (72) has no scored week before to fall from.
    expect(data.coaching).toBe(1);
    expect(data.week).toEqual({ first_day: '2026-05-25', last_day: '2026-05-31' });
  });

  it('leaves out drivers who did not drive that day', async () => {
    const fleet = await platform.db.kysely.selectFrom('fleets').selectAll().where('id', '=', fixture.fleetId).executeTakeFirstOrThrow();
    const day = '2026-05-30'; // only Ana drove: 50 km, one MEDIUM harsh braking: 2 × 2 = 4 points ÷ 50 km × 100 = 8 → 92
    const ctx = reportContext({ db: platform.db.kysely, fleet, from: day, to: day, language: 'en', now: platform.clock.now() });
    const data = await scoresSection.load(ctx);
    // Her 7 days before had incidents but no km: no score then, so no change.
    expect(data.best.map((d) => [d.name, d.score, d.change])).toEqual([['Ana Ruiz', 92, null]]);
    expect(data.worst).toEqual([]);
    expect(data.scored).toBe(1);
  });

  it.skipIf(!popplerAvailable)('writes English for an English fleet, and takes an extra section where it is put', async () => {
    const extra = dailySection({ id: 'extra', load: async () => ({ note: 'An extra section goes here' }), render: (doc, data) => doc.paragraph(data.note) });
    const sections = [...DAILY_SECTIONS.slice(0, 2), extra, ...DAILY_SECTIONS.slice(2)];
    const { bytes } = await renderDailyReport(await context('en'), sections);
    const text = (await readPdf(bytes, { outDir: 'test-results/screenshots', name: 'daily-report-en' })).pages.join('\n');
    expect(text).toContain('Daily report');
    expect(text).toContain('Sunday, 31 May 2026');
    expect(text).toContain('Harsh braking');
    expect(text).toMatch(/Best scores[\s\S]*?José Núñez\s+96\s+—\s+Ana Ruiz\s+87\s+\+43/);
    expect(text).toMatch(/Drivers to coach this week\s+1\s+see \/scores/);
    const order = ['Incidents by type', 'An extra section goes here', 'Where the taxis drove'].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
