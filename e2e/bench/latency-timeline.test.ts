import { describe, expect, it } from 'vitest';
import { createLatencyTimeline } from './latency-timeline.ts';

describe('latency timeline', () => {
  it('puts each request in the window of its scheduled send time; what was sent and not answered is failed', () => {
    const timeline = createLatencyTimeline(5);
    // A stall in the first window, steady after it.
    const request = (at: number, latency: number | null) => {
      timeline.sent(at);
      if (latency !== null) timeline.answered(at, latency);
    };
    for (let i = 0; i < 20; i++) request(i * 200, i < 4 ? 3000 : 40);
    for (let i = 0; i < 20; i++) request(5000 + i * 200, 30 + i);
    request(12_000, null);
    request(12_500, 50);
    expect(timeline.windows()).toEqual([
      { fromS: 0, answered: 20, failed: 0, p50Ms: 40, p95Ms: 3000, maxMs: 3000 },
      { fromS: 5, answered: 20, failed: 0, p50Ms: 39, p95Ms: 48, maxMs: 49 },
      { fromS: 10, answered: 1, failed: 1, p50Ms: 50, p95Ms: 50, maxMs: 50 },
    ]);
  });

  it('reports a window with failures only, and nothing for a run without requests', () => {
    const timeline = createLatencyTimeline(10);
    expect(timeline.windows()).toEqual([]);
    timeline.sent(3000);
    expect(timeline.windows()).toEqual([{ fromS: 0, answered: 0, failed: 1, p50Ms: NaN, p95Ms: NaN, maxMs: NaN }]);
  });
});
