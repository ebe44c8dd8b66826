/**
 * `npm run simulate -- --keys twd_a,twd_b [options]`: drives virtual taxis against a running TaxiWatch server.
 * Keys come from the demo banner that the first `npm start` prints, or `npm run admin -- create-device`.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FAULTS } from './faults.ts';
import { sharedDataDir } from './shared-data.ts';
import { loadCityRoutes } from './city-routes.ts';
import { formatStats, runSimulation } from './simulator.ts';
import { loadFrames, loadTracks } from './track-loader.ts';

const USAGE = `Usage: npm run simulate -- --keys KEY[,KEY…] [options]

  --url URL            server (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --keys K1,K2         device keys, one taxi each (or --keys-file FILE, one per line, or SIM_KEYS); a key the
                       server renews is written back to FILE (so give each taxi its own key)
  --taxis N            run N taxis, reusing the keys round-robin (default: one per key)
  --duration SECONDS   how long to drive (default 300)
  --speedup X          replay the drives X times faster, backdated so no fix is in the future (default 1)
  --batch N            fixes per request (default 10, as the firmware sends)
  --frame-every S      one camera frame every S device-seconds; 0 for none (default 10)
  --heartbeat-every S  one heartbeat (firmware, battery, signal) every S device-seconds; 0 for none (default 60)
  --rest S             rest S seconds, unit switched off, at each end of the route (default 0: turn at once)
  --routes NAME        city: the Dallas / Richardson drives (default); all: every recorded drive
  --offline-rate P     chance per batch of losing coverage (default ${DEFAULT_FAULTS.offlineRate})
  --duplicate-rate P   chance per batch of a lost acknowledgement (default ${DEFAULT_FAULTS.duplicateRate})
  --seed N             random seed, for repeatable runs (default 1)
  --data-dir DIR       recorded drives and images (default SIM_DATA_DIR, else ../shared/data beside the repo)`;

function main(): Promise<number> | number {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' }, keys: { type: 'string' }, 'keys-file': { type: 'string' }, taxis: { type: 'string' }, duration: { type: 'string' },
        speedup: { type: 'string' }, batch: { type: 'string' }, 'frame-every': { type: 'string' }, 'offline-rate': { type: 'string' },
        'duplicate-rate': { type: 'string' }, seed: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' },
        'heartbeat-every': { type: 'string' }, rest: { type: 'string' }, routes: { type: 'string' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // `npm run simulate` runs in the repository root; a relative file is the one where the command was typed.
  const fromCaller = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
  const listed = values['keys-file'] ? readFileSync(fromCaller(values['keys-file']), 'utf8') : (values.keys ?? process.env.SIM_KEYS ?? '');
  const keys = listed.split(/[\s,]+/).filter(Boolean);
  if (keys.length === 0) {
    console.error(`No device keys. The first \`npm start\` prints the demo devices' keys; or create one with\n  npm run admin -- create-device --vehicle <vehicle id>\nOr let the server drive its own demo taxis: npm start -- --demo\n\n${USAGE}`);
    return 2;
  }
  const number = (name: string, value: string | undefined, fallback: number) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
    return n;
  };
  const taxis = number('taxis', values.taxis, keys.length);
  const frameEvery = number('frame-every', values['frame-every'], 10);
  const heartbeatEvery = number('heartbeat-every', values['heartbeat-every'], 60);
  const dataDir = values['data-dir'] ? fromCaller(values['data-dir']) : sharedDataDir();
  const routes = values.routes ?? 'city';
  if (routes !== 'city' && routes !== 'all') throw new Error('--routes must be city or all');
  const options = {
    baseUrl: values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`,
    keys: Array.from({ length: taxis }, (_, i) => keys[i % keys.length]),
    tracks: routes === 'city' ? loadCityRoutes(dataDir) : loadTracks(dataDir),
    frames: loadFrames(dataDir),
    heartbeatEverySeconds: heartbeatEvery === 0 ? null : heartbeatEvery,
    restSeconds: number('rest', values.rest, 0),
    durationSeconds: number('duration', values.duration, 300),
    speedup: Math.max(1, number('speedup', values.speedup, 1)),
    batchSize: Math.max(1, Math.min(500, number('batch', values.batch, 10))),
    frameEverySeconds: frameEvery === 0 ? null : frameEvery,
    faults: { ...DEFAULT_FAULTS, offlineRate: number('offline-rate', values['offline-rate'], DEFAULT_FAULTS.offlineRate), duplicateRate: number('duplicate-rate', values['duplicate-rate'], DEFAULT_FAULTS.duplicateRate) },
    seed: number('seed', values.seed, 1),
  };
  const keysFile = values['keys-file'];
  // The firmware persists a renewed key before using it: the simulator keeps the keys file current the same way
  // (a whole new file renamed over the old one, so a crash never leaves half a key).
  const onKeyRotated = (_taxi: number, oldKey: string, newKey: string) => {
    console.log(`key renewed: ${oldKey.slice(0, 12)}… → ${newKey.slice(0, 12)}…`);
    if (!keysFile) return;
    const text = readFileSync(keysFile, 'utf8').split(oldKey).join(newKey);
    writeFileSync(`${keysFile}.tmp`, text);
    renameSync(`${keysFile}.tmp`, keysFile);
  };
  console.log(`driving ${options.keys.length} taxis for ${options.durationSeconds} s against ${options.baseUrl} (${options.tracks.length} recorded drives, speed-up ${options.speedup})`);
  return runSimulation({ ...options, onKeyRotated }).then((stats) => {
    console.log(formatStats(stats));
    return stats.dropped > 0 || Object.keys(stats.errors).some((s) => s !== '429' && s !== '503' && s !== 'network') ? 1 : 0;
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
