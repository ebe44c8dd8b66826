/**
 * The firmware core's RAM and flash budget, measured on the host build: the RAM of the core's objects (limits
 * also enforced by static_asserts in core/src/ram-budget.cpp), the code size of the core compiled with -Os, which
 * must hold no static buffers of its own (.bss 0: the platform owns every buffer), and the largest stack frame.
 * x86-64 code size is a proxy for Xtensa's (the same order; see firmware/README.md).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFirmware, type FirmwareBuild } from './host-build.ts';

const run = promisify(execFile);
export const CORE_FLASH_BUDGET_BYTES = 48 * 1024;
export const CORE_STACK_FRAME_BUDGET_BYTES = 1536;

describe('firmware core budget', () => {
  let build: FirmwareBuild;
  beforeAll(async () => {
    build = await buildFirmware();
  }, 600_000);

  it('keeps its RAM within the stated budget', async () => {
    const sizes = JSON.parse((await run(build.budgetReport)).stdout) as Record<string, number>;
    expect(sizes.core_total).toBeLessThanOrEqual(sizes.core_budget);
    expect(sizes.core_budget).toBe(12 * 1024);
    expect(sizes.FlashRing).toBeLessThanOrEqual(1536);
    expect(sizes.Fix).toBe(32);
    console.info(`firmware core RAM: ${JSON.stringify(sizes)}`);
  });

  it('keeps its code within the flash budget, with no static buffers and bounded stack frames', async () => {
    const objects = readdirSync(build.sizeObjectsDir).filter((f) => f.endsWith('.o'));
    expect(objects.length).toBeGreaterThan(10);
    const { stdout } = await run('size', ['-t', ...objects.map((f) => join(build.sizeObjectsDir, f))]);
    const totals = stdout.trim().split('\n').at(-1)!.trim().split(/\s+/).map(Number);
    const [text, data, bss] = totals;
    expect(text + data).toBeLessThanOrEqual(CORE_FLASH_BUDGET_BYTES);
    expect(bss).toBe(0);
    const frames = readdirSync(build.sizeObjectsDir)
      .filter((f) => f.endsWith('.su'))
      .flatMap((f) => readFileSync(join(build.sizeObjectsDir, f), 'utf8').trim().split('\n'))
      .map((line) => ({ fn: line.split('\t')[0], bytes: Number(line.split('\t')[1]) }));
    const largest = frames.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    expect(largest.bytes).toBeLessThanOrEqual(CORE_STACK_FRAME_BUDGET_BYTES);
    console.info(`firmware core flash (x86-64 -Os): text ${text} B, data ${data} B, bss ${bss} B; largest stack frame ${largest.bytes} B (${largest.fn})`);
  });
});
