/** The real admin CLI process against a fresh embedded database. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);

describe('npm run admin', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taxiwatch-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const cli = async (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir };
    delete env.DATABASE_URL; // the embedded database in DATA_DIR
    try {
      const { stdout, stderr } = await exec('node_modules/.bin/tsx', ['edge/runtime/admin-cli.ts', ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  // Each run opens the PGlite data directory afresh (~3-9 s).
  it('prints one JSON object per command and the device key once', { timeout: 120_000 }, async () => {
    const fleet = await cli('create-fleet', '--name', 'CLI Fleet', '--timezone', 'Europe/Madrid', '--json');
    expect(fleet.code, fleet.stderr).toBe(0);
    const { id: fleetId } = JSON.parse(fleet.stdout);
    const vehicle = JSON.parse((await cli('create-vehicle', '--fleet', fleetId, '--plate', '4321XYZ', '--json')).stdout);
    const device = JSON.parse((await cli('create-device', '--vehicle', vehicle.id, '--json')).stdout);
    expect(device).toMatchObject({ vehicle_id: vehicle.id, fleet_id: fleetId, key: expect.stringMatching(/^twd_/) });
    const list = JSON.parse((await cli('list-fleets', '--json')).stdout);
    expect(list).toEqual({ fleets: [expect.objectContaining({ id: fleetId, name: 'CLI Fleet', vehicles: 1, devices: 1, drivers: 0 })] });

    const rejected = await cli('create-vehicle', '--fleet', fleetId, '--plate', '4321XYZ', '--json');
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toBe('');
    expect(JSON.parse(rejected.stderr).error).toMatchObject({ code: 'conflict', message: expect.stringContaining('4321XYZ') });

    const human = await cli('list-fleets');
    expect(human.stdout).toMatch(new RegExp(`^${fleetId}  CLI Fleet  Europe/Madrid  vehicles=1 drivers=0 devices=1\\n$`));
  });

  it('exits 2 with the usage on a bad command line', { timeout: 60_000 }, async () => {
    const wrong = await cli('frobnicate');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('unknown command "frobnicate"');
    expect(wrong.stderr).toContain('Usage: npm run admin');
    const missing = await cli('create-vehicle', '--plate', 'X', '--json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --fleet');
    const help = await cli('help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('create-device');
  });

  it('exits 2 naming the variable when the configuration is invalid', { timeout: 60_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'loud' };
    delete env.DATABASE_URL;
    const failure = await exec('node_modules/.bin/tsx', ['edge/runtime/admin-cli.ts', 'list-fleets'], { env }).catch((e) => e);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('LOG_LEVEL');
  });
});
