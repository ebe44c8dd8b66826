/**
 * Keeps bench section (g) from rotting: vision with one and two `npm run worker` processes and a tiny prioritised
 * load, on Postgres, in the bench's own code path. It checks that the figures are there and finite — never how fast.
 */
import { describe, expect, it } from 'vitest';
import { requiredInCi } from '../support/required-in-ci.ts';
import { postgresReachable } from './bench-db.ts';
import { formatReport } from './report.ts';
import { benchOptions, runBench } from './run.ts';

const postgresUp = requiredInCi(
  await postgresReachable(),
  'Postgres for the bench',
  'start it, or set BENCH_POSTGRES_URL',
);

describe('npm run bench -- --only g (quick smoke)', () => {
  it('reports vision throughput for one and two workers and the prioritised load', { timeout: 900_000 }, async () => {
    const logs: string[] = [];
    const options = {
      ...benchOptions(['--quick', '--db', 'postgres', '--only', 'g']),
      vision: { frames: 3, taxis: 2, frameIntervalSeconds: 1, durationSeconds: 2, highShare: 0.5, drainSeconds: 120 },
      out: null,
      log: (line: string) => logs.push(line),
    };
    const report = await runBench(options);
    const section = report.sections[0];
    expect(section.skipped).toBeUndefined();
    expect(section.error, logs.join('\n')).toBeUndefined();
    const vision = section.vision!;
    expect(vision.throughput.map((r) => [r.workers, r.frames])).toEqual([
      [1, 3],
      [2, 3],
      [2, 3],
      [1, 3],
    ]);
    for (const round of vision.throughput)
      expect(Number.isFinite(round.framesPerSecond), JSON.stringify(round)).toBe(true);
    expect(Number.isFinite(vision.ratio)).toBe(true);
    expect(vision.load).toMatchObject({ taxis: 2, uploadErrors: 0 });
    expect(vision.load!.uploaded).toBeGreaterThan(0);
    expect(Number.isFinite(vision.load!.analysedShare)).toBe(true);
    expect(formatReport(report)).toContain('(g) vision');
  });
});
