/**
 * Keeps `npm run bench` from rotting: the whole bench in its quick mode with tiny sizes, in this process (the
 * servers still run as children). It checks that every section reports finite numbers — never how fast they are.
 */
import { describe, expect, it } from 'vitest';
import { postgresReachable } from './bench-db.ts';
import { requiredInCi } from '../support/required-in-ci.ts';
import { benchOptions, runBench } from './run.ts';
import { formatReport } from './report.ts';

const postgresUp = requiredInCi(
  await postgresReachable(),
  'Postgres for the bench',
  'start it, or set BENCH_POSTGRES_URL',
);

const finite = (value: unknown, what: string) =>
  expect(Number.isFinite(value), `${what} = ${String(value)}`).toBe(true);

describe('npm run bench (quick smoke)', () => {
  it('reports every section with finite numbers', { timeout: 600_000 }, async () => {
    const logs: string[] = [];
    const options = {
      ...benchOptions(['--quick', '--db', postgresUp ? 'both' : 'pglite']),
      insertRows: 300,
      ingestClients: 2,
      taxis: 4,
      durationSeconds: 1,
      viewers: [3, 6],
      sseSeconds: 0.5,
      // (g) starts five worker processes that each load the offline model: vision-bench.smoke.test.ts runs it alone.
      only: new Set(['a', 'b', 'c', 'd', 'e', 'f']),
      out: null,
      log: (line: string) => logs.push(line),
    };
    const report = await runBench(options);

    expect(report.sections.map((s) => s.db)).toEqual(options.dbs);
    for (const section of report.sections) {
      expect(section.error, logs.join('\n')).toBeUndefined();
      expect(section.skipped).toBeUndefined();
      finite(section.insert?.rowsPerSecond, `${section.db} (a) rows/s`);
      expect(section.insert?.rows).toBe(300);
      finite(section.ingest?.rowsPerSecond, `${section.db} (b) rows/s`);
      expect(section.ingest).toMatchObject({ stored: 300, errors: 0 });
      finite(section.ingestRatio, `${section.db} (b)/(a)`);
      const taxis = section.taxis!;
      expect(taxis.fixes.errors, taxis.fixes.firstError).toBe(0);
      expect(taxis.fixes.ok).toBe(taxis.fixes.scheduled);
      for (const p of ['p50', 'p95', 'p99'] as const) finite(taxis.fixes.latencyMs[p], `${section.db} (c) fixes ${p}`);
      expect(taxis.frames.errors, taxis.frames.firstError).toBe(0);
      expect(taxis.frames.ok).toBe(taxis.frames.scheduled);
      for (const p of ['p50', 'p95', 'p99'] as const)
        finite(taxis.frames.latencyMs[p], `${section.db} (c) frames ${p}`);
      // The 1-s load falls in the first 5-s window, every request answered there.
      expect(taxis.timeline).toEqual([expect.objectContaining({ fromS: 0, answered: taxis.fixes.ok + taxis.frames.ok, failed: 0 })]);
      // One warm-up fix per taxi plus what the load sent (none dropped as a GPS jump); each new frame answered 202.
      expect(taxis.acknowledged.fixes).toBe(taxis.taxis + taxis.fixes.scheduled * taxis.fixesPerRequest);
      expect(taxis.acknowledged.frames).toBe(taxis.frames.scheduled);
      if (section.db === 'postgres') {
        expect({ fixes: taxis.stored?.fixes, frames: taxis.stored?.frames }).toEqual(taxis.acknowledged);
        // Every stored frame is counted under one analysis status (pending until its job has run).
        const statuses = Object.values(taxis.stored?.frameAnalysis ?? {});
        expect(statuses.reduce((sum, n) => sum + n, 0)).toBe(taxis.stored?.frames);
        expect(formatReport(report)).toMatch(/frames by analysis status at the end: [a-z_]+ \d+/);
      }
      expect(section.overlap, `${section.db} (e)`).toMatchObject({ rounds: 2, batches: 10, requests: 20, errors: 0 });
      finite(section.overlap?.latencyMs.p99, `${section.db} (e) p99`);
      expect(section.leaderboard, `${section.db} (f)`).toMatchObject({ drivers: 20, days: 14 });
      finite(section.leaderboard?.week.p95, `${section.db} (f) week p95`);
      finite(section.leaderboard?.month.p95, `${section.db} (f) month p95`);
      expect(section.sse?.map((r) => r.viewers)).toEqual([3, 6]);
      for (const round of section.sse!) {
        for (const which of ['app', 'bare'] as const) {
          const r = round[which];
          expect(r.connected, `${section.db} ${which} ${round.viewers}`).toBe(round.viewers);
          expect(r.deliveries).toBe(r.expectedDeliveries);
          expect(r.expectedDeliveries).toBeGreaterThan(0);
          // Two rounds per server pooled: every latency of both is in the percentiles.
          expect(r.latencyMs.count).toBe(r.deliveries);
          expect(r.events).toBeGreaterThan(0);
          expect(r.events % 2).toBe(0);
          for (const p of ['p50', 'p95', 'p99'] as const)
            finite(r.latencyMs[p], `${section.db} (d) ${which} ${round.viewers} ${p}`);
        }
        finite(round.p95Ratio, `${section.db} (d) ratio`);
      }
    }
    // (d) runs app, bare, bare, app at each size, for each database.
    const fourRounds = ['app, 3 viewers, round 1 of 2', 'bare, 3 viewers, round 1 of 2', 'bare, 3 viewers, round 2 of 2', 'app, 3 viewers, round 2 of 2'];
    const roundLines = logs.filter((line) => /\(d\) (app|bare), 3 viewers, round/.test(line)).map((line) => line.replace(/^.*\(d\) /, ''));
    expect(roundLines).toEqual(options.dbs.flatMap(() => fourRounds));
    expect(report.checks.length).toBeGreaterThan(0);
    for (const check of report.checks) expect(['PASS', 'MISS', 'INFO']).toContain(check.verdict);
    const text = formatReport(report);
    for (const heading of ['(a) raw 100-row INSERT', '(b) app', '(c)', '(d) live feed', '(e) one device', 'Targets'])
      expect(text).toContain(heading);
  });

  it('rejects unknown values of --server-jobs and --connections, and defaults to jobs on and reused connections', () => {
    expect(benchOptions([])).toMatchObject({ serverJobs: true, connections: 'reuse' });
    for (const mode of ['reuse', 'per-request', 'per-taxi']) expect(benchOptions(['--connections', mode]).connections).toBe(mode);
    expect(() => benchOptions(['--server-jobs', 'maybe'])).toThrow('--server-jobs must be on or off');
    expect(() => benchOptions(['--connections', 'some'])).toThrow('--connections must be reuse, per-request or per-taxi, not some');
    expect(() => benchOptions(['--connections', 'per-unit'])).toThrow('--connections must be');
  });

  it.each([
    { flags: ['--server-jobs', 'off'], set: { serverJobs: false }, says: 'the server runs no jobs (--server-jobs off' },
    { flags: ['--connections', 'per-request'], set: { connections: 'per-request' }, says: 'a new connection per request (Connection: close, as the firmware did before keep-alive)' },
    { flags: ['--connections', 'per-taxi'], set: { connections: 'per-taxi' }, says: "each taxi's own keep-alive connection, one request at a time, reused while idle under 50 s" },
  ])('runs (c) with $flags, and says so', { timeout: 300_000 }, async ({ flags, set, says }) => {
    const options = { ...benchOptions(['--quick', '--db', 'pglite', ...flags]), taxis: 4, durationSeconds: 1, only: new Set(['c']), out: null, log: () => {} };
    expect(options).toMatchObject(set);
    const report = await runBench(options);
    const taxis = report.sections[0].taxis!;
    expect(taxis).toMatchObject(set);
    expect(taxis.fixes.errors, taxis.fixes.firstError).toBe(0);
    expect(taxis.frames.errors, taxis.frames.firstError).toBe(0);
    expect(taxis.acknowledged.frames).toBe(taxis.frames.scheduled);
    // Opened during the load: one per request without keep-alive. Per taxi, the warm-up opened each taxi's first, so
    // only a send overlapping another of the same taxi opens one (a fix and a frame due at once: one more per taxi).
    const requests = taxis.fixes.scheduled + taxis.frames.scheduled;
    if (taxis.connections === 'per-request') expect(taxis.connectionsOpened).toBe(requests);
    else if (taxis.connections === 'per-taxi') expect(taxis.connectionsOpened).toBeLessThanOrEqual(taxis.taxis);
    else expect(taxis.connectionsOpened).toBeLessThanOrEqual(requests);
    expect(formatReport(report)).toContain(says);
    expect(formatReport(report)).toContain(`connections opened during the load: ${taxis.connectionsOpened}`);
  });
});
