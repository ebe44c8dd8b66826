/** This process's memory where the runtime tells (Node, Deno); null on runtimes that do not (Workers). No `node:` import. */

export interface ProcessMemory {
  rss: number;
  heap_used: number;
  heap_total: number;
}

interface MemoryUsage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
}

export function processMemory(): ProcessMemory | null {
  const runtime = globalThis as { Deno?: { memoryUsage?: () => MemoryUsage }; process?: { memoryUsage?: () => MemoryUsage } };
  const usage = runtime.Deno?.memoryUsage?.() ?? runtime.process?.memoryUsage?.();
  if (!usage || typeof usage.rss !== 'number') return null;
  return { rss: usage.rss, heap_used: usage.heapUsed, heap_total: usage.heapTotal };
}
