/**
 * A small metrics registry rendering the Prometheus text exposition format 0.0.4: counters, gauges (set directly or
 * read by a callback at scrape time) and histograms with fixed buckets. Web APIs only.
 *
 * Values live in memory, so a registry describes one process (Node, Deno) or one isolate (Workers): each instance
 * exposes its own figures and Prometheus adds them up across instances (`sum by (…)`), as it does for any fleet of
 * scraped targets. Label values must come from bounded sets (route patterns, job names), never from raw input.
 */

export type Labels = Record<string, string>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  /** A handle on one series, for hot paths that should not rebuild the series key on every increment. */
  bind(labels?: Labels): { inc(by?: number): void };
  get(labels?: Labels): number;
}

export interface Gauge {
  set(labels: Labels, value: number): void;
  inc(labels?: Labels, by?: number): void;
  dec(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Histogram {
  observe(labels: Labels, value: number): void;
  /** Cumulative bucket counts (one per bound, then +Inf), the sum and the count of one series. */
  get(labels?: Labels): { buckets: number[]; sum: number; count: number };
}

interface MetricSpec {
  name: string;
  help: string;
  /** The label names, in the order they are rendered; every sample must carry exactly these. */
  labelNames?: readonly string[];
}

/** Reads samples at scrape time; the context is whatever the caller of `render` passes (e.g. the request's platform). */
export type Collect<C> = (context: C) => Sample[] | Promise<Sample[]>;

export interface Registry<C = void> {
  counter(spec: MetricSpec): Counter;
  gauge(spec: MetricSpec): Gauge;
  callbackGauge(spec: MetricSpec & { collect: Collect<C> }): void;
  histogram(spec: MetricSpec & { buckets: readonly number[] }): Histogram;
  /** The exposition text; a callback that throws leaves its metric without samples and does not fail the rest. */
  render(context: C): Promise<string>;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines(context: unknown): Promise<string[]> | string[];
}

export function createRegistry<C = void>(): Registry<C> {
  const families: Family[] = [];

  function register(spec: MetricSpec, type: Family['type'], lines: Family['lines']) {
    if (!METRIC_NAME.test(spec.name)) throw new Error(`invalid metric name ${JSON.stringify(spec.name)}`);
    for (const label of spec.labelNames ?? []) {
      if (!LABEL_NAME.test(label) || label.startsWith('__') || (type === 'histogram' && label === 'le')) throw new Error(`invalid label name ${JSON.stringify(label)} on ${spec.name}`);
    }
    if (families.some((f) => f.name === spec.name)) throw new Error(`metric ${spec.name} is registered twice`);
    families.push({ name: spec.name, help: spec.help, type, lines });
  }

  function seriesStore<V>(spec: MetricSpec, create: () => V) {
    const labelNames = spec.labelNames ?? [];
    const series = new Map<string, { labels: Labels; value: V }>();
    const keyOf = (labels: Labels = {}) => {
      const keys = Object.keys(labels);
      if (keys.length !== labelNames.length || labelNames.some((n) => typeof labels[n] !== 'string')) {
        throw new Error(`${spec.name} takes labels [${labelNames.join(', ')}], got [${keys.join(', ')}]`);
      }
      return labelNames.map((n) => labels[n]).join('\u0000');
    };
    return {
      entry(labels: Labels = {}) {
        const key = keyOf(labels);
        let found = series.get(key);
        if (!found) {
          found = { labels: Object.fromEntries(labelNames.map((n) => [n, labels[n]])), value: create() };
          series.set(key, found);
        }
        return found;
      },
      peek: (labels: Labels = {}) => series.get(keyOf(labels))?.value,
      all: () => [...series.values()],
      // An unlabelled metric has its one series from the start, so it renders 0 before anything happened.
      unlabelled: labelNames.length === 0,
    };
  }

  const scalarLines = (name: string, store: ReturnType<typeof seriesStore<{ v: number }>>) => () => {
    if (store.unlabelled) store.entry();
    return store.all().map(({ labels, value }) => sampleLine(name, labels, value.v));
  };

  return {
    counter(spec) {
      const store = seriesStore(spec, () => ({ v: 0 }));
      register(spec, 'counter', scalarLines(spec.name, store));
      const add = (cell: { v: number }, by: number) => {
        if (!(by >= 0)) throw new Error(`${spec.name}: a counter only goes up (got ${by})`);
        cell.v += by;
      };
      return {
        inc: (labels, by = 1) => add(store.entry(labels).value, by),
        bind(labels) {
          const cell = store.entry(labels).value;
          return { inc: (by = 1) => add(cell, by) };
        },
        get: (labels) => store.peek(labels)?.v ?? 0,
      };
    },

    gauge(spec) {
      const store = seriesStore(spec, () => ({ v: 0 }));
      register(spec, 'gauge', scalarLines(spec.name, store));
      return {
        set: (labels, value) => void (store.entry(labels).value.v = value),
        inc: (labels, by = 1) => void (store.entry(labels).value.v += by),
        dec: (labels, by = 1) => void (store.entry(labels).value.v -= by),
        get: (labels) => store.peek(labels)?.v ?? 0,
      };
    },

    callbackGauge(spec) {
      const labelNames = spec.labelNames ?? [];
      register(spec, 'gauge', async (context) => {
        let samples: Sample[];
        try {
          samples = await spec.collect(context as C);
        } catch {
          return [];
        }
        return samples.map(({ labels = {}, value }) => {
          const keys = Object.keys(labels);
          if (keys.length !== labelNames.length || labelNames.some((n) => typeof labels[n] !== 'string')) {
            throw new Error(`${spec.name} takes labels [${labelNames.join(', ')}], got [${keys.join(', ')}]`);
          }
          return sampleLine(spec.name, Object.fromEntries(labelNames.map((n) => [n, labels[n]])), value);
        });
      });
    },

    histogram(spec) {
      const bounds = [...spec.buckets];
      if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]))) {
        throw new Error(`${spec.name}: buckets must be finite and strictly increasing`);
      }
      // Per-bucket (not cumulative) counts; the last cell is the +Inf bucket.
      const store = seriesStore(spec, () => ({ counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 }));
      const cumulative = (counts: number[]) => {
        let running = 0;
        return counts.map((n) => (running += n));
      };
      register(spec, 'histogram', () => {
        if (store.unlabelled) store.entry();
        return store.all().flatMap(({ labels, value }) => {
          const totals = cumulative(value.counts);
          return [
            ...totals.map((n, i) => sampleLine(`${spec.name}_bucket`, { ...labels, le: i < bounds.length ? formatValue(bounds[i]) : '+Inf' }, n)),
            sampleLine(`${spec.name}_sum`, labels, value.sum),
            sampleLine(`${spec.name}_count`, labels, value.count),
          ];
        });
      });
      return {
        observe(labels, value) {
          const cell = store.entry(labels).value;
          cell.counts[bucketIndex(bounds, value)] += 1;
          cell.sum += value;
          cell.count += 1;
        },
        get(labels) {
          const cell = store.peek(labels);
          if (!cell) return { buckets: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 };
          return { buckets: cumulative(cell.counts), sum: cell.sum, count: cell.count };
        },
      };
    },

    async render(context) {
      const blocks = await Promise.all(
        families.map(async (family) => {
          const lines = await family.lines(context);
          return [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`, ...lines].join('\n');
        }),
      );
      return `${blocks.join('\n')}\n`;
    },
  };
}

/** Index of the first bucket whose upper bound (inclusive, `le`) holds the value; bounds.length for +Inf. */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (value <= bounds[mid]) high = mid;
    else low = mid + 1;
  }
  return low;
}

function sampleLine(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`;
}

// The 0.0.4 format: in HELP text backslash and line feed are escaped; in label values also the double quote.
const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
export const escapeLabelValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
