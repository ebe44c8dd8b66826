/** The evaluation as text: per set and intent, then the figures, then every miss with its reason. */
import type { AssistantEvalReport, SetSummary } from './run-eval.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function setLines(name: string, s: SetSummary): string[] {
  const lines = [`${name}: ${s.correct}/${s.questions} correct (${pct(s.accuracy)}); es ${pct(s.byLang.es?.accuracy ?? 0)}, en ${pct(s.byLang.en?.accuracy ?? 0)}; refusals ${s.refusals}; leaks ${s.leaks}; latency p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms`];
  for (const [intent, t] of Object.entries(s.byIntent).sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${intent.padEnd(22)} ${String(t.correct).padStart(4)}/${String(t.questions).padEnd(4)} ${pct(t.accuracy).padStart(6)}`);
  return lines;
}

export function formatReport(report: AssistantEvalReport): string {
  const lines = [`engine ${report.engine}${report.model ? ` (${report.model})` : ''}`, ''];
  for (const [name, s] of Object.entries(report.sets)) lines.push(...setLines(name, s), '');
  lines.push(`all: ${report.all.correct}/${report.all.questions} correct (${pct(report.all.accuracy)}), leaks ${report.all.leaks}, latency p50 ${report.all.latencyMs.p50} ms, p95 ${report.all.latencyMs.p95} ms`);
  lines.push(`model calls ${report.modelCalls}, cost $${report.costUsd.toFixed(6)}`);
  const misses = report.results.filter((r) => !r.correct);
  if (misses.length) {
    lines.push('', 'misses:');
    for (const m of misses) lines.push(`  [${m.set}/${m.intent}] ${m.question} → ${m.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
