/**
 * Measures the offline analyser (a measurement, not a test): model load time, per-frame latency p50/p95 over N
 * real frames, and memory — face only, as configured by default (face + pose + hands), and with the object model
 * too. Each mode runs in its own child process, so its memory figures are its own.
 *
 *   npm run bench:vision-offline -- [--frames 40] [--mode face|pose-hands|objects] [--json]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOfflineAnalyser } from '../../edge/adapters/analyser/offline-analyser.ts';
import { offlineAnalyserFiles } from '../../edge/runtime/offline-analyser-files.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { summarize, type LatencySummary } from './percentiles.ts';

// 640×480-class frames, with and without people (sizes from ../shared/data/PROVENANCE.md).
const FRAMES = [
  'photos/skimage_astronaut_from_png.jpg', // 512×512, a face
  'jpeg-edge-cases/trailing_data_pillow_sugarshack_bad_mpo_header.jpg', // 640×480
  'photos/skimage_rocket.jpg', // 640×427
  'photos/skimage_coffee_from_png.jpg', // 600×400, nobody
  'dashcam/udacity_lanelines_solidWhiteRight.jpg', // 960×540, road
];

const MODES = {
  face: { pose: false, hands: false, objects: false },
  'pose-hands': { pose: true, hands: true, objects: false },
  objects: { pose: true, hands: true, objects: true },
} as const;
type Mode = keyof typeof MODES;

interface ModeReport {
  mode: Mode;
  frames: number;
  loadMs: number;
  latencyMs: LatencySummary;
  cpuMsPerFrame: number;
  memoryMb: { rssBefore: number; rssAfterLoad: number; rssAfter: number; heapBefore: number; heapAfter: number };
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

async function measure(mode: Mode, frameCount: number): Promise<ModeReport> {
  const images = FRAMES.map((path) => new Uint8Array(readFileSync(join(sharedDataDir(), 'images', path))));
  const frame = (i: number) => ({ jpeg: images[i % images.length], width: null, height: null, language: 'en' as const });
  const before = process.memoryUsage();
  const analyser = createOfflineAnalyser({ ...offlineAnalyserFiles(), ...MODES[mode] });
  const loadStarted = performance.now();
  await analyser.analyse(frame(0)); // loads the models and compiles the kernels
  const loadMs = Math.round(performance.now() - loadStarted);
  const afterLoad = process.memoryUsage();
  // One untimed pass so each frame size has been seen once (first runs of a shape are slower).
  for (let i = 0; i < images.length; i++) await analyser.analyse(frame(i));
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < frameCount; i++) {
    const started = performance.now();
    await analyser.analyse(frame(i));
    samples.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const after = process.memoryUsage();
  await analyser.close?.();
  return {
    mode,
    frames: frameCount,
    loadMs,
    latencyMs: summarize(samples),
    // CPU time per frame (user + system) is what a frame costs; on a shared, busy machine wall time also
    // includes waiting for a core.
    cpuMsPerFrame: Math.round((cpu.user + cpu.system) / 1000 / frameCount),
    memoryMb: {
      rssBefore: mb(before.rss),
      rssAfterLoad: mb(afterLoad.rss),
      rssAfter: mb(after.rss),
      heapBefore: mb(before.heapUsed),
      heapAfter: mb(after.heapUsed),
    },
  };
}

function runInChild(mode: Mode, frames: number): ModeReport {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, '--mode', mode, '--frames', String(frames), '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the ${mode} run failed (exit ${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ModeReport;
}

function format(r: ModeReport): string {
  const m = r.memoryMb;
  return `${r.mode.padEnd(10)} load ${r.loadMs} ms · per frame p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, max ${r.latencyMs.max} ms, CPU ${r.cpuMsPerFrame} ms (${r.frames} frames)` +
    ` · RSS ${m.rssBefore} → ${m.rssAfterLoad} (loaded) → ${m.rssAfter} MB · heap ${m.heapBefore} → ${m.heapAfter} MB`;
}

async function main() {
  const { values } = parseArgs({
    options: { frames: { type: 'string', default: '40' }, mode: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const frames = Number(values.frames);
  if (!Number.isInteger(frames) || frames < 1) throw new Error('--frames must be a positive integer');
  if (values.mode !== undefined && !(values.mode in MODES)) throw new Error(`--mode is one of ${Object.keys(MODES).join(', ')}`);
  const reports = values.mode ? [await measure(values.mode as Mode, frames)] : (Object.keys(MODES) as Mode[]).map((mode) => runInChild(mode, frames));
  if (!values.mode && !values.json) console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  if (values.json) console.log(JSON.stringify(reports.length === 1 ? reports[0] : reports));
  else for (const r of reports) console.log(format(r));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
