/**
 * (b) GPS ingest through the whole app: the same number of fixes as (a), POSTed to /api/v1/tracking/location in
 * 100-fix batches by several concurrent clients (one device each), over keep-alive HTTP to the server child.
 */
import type { HttpClient } from './http-client.ts';
import type { BenchDevice } from './provision.ts';

export interface IngestResult {
  fixes: number;
  stored: number;
  requests: number;
  errors: number;
  clients: number;
  seconds: number;
  rowsPerSecond: number;
  firstError?: string;
}

export async function measureIngestThroughApp(client: HttpClient, devices: BenchDevice[], options: { fixes: number; batch?: number }): Promise<IngestResult> {
  const batch = options.batch ?? 100;
  const perDevice = Math.ceil(options.fixes / devices.length);
  // One second apart per vehicle, ending a minute ago: unique and inside the accepted window.
  const base = Date.now() - (perDevice + 120) * 1000;
  const fix = (i: number) => ({
    latitude: 40.4 + (i % 1000) * 1e-5,
    longitude: -3.7 - (i % 1000) * 1e-5,
    speed: 42.5,
    heading: 180,
    accuracy: 5,
    altitude: 650,
    timestamp: new Date(base + i * 1000).toISOString(),
  });
  // Warm-up outside the timing: device keys into the server's cache, connections open. Its fix comes before the
  // measured ones, so they arrive as a reporting taxi's do (a newer warm-up fix would make them all a late backlog).
  await Promise.all(devices.map((d) => client.postJson('/api/v1/tracking/location', { fixes: [fix(-60)] }, { authorization: `Bearer ${d.key}` })));

  let stored = 0;
  let requests = 0;
  let errors = 0;
  let firstError: string | undefined;
  let total = 0;
  const started = performance.now();
  await Promise.all(
    devices.map(async (device, d) => {
      const mine = Math.min(perDevice, options.fixes - d * perDevice);
      for (let from = 0; from < mine; from += batch) {
        const fixes = Array.from({ length: Math.min(batch, mine - from) }, (_, i) => fix(from + i));
        total += fixes.length;
        requests += 1;
        try {
          const res = await client.postJson('/api/v1/tracking/location', { fixes }, { authorization: `Bearer ${device.key}` });
          if (res.status === 202) stored += (JSON.parse(res.body) as { stored: number }).stored;
          else {
            errors += 1;
            firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
          }
        } catch (error) {
          errors += 1;
          firstError ??= String(error);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { fixes: total, stored, requests, errors, clients: devices.length, seconds, rowsPerSecond: stored / seconds, firstError };
}
