/**
 * The import rules of .dependency-cruiser.cjs (`npm run lint:imports`) catch what they are for: a small tree with
 * one breach of each rule is refused, breach by breach, and the same tree without them passes.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

const clean: Record<string, string> = {
  'edge/ports/clock.ts': 'export interface Clock { now(): number }\n',
  'edge/domain/trip.ts':
    "import type { Clock } from '../ports/clock.ts';\nexport const age = (clock: Clock, t: number) => clock.now() - t;\n",
  'edge/domain/trip.test.ts':
    "import { readFileSync } from 'node:fs';\nimport '../adapters/clock/system-clock.ts';\nexport const x = readFileSync;\n",
  'edge/adapters/clock/system-clock.ts':
    "import type { Clock } from '../../ports/clock.ts';\nexport const systemClock: Clock = { now: () => Date.now() };\n",
  'edge/adapters/blobs/fs-blobs.ts': "import { readFile } from 'node:fs/promises';\nexport const read = readFile;\n",
  'edge/runtime/node.ts':
    "import { createServer } from 'node:http';\nimport '../adapters/clock/system-clock.ts';\nexport const s = createServer;\n",
  'jobs/sweep.ts': "import { age } from '../edge/domain/trip.ts';\nexport const sweep = age;\n",
};

const breaches: Array<{ rule: string; files: Record<string, string> }> = [
  {
    rule: 'domain-stays-pure',
    files: {
      'edge/domain/late.ts':
        "import { systemClock } from '../adapters/clock/system-clock.ts';\nexport const c = systemClock;\n",
    },
  },
  {
    rule: 'domain-stays-pure',
    files: { 'edge/domain/boot.ts': "import { s } from '../runtime/node.ts';\nexport const b = s;\n" },
  },
  {
    rule: 'web-apis-only',
    files: { 'edge/domain/hash.ts': "import { createHash } from 'node:crypto';\nexport const h = createHash;\n" },
  },
  {
    rule: 'web-apis-only',
    files: { 'jobs/read.ts': "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n" },
  },
  {
    rule: 'web-apis-only',
    files: { 'edge/adapters/blobs/s3-blobs.ts': "import { Buffer } from 'node:buffer';\nexport const b = Buffer;\n" },
  },
  {
    rule: 'no-circular',
    files: {
      'edge/domain/a.ts': "import { b } from './b.ts';\nexport const a = () => b();\n",
      'edge/domain/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    },
  },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taxiwatch-import-rules-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function cruise(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const tree = await mkdtemp(join(dir, 'tree-'));
  await cp(join(ROOT, '.dependency-cruiser.cjs'), join(tree, '.dependency-cruiser.cjs'));
  await cp(join(ROOT, 'tsconfig.json'), join(tree, 'tsconfig.json'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), text);
  }
  return exec(DEPCRUISE, ['edge', 'jobs', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd: tree,
  }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
  );
}

describe('import rules', { timeout: 120_000 }, () => {
  it('pass a tree that keeps them, tests and Node-only code included', async () => {
    const { code, output } = await cruise(clean);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('pass on this repository: npm run lint:imports, and npm run format:check on the files it lists', async () => {
    for (const command of [`npm run lint:imports`, `npm run format:check`]) {
      const [program, ...args] = command.split(' ');
      await expect(exec(program, args, { cwd: ROOT }), command).resolves.toBeTruthy();
    }
  });

  it.each(breaches)('refuse a breach of $rule', async ({ rule, files }) => {
    const { code, output } = await cruise({ ...clean, ...files });
    expect(code).not.toBe(0);
    expect(output).toContain(`error ${rule}:`);
    expect(output).toMatch(/1 dependency violations|2 dependency violations/);
  });
});
