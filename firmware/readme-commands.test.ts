/**
 * The commands firmware/README.md tells the reader to run (the blocks marked "run-by: firmware/readme-commands.test.ts"),
 * run exactly as written: the host build and its tests, and the virtual device against a real server on Node's HTTP
 * server. The build commands are also the ones every firmware test builds with (host-build.ts).
 */
import { exec } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createApp } from '../edge/app.ts';
import { createDevice, createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import { buildDir, buildFirmware, README_BUILD_COMMANDS, repoRoot, withBuildLock } from './host-build.ts';
import { sharedDataDir } from './simulator/shared-data.ts';

const run = promisify(exec);
/** The --state folder the README's command names (inside the git-ignored build folder). */
const unitState = join(buildDir, 'unit-1');

/** The sh blocks of the README that follow a run-by marker for this file. */
function markedBlocks(): string[][] {
  const readme = readFileSync(join(repoRoot, 'firmware/README.md'), 'utf8');
  const blocks = [...readme.matchAll(/<!-- run-by: firmware\/readme-commands\.test\.ts -->\n```sh\n([\s\S]*?)```/g)];
  return blocks.map((b) => b[1].trim().split('\n'));
}

/** What the README's marked blocks say, word for word (checked against the README below, then run). */
const DOCUMENTED_BUILD = [`cmake -S firmware -B firmware/build -G Ninja`, `cmake --build firmware/build --parallel 2`, `firmware/build/core-tests`];
const DOCUMENTED_DEVICE = [`firmware/build/virtual-device --state firmware/build/unit-1 --server "$TAXIWATCH_URL" --key "$DEVICE_KEY" --track "$SHARED_DATA_DIR/gps/normalized/barefoot_munich_x0001-015.csv" --frames "$SHARED_DATA_DIR/images/dashcam/udacity_advlane_test1.jpg" --frame-interval 300`];

describe('firmware/README.md commands', () => {
  const [buildBlock, deviceBlock] = markedBlocks();

  it('are the commands this file runs', () => {
    expect(buildBlock).toEqual(DOCUMENTED_BUILD);
    expect(deviceBlock).toEqual(DOCUMENTED_DEVICE);
  });

  let platform: TestPlatform;
  let server: ServerType;
  let url: string;
  let key: string;
  let vehicleId: string;

  beforeAll(async () => {
    await buildFirmware();
    platform = await createTestPlatform({ RATE_LIMIT_PER_MINUTE: '1000000' });
    // The virtual device dates its drive from the real time, so the server's clock must show it too.
    platform.clock.set(Date.now());
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Readme' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'README-1' })).id;
    key = (await createDevice(deps, { vehicleId })).key;
    server = serve({ fetch: createApp(platform).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 600_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await platform?.close();
    rmSync(unitState, { recursive: true, force: true });
  });

  it('builds with the commands the tests build with, and the C++ tests pass', async () => {
    expect(buildBlock.slice(0, 2)).toEqual(README_BUILD_COMMANDS);
    expect(buildBlock).toHaveLength(3);
    await withBuildLock(async () => {
      for (const command of buildBlock) await run(command, { cwd: repoRoot, env: { ...process.env, SHARED_DATA_DIR: sharedDataDir() }, maxBuffer: 64 * 1024 * 1024 });
    });
  }, 600_000);

  it('runs the virtual device against a server', async () => {
    expect(deviceBlock).toHaveLength(1);
    rmSync(unitState, { recursive: true, force: true });
    const { stdout } = await run(deviceBlock[0], { cwd: repoRoot, env: { ...process.env, TAXIWATCH_URL: url, DEVICE_KEY: key, SHARED_DATA_DIR: sharedDataDir() } });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ drained: true, fixes_rejected: 0, frames_stored: 1 });
    const stored = await platform.db.kysely.selectFrom('gps_fixes').select('device_time').where('vehicle_id', '=', vehicleId).execute();
    expect(stored.length).toBe(report.fixes_recorded);
    expect(stored.length).toBe(80);
  }, 300_000);
});
