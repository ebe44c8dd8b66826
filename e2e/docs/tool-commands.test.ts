/**
 * The build, measurement, benchmark and evaluation commands the documents give, run exactly as written (a
 * synopsis's `[optional parts]` and `<folder>` filled in). They check that each command runs and says what the
 * documents promise; the figures themselves are not judged here (benchmarks report, tests do not time).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { fillPlaceholders, runDocumented } from './run-documented.ts';
import { hasChromium } from '../browser/browser-harness.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const hasRedisCli = (() => {
  try {
    execFileSync('redis-cli', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function succeeds(command: string, timeoutMs: number, env: Record<string, string | undefined> = {}) {
  const result = await runDocumented(command, env, { timeoutMs });
  expect(result.code, `${command}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`).toBe(0);
  return result.stdout;
}

describe('build and measurement commands', () => {
  it('npm run build:web and npm run build:server write the browser files and the server bundle', { timeout: 180_000 }, async () => {
    expect(await succeeds(`npm run build:web`, 120_000)).toMatch(/web: built \d+ files into web\/dist\//);
    await succeeds(`npm run build:server`, 120_000);
    expect(existsSync('dist/server/node.js')).toBe(true);
  });

  it('npm run measure:idle-rss, its quick form, reports the first and a later start', { timeout: 300_000 }, async () => {
    const out = await succeeds(`npm run measure:idle-rss -- --settle 2 --window 2 --no-demo`, 280_000);
    expect(out).toMatch(/first start\s+\d+ MiB/);
    expect(out).toMatch(/later start\s+\d+ MiB/);
  });

  it('npm run bench -- --quick runs every section and writes its JSON', { timeout: 300_000 }, async () => {
    expect(await succeeds(`npm run bench -- --quick`, 280_000)).toContain('bench-results/latest.json');
  });

  it("redis-cli --scan --pattern 'test:*' lists what tests left in Redis", { timeout: 30_000 }, async () => {
    if (!hasRedisCli) return void console.warn('redis-cli is not installed: the command is not run');
    await succeeds(`redis-cli --scan --pattern 'test:*'`, 20_000);
  });

  it.skipIf(!hasChromium)('npx tsx web/measure-web.ts [--loads 15] [--taxis 50] measures the map page in Chromium', { timeout: 300_000 }, async () => {
    const out = await succeeds(fillPlaceholders(`npx tsx web/measure-web.ts [--loads 15] [--taxis 50]`, { '[--loads 15]': '--loads 15', '[--taxis 50]': '--taxis 50' }), 280_000);
    expect(out).toMatch(/gzipped/);
  });
});

describe('ingest benchmarks', () => {
  it('npm run bench:store-fixes -- --batches 400 reads the CPU of one grouped fix insert on Postgres', { timeout: 300_000 }, async () => {
    expect(await succeeds(`npm run bench:store-fixes -- --batches 400`, 280_000)).toMatch(/CPU per statement: node [\d.]+ ms, postgres [\d.]+ ms/);
  });
});

describe('vision benchmarks and evaluation', () => {
  it('npm run bench:vision-offline -- --frames 40 times the offline model on Node', { timeout: 600_000 }, async () => {
    expect(await succeeds(`npm run bench:vision-offline -- --frames 40`, 580_000)).toMatch(/p95/);
  });

  it('npx tsx e2e/vision-dev-set/build-dev-set.ts <folder> composes the labelled development set', { timeout: 300_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'taxiwatch-doc-devset-'));
    dirs.push(folder);
    expect(await succeeds(fillPlaceholders(`npx tsx e2e/vision-dev-set/build-dev-set.ts <folder>`, { '<folder>': folder }), 280_000)).toMatch(/wrote \d+ images/);
    expect(existsSync(join(folder, 'safe'))).toBe(true);
  });

  it('npx deno run -A --config deno.json e2e/bench/offline-analyser-bench.ts --mode objects does the same on Deno', { timeout: 300_000 }, async () => {
    expect(await succeeds(`npx deno run -A --config deno.json e2e/bench/offline-analyser-bench.ts --mode objects`, 280_000)).toMatch(/objects\s+load \d+ ms/);
  });

  it('npx tsx e2e/bench/cascade-analyser-bench.ts --frames 20 counts the cloud calls of the cascade', { timeout: 300_000 }, async () => {
    expect(await succeeds(`npx tsx e2e/bench/cascade-analyser-bench.ts --frames 20`, 280_000)).toMatch(/cloud calls \d+\/20/);
  });

  it('npm run eval:vision without a folder prints how to use it', { timeout: 60_000 }, async () => {
    const result = await runDocumented(`npm run eval:vision`, {}, { timeoutMs: 50_000 });
    expect(`${result.stdout}${result.stderr}`).toContain('--analyser');
  });

  it('npm run eval:vision -- <folder> […] evaluates a labelled folder', { timeout: 300_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'taxiwatch-doc-eval-'));
    dirs.push(folder);
    await mkdir(join(folder, 'safe'));
    await copyFile(join(sharedDataDir(), 'images/dashcam/udacity_advlane_test1.jpg'), join(folder, 'safe', 'road.jpg'));
    const command = fillPlaceholders(`npm run eval:vision -- <folder> [--train <labelled folder>] [--analyser offline|cloud|cascade] [--json] [--limit N] [--language es|en]`, {
      '<folder>': folder,
      '[--train <labelled folder>]': `--train ${folder}`,
      '[--analyser offline|cloud|cascade]': '--analyser offline',
      '[--json]': '--json',
      '[--limit N]': '--limit 1',
      '[--language es|en]': '--language es',
    });
    const out = await succeeds(command, 280_000, { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined });
    const report = JSON.parse(out.slice(out.indexOf('{')));
    expect(report.metrics).toBeDefined();
  });
});
