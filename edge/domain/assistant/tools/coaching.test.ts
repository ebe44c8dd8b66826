/** The scores tools answer offline, in Spanish and English, from the asker's fleet only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoresFixture, type ScoresFixture } from '../../../../e2e/support/scores-fixture.ts';
import { loadFleetProfile } from '../fleet-profile.ts';
import { answerOffline } from '../offline/offline-engine.ts';
import type { ToolContext } from '../tool.ts';
import { ASSISTANT_TOOLS } from './index.ts';

describe('assistant scores tools (offline)', () => {
  let f: ScoresFixture;
  let ctx: ToolContext;
  const ask = (question: string, c = ctx) => answerOffline(c, question, { tools: ASSISTANT_TOOLS, fallbackLang: 'en' });

  beforeAll(async () => {
    f = await createScoresFixture({ now: '2026-06-03T10:00:00Z' });
    await f.stint({ fleetId: f.fleetA, vehicleId: f.taxi.A1, driverId: f.driver.ana, from: '2026-05-01T00:00:00Z' });
    // 50 km, one PHONE_USAGE CRITICAL: 4 × 5 = 20 points over 50 km = 40 → 60.
    await f.trip({ fleetId: f.fleetA, vehicleId: f.taxi.A1, at: '2026-06-01T08:00:00Z', km: 50, minutes: 60 });
    await f.incident({
      id: 'as-crit',
      fleetId: f.fleetA,
      vehicleId: f.taxi.A1,
      at: '2026-06-01T08:30:00Z',
      type: 'PHONE_USAGE',
      severity: 'CRITICAL',
    });
    const db = f.platform.db.kysely;
    ctx = {
      db,
      cache: f.platform.cache,
      now: f.platform.clock.now(),
      fleet: await loadFleetProfile(db, f.fleetA),
      principal: { userId: null, role: 'viewer', fleetId: f.fleetA },
    };
  });
  afterAll(() => f?.platform.close());

  it('answers who needs coaching this week, in both languages', async () => {
    const es = await ask('¿quién necesita coaching esta semana?');
    expect(es.text).toBe('Necesitan coaching esta semana: Ana (60; 1 incidente(s) crítico(s)).');
    const en = await ask('who needs coaching this week?');
    expect(en.text).toBe('Needing coaching this week: Ana (60; 1 critical incident(s)).');
  });

  it("answers a driver's score", async () => {
    const en = await ask("what is Ana's score?");
    expect(en.text).toBe("Ana's safety score this week is 60: 1 incidents in 50 km, fleet percentile 50.");
    const es = await ask('¿cuál es la puntuación de Bruno?');
    expect(es.text).toBe('Bruno no ha conducido esta semana, así que no tiene puntuación.');
  });

  it("never reaches another fleet's drivers", async () => {
    const other = {
      ...ctx,
      fleet: await loadFleetProfile(ctx.db, f.fleetB),
      principal: { userId: null, role: 'viewer' as const, fleetId: f.fleetB },
    };
    expect((await ask('who needs coaching this week?', other)).text).toBe('Nobody needs coaching this week.');
    expect((await ask("what is Ana's score?", other)).text).not.toContain('60');
  });
});
