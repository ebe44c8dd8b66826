/**
 * The development set (built from redistributable photos, PROVENANCE.md) through the real offline models and the
 * evaluation harness: no calm, visible person is flagged; nobody in view is NO_DRIVER; a covered lens is
 * CAMERA_BLOCKED; nothing is billed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineAnalyser } from '../../edge/adapters/analyser/offline-analyser.ts';
import { offlineAnalyserFiles } from '../../edge/runtime/offline-analyser-files.ts';
import { evaluateFolder, type EvalReport } from '../eval-vision/run-eval.ts';
import { buildDevSet, DEV_SET } from './build-dev-set.ts';

describe('vision development set', () => {
  let folder: string;
  let report: EvalReport;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'vision-dev-set-'));
    expect(await buildDevSet(folder)).toBe(DEV_SET.length);
    report = await evaluateFolder({ folder, analyser: 'offline', factories: { offline: () => createOfflineAnalyser(offlineAnalyserFiles()) } });
  }, 300_000);
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('flags no calm person, and finds every empty view and covered lens', () => {
    const recall = (label: string) => report.metrics.classes.find((c) => c.label === label)?.recall;
    expect(report.frames.filter((f) => f.expected === 'NONE' && f.predicted !== 'NONE').map((f) => f.file)).toEqual([]);
    expect(recall('NO_DRIVER')).toBe(1);
    expect(recall('CAMERA_BLOCKED')).toBe(1);
    expect(report.metrics.failures).toBe(0);
  });

  it('bills nothing, and — no camera being calibrated — would ask a cloud about every frame rather than guess', () => {
    expect(report.frames.every((f) => !f.calledModel && f.costUsd === 0)).toBe(true);
    expect(report.routing.every((r) => r.toCloud === r.frames && r.billed === 0)).toBe(true);
  });

  it('is built and evaluated by the commands the docs give (docs/design/vision.md)', async () => {
    const run = promisify(execFile);
    const built = await mkdtemp(join(tmpdir(), 'vision-dev-set-cli-'));
    try {
      const build = await run('npx', ['tsx', 'e2e/vision-dev-set/build-dev-set.ts', built]);
      expect(build.stdout).toContain(`wrote ${DEV_SET.length} images`);
      const evaluated = await run('npm', ['run', '--silent', 'eval:vision', '--', built, '--json'], { maxBuffer: 64 * 1024 * 1024 });
      const cli = JSON.parse(evaluated.stdout) as EvalReport;
      expect(cli.metrics.frames).toBe(DEV_SET.length);
      expect(cli.metrics.detection).toEqual(report.metrics.detection);
      const bench = await run('npm', ['run', '--silent', 'bench:vision-offline', '--', '--frames', '2', '--mode', 'pose-hands', '--json'], { maxBuffer: 64 * 1024 * 1024 });
      expect(JSON.parse(bench.stdout.trim().split('\n').pop()!)).toMatchObject({ mode: 'pose-hands', frames: 2, latencyMs: { p95: expect.any(Number) }, memoryMb: { rssAfter: expect.any(Number) } });
    } finally {
      await rm(built, { recursive: true, force: true });
    }
  }, 300_000);
});
