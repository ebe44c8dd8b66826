/**
 * Golden end to end: the C++ virtual device (the firmware core on POSIX sockets) drives a recorded 20-minute drive
 * (1,194 fixes, as NEO-6M NMEA) and takes 20 camera frames, sending them to a real TaxiWatch (the app on Node's
 * HTTP server) through two flaky proxies — primary and fallback — that drop connections, answer 503, and cut
 * requests before and after the server stored them. Every fix and frame must be stored exactly once, none
 * rejected.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlakyProxy, type FlakyProxy } from '../../e2e/support/flaky-proxy.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../../edge/app.ts';
import { setKeepAliveTimeout } from '../../edge/runtime/http-keep-alive.ts';
import { createDevice, createFleet, createVehicle } from '../../edge/domain/provisioning.ts';
import { cameraSetup } from '../../web/islands/device-setup-codes.ts';
import { freePort } from '../../e2e/support/spawn-server.ts';
import { buildFirmware, type FirmwareBuild } from '../host-build.ts';
import { sharedDataDir } from '../simulator/shared-data.ts';

const DRIVE = 'gps/normalized/barefoot_munich_x0001-001.csv';
// The test platform's clock stands at 2026-06-01T08:00Z; the drive is replayed two hours earlier.
const DRIVE_START = '2026-06-01T06:00:00.000Z';
const FRAMES = 20;
const FAULTS = { drop: 0.08, answer503: 0.1, cutAfterForward: 0.08, cutMidRequest: 0.06 };

interface DeviceReport {
  drained: boolean;
  fixes_recorded: number;
  fixes_stored: number;
  fixes_implausible: number;
  fixes_rejected: number;
  fixes_pending: number;
  fixes_dropped: number;
  frames_captured: number;
  frames_stored: number;
  frames_rejected: number;
  retries: number;
  failovers: number;
  requests: number;
  connections: number;
  nmea_bad_checksum: number;
  gps_rejected: Record<string, number>;
}

function runDevice(binary: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('golden drive: the C++ device through a flaky network to a real server', () => {
  let build: FirmwareBuild;
  let platform: TestPlatform;
  let server: ServerType;
  let proxies: FlakyProxy[] = [];
  let stateDir: string;
  let vehicleId: string;
  let key: string;
  const dataDir = sharedDataDir();
  const frameFiles = readdirSync(join(dataDir, 'images/dashcam'))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => join(dataDir, 'images/dashcam', f));

  beforeAll(async () => {
    build = await buildFirmware();
    platform = await createTestPlatform({ RATE_LIMIT_PER_MINUTE: '1000000' });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Golden' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'GOLD-1' })).id;
    key = (await createDevice(deps, { vehicleId })).key;
    server = serve({ fetch: createApp(platform).fetch, port: 0, hostname: '127.0.0.1' });
    setKeepAliveTimeout(server, platform.config.HTTP_KEEP_ALIVE_S); // as `npm start`: units keep their connections
    await new Promise((resolve) => server.once('listening', resolve));
    const target = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
    proxies = [await startFlakyProxy(target, FAULTS, 19), await startFlakyProxy(target, FAULTS, 1919)];
    stateDir = mkdtempSync(join(tmpdir(), 'tw-virtual-device-'));
  }, 600_000);

  afterAll(async () => {
    for (const p of proxies) await p.close();
    await new Promise((resolve) => server?.close(resolve));
    await platform?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('stores every fix and every frame exactly once, none rejected', async () => {
    const args = ['--state', stateDir, '--server', proxies[0].url, '--server', proxies[1].url, '--key', key, '--track', join(dataDir, DRIVE), '--start', DRIVE_START,
      '--frames', frameFiles.join(','), '--frame-count', String(FRAMES), '--frame-interval', '30', '--seed', '7'];
    const result = await runDevice(build.virtualDevice, args);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as DeviceReport;

    // What the drive should give: one fix per recorded point, at the drive's own times moved to DRIVE_START —
    // except where the recording teleports 470 m in one second (05:04:27): the unit refuses fixes that would take
    // more than 240 km/h from its last kept one within 30 s (the server's rule, a little stricter), so it holds back
    // the fixes until the new place is within reach, and the server then stores every fix the unit sends.
    const lines = readFileSync(join(dataDir, DRIVE), 'utf8').trim().split('\n').slice(1);
    const t0 = Date.parse(lines[0].split(',')[0]);
    const kept = keptByJumpRule(lines);
    const jumps = lines.length - kept.length;
    expect(jumps).toBeGreaterThanOrEqual(4); // the teleport is in the recording
    const expected = kept.map((l) => Date.parse(l.split(',')[0]) - t0 + Date.parse(DRIVE_START));
    expect(expected.length).toBeGreaterThanOrEqual(1000);
    expect(report.gps_rejected).toEqual({ no_fix: 0, no_time: 0, poor_hdop: 0, implausible_time: 0, not_newer: 0, too_soon: 0, jump: jumps });

    expect(report).toMatchObject({ drained: true, fixes_recorded: expected.length, fixes_stored: expected.length, fixes_implausible: 0, fixes_rejected: 0, fixes_pending: 0, fixes_dropped: 0 });
    expect(report).toMatchObject({ frames_captured: FRAMES, frames_stored: FRAMES, frames_rejected: 0, nmea_bad_checksum: 0 });

    const fixes = await platform.db.kysely.selectFrom('gps_fixes').select(['device_time', 'latitude']).where('vehicle_id', '=', vehicleId).orderBy('device_time').execute();
    expect(fixes.map((f) => f.device_time.getTime())).toEqual(expected);
    const firstLat = Number(lines[0].split(',')[1]);
    expect(Math.abs(fixes[0].latitude - firstLat)).toBeLessThan(1e-6);

    const frames = await platform.db.kysely.selectFrom('frames').select(['captured_at', 'size_bytes', 'blob_key']).where('vehicle_id', '=', vehicleId).orderBy('captured_at').execute();
    expect(frames).toHaveLength(FRAMES);
    expect(new Set(frames.map((f) => f.captured_at.getTime())).size).toBe(FRAMES);
    for (const [i, frame] of frames.entries()) {
      const original = readFileSync(frameFiles[i % frameFiles.length]);
      expect(frame.size_bytes).toBe(original.byteLength);
      const blob = await platform.blobs.get(frame.blob_key);
      expect(Buffer.from(blob!.body).equals(original)).toBe(true);
    }
    // No spare blobs from retried uploads are left behind.
    expect((await platform.blobs.list(`frames/${vehicleId}/`)).length).toBe(FRAMES);

    // The network really was bad, and the server never refused anything it was sent whole.
    for (const p of proxies) {
      expect(p.counts.drop + p.counts.answer503 + p.counts.cutAfterForward + p.counts.cutMidRequest).toBeGreaterThan(0);
      expect(p.serverStatuses.filter((s) => s >= 400)).toEqual([]);
    }
    const total = (k: keyof FlakyProxy['counts']) => proxies.reduce((n, p) => n + p.counts[k], 0);
    expect(total('drop')).toBeGreaterThan(0);
    expect(total('answer503')).toBeGreaterThan(0);
    expect(total('cutAfterForward')).toBeGreaterThan(0);
    expect(report.retries).toBeGreaterThan(0);
    expect(report.failovers).toBeGreaterThan(0);
    // The unit kept its connection between requests: a new one only after a fault closed it (about a third of
    // requests here) or a fail-over; every one it opened reached a proxy.
    expect(report.connections).toBeLessThan(report.requests * 0.75);
    expect(proxies.reduce((n, p) => n + p.connections(), 0)).toBe(report.connections);
    console.info(`golden drive: ${report.requests} requests over ${report.connections} connections, ${report.retries} retried, ${report.failovers} fail-overs; proxies ${JSON.stringify(proxies.map((p) => p.counts))}`);
  }, 300_000);

  it('provisioned from the web app\'s camera QR JSON, keeps a drive made out of coverage in flash across a restart and delivers it when coverage returns (frames as multipart)', async () => {
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await platform.db.kysely.selectFrom('vehicles').select('fleet_id').where('id', '=', vehicleId).executeTakeFirstOrThrow()).fleet_id;
    const offlineVehicle = (await createVehicle(deps, { fleetId, plate: 'GOLD-2' })).id;
    const offlineKey = (await createDevice(deps, { vehicleId: offlineVehicle })).key;
    const state = mkdtempSync(join(tmpdir(), 'tw-virtual-device-'));
    try {
      const common = ['--state', state, '--track', join(dataDir, DRIVE), '--start', DRIVE_START, '--seed', '3'];
      // Provisioned from the web app's camera QR code, pointing at an edge that is not reachable (nothing listens
      // there): the first half of the drive is made out of coverage, and the unit is then switched off.
      const qr = join(state, 'camera-qr.json');
      writeFileSync(qr, cameraSetup(`http://127.0.0.1:${await freePort()}`, offlineKey, 'cabin'));
      const offline = await runDevice(build.virtualDevice, [...common, '--provision', qr, '--points', '0:600', '--drain-limit-s', '0']);
      expect(offline.code, offline.stderr).toBe(3);
      expect(JSON.parse(offline.stdout)).toMatchObject({ drained: false, fixes_recorded: 600, fixes_stored: 0, fixes_pending: 600 });
      // Switched on again in coverage: the saved key and the 600 buffered fixes go on from flash. This unit opens a
      // connection for every request (Connection: close), as units did before keeping them.
      const online = await runDevice(build.virtualDevice, [...common, '--server', proxies[0].url, '--points', '600:1194', '--frames', frameFiles.slice(0, 3).join(','), '--frame-count', '3', '--multipart', '--connection-per-request']);
      expect(online.code, online.stderr).toBe(0);
      const report = JSON.parse(online.stdout) as DeviceReport;
      expect(report).toMatchObject({ drained: true, fixes_rejected: 0, frames_stored: 3, frames_rejected: 0 });
      expect(report.connections).toBe(report.requests);
      const lines = readFileSync(join(dataDir, DRIVE), 'utf8').trim().split('\n').slice(1);
      const stored = await platform.db.kysely.selectFrom('gps_fixes').select('device_time').where('vehicle_id', '=', offlineVehicle).execute();
      const kept = keptByJumpRule(lines).length;
      expect(stored).toHaveLength(kept);
      expect(new Set(stored.map((f) => f.device_time.getTime())).size).toBe(kept);
      const frames = await platform.db.kysely.selectFrom('frames').select(['size_bytes']).where('vehicle_id', '=', offlineVehicle).orderBy('captured_at').execute();
      expect(frames.map((f) => f.size_bytes)).toEqual(frameFiles.slice(0, 3).map((f) => readFileSync(f).byteLength));
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  }, 300_000);
});

/**
 * The recorded points (`time,lat,lon,…` lines) a unit keeps by its jump rule (firmware/core/src/fix-filter.cpp): a
 * point more than 50 m and more than 240 km/h away from the last kept one, within 30 s of it, is a jump.
 */
function keptByJumpRule(lines: string[]): string[] {
  const kept: string[] = [];
  let last: { at: number; lat: number; lon: number } | null = null;
  for (const line of lines) {
    const [time, lat, lon] = line.split(',');
    const here = { at: Date.parse(time), lat: Number(lat), lon: Number(lon) };
    if (last) {
      const seconds = (here.at - last.at) / 1000;
      const metres = haversineM(last, here);
      if (seconds <= 30 && metres > 50 && metres > (seconds * 240) / 3.6) continue;
    }
    kept.push(line);
    last = here;
  }
  return kept;
}

function haversineM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(Math.min(1, h)));
}
