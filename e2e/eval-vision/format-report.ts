/** Prints an evaluation for people: per-type table, detection, confusion matrix, routing per label, latency and cost. */
import type { EvalMetrics } from './metrics.ts';
import type { EvalReport } from './run-eval.ts';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
const usd = (v: number | null) => (v === null ? '—' : `$${v.toFixed(6)}`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function scores(m: EvalMetrics): string[] {
  return [
    `frames scored ${m.frames}, failed ${m.failures}, accuracy ${pct(m.accuracy)}`,
    '',
    table([['type', 'labelled', 'predicted', 'correct', 'precision', 'recall'], ...m.classes.map((c) => [c.label, String(c.support), String(c.predicted), String(c.truePositives), pct(c.precision), pct(c.recall)])]),
    '',
    `incident detection (any type vs none): precision ${pct(m.detection.precision)}, recall ${pct(m.detection.recall)}`,
  ];
}

export function formatReport(report: EvalReport): string {
  const m = report.metrics;
  const lines: string[] = [];
  lines.push(`Vision evaluation: analyser ${report.analyser} over ${report.folder}`);
  if (report.training) {
    const t = report.training;
    const model = t.model ? `fleet model from ${t.model.examples} examples, ${pct(t.model.accuracy)} on held-out examples (5-fold)` : 'no fleet model (too few examples of two labels)';
    lines.push(`trained on ${t.folder}: ${t.frames} frames, ${t.cameras} camera baseline(s), ${model}`);
  }
  lines.push(...scores(m));
  lines.push('');
  lines.push('confusion (rows: label, columns: predicted)');
  lines.push(table([['', ...m.confusion.labels], ...m.confusion.matrix.map((row, i) => [m.confusion.labels[i]!, ...row.map(String)])]));
  if (report.comparison) {
    for (const [name, metrics] of [['without --train (camera calibrating, no fleet model)', report.comparison.without], ['with --train (camera baselines and fleet model)', report.comparison.with]] as const) {
      lines.push('', `local verdicts ${name}:`, ...scores(metrics));
    }
  }
  lines.push('');
  lines.push('routing per label (to cloud: billed by a cloud model, or the cascade would ask it; local: what the offline part alone decided)');
  lines.push(table([['label', 'frames', 'to cloud', 'billed', 'cost', 'local incident', 'local none', 'local hint'], ...report.routing.map((r) => [r.label, String(r.frames), String(r.toCloud), String(r.billed), usd(r.costUsd), String(r.local.incident), String(r.local.none), String(r.local.hint)])]));
  lines.push('');
  lines.push(`latency p50 ${ms(m.latencyMs.p50)}, p95 ${ms(m.latencyMs.p95)}, max ${ms(m.latencyMs.max)}`);
  const called = report.frames.filter((f) => f.calledModel).length;
  lines.push(`cost per frame ${usd(m.costUsd.perFrame)}, total ${usd(m.costUsd.total)}; a token-billed model answered ${called} of ${report.frames.length} frames`);
  const uncertain = report.frames.filter((f) => f.uncertain).length;
  if (uncertain) lines.push(`${uncertain} frame(s) judged from signals were only hints (a cascade would ask the cloud model)`);
  const failed = report.frames.filter((f) => f.error);
  if (failed.length) {
    lines.push('');
    lines.push('failed frames:');
    for (const f of failed.slice(0, 10)) lines.push(`  ${f.file}: ${f.error}`);
    if (failed.length > 10) lines.push(`  … and ${failed.length - 10} more`);
  }
  return `${lines.join('\n')}\n`;
}
