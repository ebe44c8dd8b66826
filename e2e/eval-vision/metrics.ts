/**
 * Scores an analyser over labelled frames: per-class precision and recall, a confusion matrix (rows = label,
 * columns = prediction), latency percentiles and cost per frame. Pure: samples in, numbers out.
 */
import { NO_INCIDENT } from './labels.ts';

export interface Sample {
  /** The folder's label: an incident type or NONE. */
  expected: string;
  /** What the analyser said: an incident type or NONE. */
  predicted: string;
  latencyMs: number;
  costUsd: number;
}

export interface ClassScore {
  label: string;
  /** Frames labelled with it. */
  support: number;
  /** Frames predicted as it. */
  predicted: number;
  truePositives: number;
  /** Null when nothing was predicted as it (undefined, not zero). */
  precision: number | null;
  /** Null when no frame carries the label. */
  recall: number | null;
}

export interface EvalMetrics {
  frames: number;
  /** Analyses that rejected (counted apart: a rejection is neither right nor wrong). */
  failures: number;
  accuracy: number | null;
  classes: ClassScore[];
  /** Incident vs none, whatever the type: does the analyser raise the alarm when it should? */
  detection: { precision: number | null; recall: number | null };
  confusion: { labels: string[]; matrix: number[][] };
  latencyMs: { p50: number | null; p95: number | null; max: number | null };
  costUsd: { total: number; perFrame: number | null };
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Nearest-rank percentile (the value below which p % of the samples fall), null for no samples. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Labels in a stable order: NONE first, then alphabetical. */
function orderedLabels(samples: Sample[]): string[] {
  const set = new Set(samples.flatMap((s) => [s.expected, s.predicted]));
  const rest = [...set].filter((l) => l !== NO_INCIDENT).sort();
  return set.has(NO_INCIDENT) ? [NO_INCIDENT, ...rest] : rest;
}

export function computeMetrics(samples: Sample[], failures = 0): EvalMetrics {
  const labels = orderedLabels(samples);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const s of samples) matrix[index.get(s.expected)!]![index.get(s.predicted)!]!++;

  const classes = labels.map((label, i): ClassScore => {
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[i]!, 0);
    const truePositives = matrix[i]![i]!;
    return { label, support, predicted, truePositives, precision: ratio(truePositives, predicted), recall: ratio(truePositives, support) };
  });

  const correct = samples.filter((s) => s.expected === s.predicted).length;
  const isIncident = (label: string) => label !== NO_INCIDENT;
  const alarms = samples.filter((s) => isIncident(s.predicted));
  const incidents = samples.filter((s) => isIncident(s.expected));
  const rightAlarms = alarms.filter((s) => isIncident(s.expected)).length;

  const latencies = samples.map((s) => s.latencyMs);
  const total = samples.reduce((sum, s) => sum + s.costUsd, 0);
  return {
    frames: samples.length,
    failures,
    accuracy: ratio(correct, samples.length),
    classes,
    detection: { precision: ratio(rightAlarms, alarms.length), recall: ratio(rightAlarms, incidents.length) },
    confusion: { labels, matrix },
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.length ? Math.max(...latencies) : null },
    costUsd: { total, perFrame: ratio(total, samples.length) },
  };
}
