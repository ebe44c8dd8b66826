/** .ci/summarise-vitest.mjs on small vitest JSON reports: the last line CI reads, and when it fails the run. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SUMMARISE = join(ROOT, '.ci/summarise-vitest.mjs');

type Status = 'passed' | 'failed' | 'skipped' | 'todo' | 'pending';
interface FixtureFile {
  name: string;
  status?: 'passed' | 'failed';
  message?: string;
  tests: Array<[fullName: string, status: Status]>;
}

/** A report shaped like vitest's JSON reporter writes it (only the fields the summariser reads matter). */
function report(files: FixtureFile[]) {
  return {
    numTotalTests: files.reduce((n, f) => n + f.tests.length, 0),
    testResults: files.map((file) => ({
      name: join(ROOT, file.name),
      status: file.status ?? (file.tests.some(([, s]) => s === 'failed') ? 'failed' : 'passed'),
      message: file.message ?? '',
      assertionResults: file.tests.map(([fullName, status]) => ({
        fullName,
        title: fullName,
        status,
        ancestorTitles: [],
      })),
    })),
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taxiwatch-summarise-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function summarise(contents: unknown, allowList?: unknown): Promise<{ code: number; lines: string[] }> {
  const reportPath = join(dir, `${crypto.randomUUID()}.json`);
  if (contents !== undefined) await writeFile(reportPath, JSON.stringify(contents));
  const args = [SUMMARISE, reportPath];
  if (allowList !== undefined) {
    const allowPath = join(dir, `${crypto.randomUUID()}-allow.json`);
    await writeFile(allowPath, typeof allowList === 'string' ? allowList : JSON.stringify(allowList));
    args.push(allowPath);
  }
  const result = await exec(process.execPath, args).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  return { code: result.code, lines: result.stdout.trim().split('\n') };
}

const allowOne = { allowed: [{ file: 'edge/a.test.ts', test: 'a by design', reason: 'only S3 presigns' }] };

describe('summarise-vitest', () => {
  it('passes a clean run and ends with exactly "N passed, N failed"', async () => {
    const { code, lines } = await summarise(
      report([
        {
          name: 'edge/a.test.ts',
          tests: [
            ['a one', 'passed'],
            ['a two', 'passed'],
          ],
        },
      ]),
      allowOne,
    );
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe('2 passed, 0 failed');
    expect(lines.at(-2)).toMatch(/^0 skipped/);
  });

  it('fails on a skipped test not on the allow-list, naming it, and counts it as failed', async () => {
    const { code, lines } = await summarise(
      report([
        {
          name: 'edge/b.test.ts',
          tests: [
            ['b one', 'passed'],
            ['Postgres suite b two', 'skipped'],
            ['b three', 'todo'],
          ],
        },
      ]),
      allowOne,
    );
    expect(code).toBe(1);
    expect(lines).toContain('skipped, not allowed: edge/b.test.ts > Postgres suite b two');
    expect(lines).toContain('skipped, not allowed: edge/b.test.ts > b three');
    expect(lines.at(-1)).toBe('1 passed, 2 failed');
  });

  it('lets an allowed skip through, but only in its own file and under its exact name', async () => {
    const allowedRun = await summarise(
      report([
        {
          name: 'edge/a.test.ts',
          tests: [
            ['a one', 'passed'],
            ['a by design', 'skipped'],
          ],
        },
      ]),
      allowOne,
    );
    expect(allowedRun.code).toBe(0);
    expect(allowedRun.lines.at(-2)).toMatch(/^1 skipped \(1 allowed/);
    expect(allowedRun.lines.at(-1)).toBe('1 passed, 0 failed');

    const otherFile = await summarise(
      report([
        {
          name: 'edge/c.test.ts',
          tests: [
            ['a one', 'passed'],
            ['a by design', 'skipped'],
          ],
        },
      ]),
      allowOne,
    );
    expect(otherFile.code).toBe(1);
    const otherName = await summarise(
      report([
        {
          name: 'edge/a.test.ts',
          tests: [
            ['a one', 'passed'],
            ['a by design too', 'skipped'],
          ],
        },
      ]),
      allowOne,
    );
    expect(otherName.code).toBe(1);
  });

  it('fails on every skip when no allow-list is given', async () => {
    const { code, lines } = await summarise(
      report([
        {
          name: 'edge/a.test.ts',
          tests: [
            ['a one', 'passed'],
            ['a by design', 'skipped'],
          ],
        },
      ]),
    );
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
  });

  it('counts a file that failed to load (a required service missing in CI) as one failure', async () => {
    const { code, lines } = await summarise(
      report([
        { name: 'edge/a.test.ts', tests: [['a one', 'passed']] },
        { name: 'edge/pg.test.ts', status: 'failed', message: 'Postgres at … is not available', tests: [] },
      ]),
      allowOne,
    );
    expect(code).toBe(1);
    expect(lines).toContain('file failed to load: edge/pg.test.ts: Postgres at … is not available');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
  });

  it('fails on failed tests, on zero tests, and on a missing report', async () => {
    const failing = await summarise(
      report([
        {
          name: 'edge/a.test.ts',
          tests: [
            ['a one', 'passed'],
            ['a two', 'failed'],
          ],
        },
      ]),
      allowOne,
    );
    expect([failing.code, failing.lines.at(-1)]).toEqual([1, '1 passed, 1 failed']);
    const empty = await summarise(report([]), allowOne);
    expect([empty.code, empty.lines.at(-1)]).toEqual([1, '0 passed, 0 failed']);
    const missing = await summarise(undefined, allowOne);
    expect([missing.code, missing.lines.at(-1)]).toEqual([1, '0 passed, 1 failed']);
  });

  it('refuses an allow-list entry without a reason', async () => {
    const { code, lines } = await summarise(report([{ name: 'edge/a.test.ts', tests: [['a one', 'passed']] }]), {
      allowed: [{ file: 'edge/a.test.ts', test: 'a by design' }],
    });
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });

  it('keeps the real allow-list short, each entry with a reason, each naming a test file that exists', async () => {
    const { readFile, stat } = await import('node:fs/promises');
    const list = JSON.parse(await readFile(join(ROOT, '.ci/allowed-skips.json'), 'utf8')) as {
      allowed: Array<{ file: string; test: string; reason: string }>;
    };
    expect(list.allowed.length).toBeLessThanOrEqual(8);
    for (const entry of list.allowed) {
      expect(entry.reason.length, entry.test).toBeGreaterThan(20);
      await expect(stat(join(ROOT, entry.file))).resolves.toBeTruthy();
      expect(await readFile(join(ROOT, entry.file), 'utf8')).toContain(entry.test.split(' ').slice(-4).join(' '));
    }
  });
});
