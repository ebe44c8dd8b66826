/**
 * `npm run simulate -- --keys twd_a,twd_b [options]`: drives virtual taxis against a running TaxiWatch server.
 * Keys come from the demo banner that the first `npm start` prints, or `npm run admin -- create-device`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_FAULTS } from './faults.ts';
import { sharedDataDir } from './shared-data.ts';
import { formatStats, runSimulation } from './simulator.ts';
import { loadFrames, loadTracks } from './track-loader.ts';

const USAGE = `Usage: npm run simulate -- --keys KEY[,KEY…] [options]

  --url URL            server (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --keys K1,K2         device keys, one taxi each (or --keys-file FILE, one per line, or SIM_KEYS)
  --taxis N            run N taxis, reusing the keys round-robin (default: one per key)
  --duration SECONDS   how long to drive (default 300)
  --speedup X          replay the drives X times faster, backdated so no fix is in the future (default 1)
  --batch N            fixes per request (default 10, as the firmware sends)
  --frame-every S      one camera frame every S device-seconds; 0 for none (default 10)
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
  const listed = values['keys-file'] ? readFileSync(values['keys-file'], 'utf8') : (values.keys ?? process.env.SIM_KEYS ?? '');
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
  const dataDir = values['data-dir'] ?? sharedDataDir();
  const options = {
    baseUrl: values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`,
    keys: Array.from({ length: taxis }, (_, i) => keys[i % keys.length]),
    tracks: loadTracks(dataDir),
    frames: loadFrames(dataDir),
    durationSeconds: number('duration', values.duration, 300),
    speedup: Math.max(1, number('speedup', values.speedup, 1)),
    batchSize: Math.max(1, Math.min(500, number('batch', values.batch, 10))),
    frameEverySeconds: frameEvery === 0 ? null : frameEvery,
    faults: { ...DEFAULT_FAULTS, offlineRate: number('offline-rate', values['offline-rate'], DEFAULT_FAULTS.offlineRate), duplicateRate: number('duplicate-rate', values['duplicate-rate'], DEFAULT_FAULTS.duplicateRate) },
    seed: number('seed', values.seed, 1),
  };
  console.log(`driving ${options.keys.length} taxis for ${options.durationSeconds} s against ${options.baseUrl} (${options.tracks.length} recorded drives, speed-up ${options.speedup})`);
  return runSimulation(options).then((stats) => {
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
