/** The registry's exposition text, checked against output written by hand from the 0.0.4 format description. */
import { describe, expect, it } from 'vitest';
import { parseSampleLine } from '../../e2e/support/prometheus-text.ts';
import { bucketIndex, createRegistry } from './metrics.ts';

describe('metrics registry', () => {
  it('renders counters, gauges, callback gauges and histograms in the 0.0.4 text format', async () => {
    const registry = createRegistry<{ depth: number }>();
    const requests = registry.counter({ name: 'app_requests_total', help: 'Requests answered.', labelNames: ['method', 'route'] });
    const started = registry.counter({ name: 'app_starts_total', help: 'Starts.' });
    const viewers = registry.gauge({ name: 'app_viewers', help: 'Viewers "now".' });
    registry.callbackGauge({ name: 'app_queue_jobs', help: 'Jobs by state.', labelNames: ['state'], collect: ({ depth }) => [{ labels: { state: 'queued' }, value: depth }] });
    const latency = registry.histogram({ name: 'app_latency_seconds', help: 'Latency.\nIn seconds, with a \\ backslash.', labelNames: ['route'], buckets: [0.1, 0.5] });

    requests.inc({ method: 'GET', route: '/a/:id' });
    requests.inc({ method: 'GET', route: '/a/:id' }, 2);
    requests.inc({ route: 'say "hi"\\\n', method: 'POST' });
    viewers.inc();
    viewers.inc();
    viewers.dec();
    latency.observe({ route: '/a' }, 0.05);
    latency.observe({ route: '/a' }, 0.1);
    latency.observe({ route: '/a' }, 0.3);
    latency.observe({ route: '/a' }, 7);

    expect(await registry.render({ depth: 4 })).toBe(
      [
        '# HELP app_requests_total Requests answered.',
        '# TYPE app_requests_total counter',
        'app_requests_total{method="GET",route="/a/:id"} 3',
        'app_requests_total{method="POST",route="say \\"hi\\"\\\\\\n"} 1',
        '# HELP app_starts_total Starts.',
        '# TYPE app_starts_total counter',
        'app_starts_total 0',
        '# HELP app_viewers Viewers "now".',
        '# TYPE app_viewers gauge',
        'app_viewers 1',
        '# HELP app_queue_jobs Jobs by state.',
        '# TYPE app_queue_jobs gauge',
        'app_queue_jobs{state="queued"} 4',
        '# HELP app_latency_seconds Latency.\\nIn seconds, with a \\\\ backslash.',
        '# TYPE app_latency_seconds histogram',
        'app_latency_seconds_bucket{route="/a",le="0.1"} 2',
        'app_latency_seconds_bucket{route="/a",le="0.5"} 3',
        'app_latency_seconds_bucket{route="/a",le="+Inf"} 4',
        'app_latency_seconds_sum{route="/a"} 7.45',
        'app_latency_seconds_count{route="/a"} 4',
        '',
      ].join('\n'),
    );
    expect(started.get()).toBe(0);
    expect(latency.get({ route: '/a' })).toEqual({ buckets: [2, 3, 4], sum: 7.45, count: 4 });
  });

  it('parses back: every sample line is name{labels} value, and escaped label values round-trip', async () => {
    const registry = createRegistry();
    const counter = registry.counter({ name: 'x_total', help: 'x', labelNames: ['v'] });
    const awkward = 'a"b\\c\nd}e,f=g';
    counter.inc({ v: awkward }, 5);
    const text = await registry.render();
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#')).map(parseSampleLine);
    expect(samples).toEqual([{ name: 'x_total', labels: { v: awkward }, value: 5 }]);
  });

  it('keeps a failing callback gauge from failing the scrape', async () => {
    const registry = createRegistry();
    registry.callbackGauge({ name: 'broken', help: 'h', collect: () => Promise.reject(new Error('db down')) });
    registry.counter({ name: 'fine_total', help: 'h' }).inc();
    expect(await registry.render()).toBe('# HELP broken h\n# TYPE broken gauge\n# HELP fine_total h\n# TYPE fine_total counter\nfine_total 1\n');
  });

  it('refuses what would produce an invalid exposition', () => {
    const registry = createRegistry();
    expect(() => registry.counter({ name: 'bad-name', help: 'h' })).toThrow(/invalid metric name/);
    expect(() => registry.histogram({ name: 'h', help: 'h', labelNames: ['le'], buckets: [1] })).toThrow(/invalid label name/);
    expect(() => registry.histogram({ name: 'h2', help: 'h', buckets: [1, 1] })).toThrow(/strictly increasing/);
    const counter = registry.counter({ name: 'c_total', help: 'h', labelNames: ['a'] });
    expect(() => counter.inc({ b: 'x' })).toThrow(/takes labels \[a\]/);
    expect(() => counter.inc({ a: 'x' }, -1)).toThrow(/only goes up/);
    registry.gauge({ name: 'g', help: 'h' });
    expect(() => registry.gauge({ name: 'g', help: 'h' })).toThrow(/registered twice/);
  });

  it('puts a value on a bucket boundary into that bucket (le is inclusive)', () => {
    expect([0, 0.1, 0.10001, 0.5, 0.6].map((v) => bucketIndex([0.1, 0.5], v))).toEqual([0, 0, 1, 1, 2]);
  });
});
