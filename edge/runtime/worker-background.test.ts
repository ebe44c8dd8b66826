import { describe, expect, it } from 'vitest';
import { trackBackgroundWork } from './worker-background.ts';

const later = (ms: number, value: string, log: string[]) => new Promise<void>((resolve) => setTimeout(() => (log.push(value), resolve()), ms));

describe('trackBackgroundWork', () => {
  it('runs the cleanup only after all the work, also work that was handed over by work and work that failed', async () => {
    const log: string[] = [];
    const kept: Promise<unknown>[] = [];
    const work = trackBackgroundWork({ waitUntil: (p) => kept.push(p) });
    work.ctx.waitUntil(later(30, 'telemetry', log).then(() => work.ctx.waitUntil(later(20, 'last seen', log))));
    work.ctx.waitUntil(Promise.reject(new Error('a step failed')).catch(() => log.push('failed step')));
    work.finally(async () => log.push('close'));
    await Promise.allSettled(kept);
    await Promise.allSettled(kept); // the cleanup itself was kept alive too
    expect(log).toEqual(['failed step', 'telemetry', 'last seen', 'close']);
  });

  it('runs the cleanup at once when nothing was left behind', async () => {
    const kept: Promise<unknown>[] = [];
    const work = trackBackgroundWork({ waitUntil: (p) => kept.push(p) });
    let closed = false;
    work.finally(async () => (closed = true));
    await Promise.all(kept);
    expect(closed).toBe(true);
  });
});
