/**
 * The firmware core's C++ unit tests (GoogleTest) as vitest tests, one per C++ test case, so `npm test` and its
 * "N passed" line cover them: NMEA edge cases and recorded logs, the flash ring across power cuts, backoff and
 * fail-over, key rotation, request bytes, provisioning, the device against a scripted server.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from './simulator/shared-data.ts';
import { buildFirmware } from './host-build.ts';

interface GtestCase {
  name: string;
  result: string;
  failures?: { failure: string }[];
}
interface GtestReport {
  tests: number;
  failures: number;
  testsuites: { name: string; testsuite: GtestCase[] }[];
}

/** Builds and runs the suite while vitest collects this file, so each C++ case becomes a test of its own. */
async function runCoreTests(): Promise<{ report: GtestReport; exitCode: number; output: string }> {
  const { coreTests } = await buildFirmware();
  const dir = mkdtempSync(join(tmpdir(), 'tw-gtest-'));
  const json = join(dir, 'report.json');
  try {
    const result = await promisify(execFile)(coreTests, [`--gtest_output=json:${json}`], { env: { ...process.env, SHARED_DATA_DIR: sharedDataDir() }, maxBuffer: 16 * 1024 * 1024 }).then(
      (r) => ({ exitCode: 0, output: r.stdout + r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ exitCode: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    return { report: JSON.parse(readFileSync(json, 'utf8')) as GtestReport, ...result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const outcome = await runCoreTests().then(
  (value) => ({ ok: true as const, ...value }),
  (error: Error) => ({ ok: false as const, error }),
);

describe('firmware core (C++17, GoogleTest)', () => {
  if (!outcome.ok) {
    it('builds and runs', () => {
      throw outcome.error;
    });
    return;
  }
  const { report, exitCode, output } = outcome;

  it('ran every case and exited with their verdict', () => {
    expect(report.tests).toBeGreaterThanOrEqual(45);
    expect(exitCode === 0, output).toBe(report.failures === 0);
  });

  for (const suite of report.testsuites) {
    describe(suite.name, () => {
      for (const testCase of suite.testsuite) {
        it(testCase.name, () => {
          expect(testCase.result).toBe('COMPLETED');
          expect((testCase.failures ?? []).map((f) => f.failure)).toEqual([]);
        });
      }
    });
  }
});
