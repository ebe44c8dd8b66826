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
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
    try {
      const { stdout, stderr } = await exec('node_modules/.bin/tsx', ['edge/runtime/admin-cli.ts', ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('prints one JSON object per command and the device key once', { timeout: 180_000 }, async () => {
    const fleet = await cli('create-fleet', '--name', 'CLI Fleet', '--timezone', 'Europe/Madrid', '--json');
    expect(fleet.code, fleet.stderr).toBe(0);
    const { id: fleetId } = JSON.parse(fleet.stdout);
    const vehicle = JSON.parse((await cli('create-vehicle', '--fleet', fleetId, '--plate', '4321XYZ', '--json')).stdout);
    const device = JSON.parse((await cli('create-device', '--vehicle', vehicle.id, '--json')).stdout);
    expect(device.key).toMatch(/^twd_/);
    const list = JSON.parse((await cli('list-fleets', '--json')).stdout);
    expect(list.fleets).toEqual([expect.objectContaining({ id: fleetId, vehicles: 1, devices: 1 })]);

    const rejected = await cli('create-vehicle', '--fleet', fleetId, '--plate', '4321XYZ', '--json');
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.stderr).error.code).toBe('conflict');

    const wrong = await cli('frobnicate');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('unknown command "frobnicate"');
  });
});
