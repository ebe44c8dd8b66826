/**
 * `npm run measure:idle-rss`: the memory and CPU of an idle server on the embedded defaults, started with package.json's
 * own start script (without its web build) on a fresh DATA_DIR: the first start (which creates the database and
 * the demo fleet), a later start on the same data, and a start with `--demo` (the demo taxis driving).
 *
 *   npm run measure:idle-rss -- [--settle 20] [--window 30] [--json] [--no-demo]
 *
 * RSS is read from /proc after `settle` seconds of green health; CPU is averaged over the following `window` seconds.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startProcess, waitForHttp, type RunningServer } from '../support/spawn-server.ts';
import { buildServer } from '../../edge/runtime/build-server.ts';
import { sampleTree, type ProcessSample } from './process-tree.ts';

export interface IdleFigures {
  scenario: string;
  /** RSS of the largest process (the one running the app). */
  serverRssBytes: number;
  /** RSS of every process the start command left running. */
  totalRssBytes: number;
  /** From the app's own metrics. */
  heapUsedBytes: number;
  /** Average CPU over the window, as a share of one core (0.12 = 12 %). */
  cpuShare: number;
  processes: { command: string; rssBytes: number }[];
}

const METRICS_TOKEN = 'idle-rss-measure-token';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startScript(): Promise<string> {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts.start;
}

async function heapUsed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(/taxiwatch_process_memory_bytes\{kind="heap_used"\} (\d+)/.exec(text)?.[1] ?? NaN);
}

const cpuOf = (tree: ProcessSample[]) => tree.reduce((sum, p) => sum + p.cpuSeconds, 0);

async function measure(scenario: string, server: RunningServer, settleS: number, windowS: number): Promise<IdleFigures> {
  await waitForHttp(`${server.url}/api/v1/health`, server, 180_000, [200]);
  await sleep(settleS * 1000);
  const before = sampleTree(server.pid);
  const started = performance.now();
  await sleep(windowS * 1000);
  const after = sampleTree(server.pid);
  const elapsed = (performance.now() - started) / 1000;
  const largest = after.reduce((a, b) => (b.rssBytes > a.rssBytes ? b : a));
  return {
    scenario,
    serverRssBytes: largest.rssBytes,
    totalRssBytes: after.reduce((sum, p) => sum + p.rssBytes, 0),
    heapUsedBytes: await heapUsed(server.url),
    cpuShare: (cpuOf(after) - cpuOf(before)) / elapsed,
    processes: after.map((p) => ({ command: p.command.slice(0, 100), rssBytes: p.rssBytes })),
  };
}

export async function measureIdleServer(options: { settleS: number; windowS: number; demo: boolean }): Promise<IdleFigures[]> {
  await buildServer(); // what `npm start` runs first (its web build does not change an idle server)
  const script = await startScript();
  const dataDir = await mkdtemp(join(tmpdir(), 'taxiwatch-idle-'));
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    METRICS_TOKEN,
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    PATH: `${join(process.cwd(), 'node_modules/.bin')}${delimiter}${process.env.PATH}`,
  };
  const figures: IdleFigures[] = [];
  const run = async (scenario: string, command: string) => {
    const server = startProcess('bash', ['-c', `exec ${command}`], env, await freePort());
    try {
      figures.push(await measure(scenario, server, options.settleS, options.windowS));
    } finally {
      await server.stop();
    }
  };
  try {
    await run('first start', script);
    await run('later start', script);
    if (options.demo) await run('later start --demo (demo taxis driving)', `${script} --demo`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  return figures;
}

const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;

export function formatIdleFigures(figures: IdleFigures[]): string {
  const rows = figures.map((f) =>
    [f.scenario.padEnd(42), mib(f.serverRssBytes).padStart(9), mib(f.totalRssBytes).padStart(9), mib(f.heapUsedBytes).padStart(9), `${(f.cpuShare * 100).toFixed(1)} %`.padStart(8)].join('  '),
  );
  return [
    `${'embedded defaults, idle'.padEnd(42)}  ${'server'.padStart(9)}  ${'all'.padStart(9)}  ${'heap'.padStart(9)}  ${'CPU'.padStart(8)}`,
    ...rows,
    'server = RSS of the process running the app; all = every process the start command left running;',
    'CPU = share of one core. Target: an idle embedded server at most 300 MiB.',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { settle: { type: 'string', default: '20' }, window: { type: 'string', default: '30' }, json: { type: 'boolean', default: false }, 'no-demo': { type: 'boolean', default: false } },
  });
  const figures = await measureIdleServer({ settleS: Number(values.settle), windowS: Number(values.window), demo: !values['no-demo'] });
  console.log(values.json ? JSON.stringify(figures, null, 2) : formatIdleFigures(figures));
}
