import { describe, expect, it } from 'vitest';
import { afterAnswer, MAX_IN_FLIGHT, type Background } from './after-answer.ts';

describe('work after the answer', () => {
  it('runs detached until MAX_IN_FLIGHT pieces are unfinished, then inside the request, and detached again once they end', async () => {
    const kept: Promise<void>[] = [];
    const background: Background = (work) => void kept.push(work);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const modes: boolean[] = [];
    for (let i = 0; i < MAX_IN_FLIGHT; i++) {
      await afterAnswer(
        background,
        async (detached) => {
          modes.push(detached);
          await gate;
        },
        () => {},
      );
    }
    expect(kept.length).toBe(MAX_IN_FLIGHT);
    expect(modes.every((detached) => detached)).toBe(true);

    let inline: boolean | null = null;
    await afterAnswer(background, async (detached) => void (inline = !detached), () => {});
    expect(inline).toBe(true);
    expect(kept.length).toBe(MAX_IN_FLIGHT);

    release();
    await Promise.all(kept);
    let detachedAgain: boolean | null = null;
    await afterAnswer(background, async (detached) => void (detachedAgain = detached), () => {});
    expect(detachedAgain).toBe(true);
    await Promise.all(kept);
  });

  it('runs inside the request without a way to keep work alive, and reports a detached failure instead of throwing it', async () => {
    let mode: boolean | null = null;
    await afterAnswer(undefined, async (detached) => void (mode = detached), () => {});
    expect(mode).toBe(false);

    const kept: Promise<void>[] = [];
    const errors: unknown[] = [];
    await afterAnswer((work) => void kept.push(work), async () => Promise.reject(new Error('rules failed')), (error) => errors.push(error));
    await Promise.all(kept);
    expect(errors.map(String)).toEqual(['Error: rules failed']);
  });
});
