import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import type { DomainDeps } from '../domain/deps.ts';
import type { Db } from '../ports/db.ts';
import { createTestPglite } from '../../e2e/support/test-databases.ts';
import { parseArgs, runAdminCommand, UsageError } from './admin-commands.ts';

describe('admin commands', () => {
  let db: Db;
  let deps: DomainDeps;
  beforeAll(async () => {
    db = await createTestPglite();
    const clock = createManualClock();
    deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
  });
  afterAll(() => db.close());

  const run = (line: string[]) => runAdminCommand(deps, parseArgs(line));

  it('parses flags, --flag=value and --json', () => {
    expect(parseArgs(['create-fleet', '--name', 'A B', '--locale=en', '--json'])).toEqual({ command: 'create-fleet', flags: { name: 'A B', locale: 'en' }, json: true });
    expect(() => parseArgs(['create-fleet', '--name'])).toThrow(UsageError);
    expect(() => parseArgs(['create-fleet', 'stray'])).toThrow(UsageError);
  });

  it('provisions a fleet, vehicle, driver and device, and lists them', async () => {
    const fleet = (await run(['create-fleet', '--name', 'CLI', '--timezone', 'America/Mexico_City', '--speed-limit', '60'])).result as { id: string };
    const vehicle = (await run(['create-vehicle', '--fleet', fleet.id, '--plate', 'abc123'])).result as { id: string; plate: string };
    expect(vehicle.plate).toBe('ABC123');
    await run(['create-driver', '--fleet', fleet.id, '--name', 'Luis', '--licence-expires', '2027-01-31']);
    const device = await run(['create-device', '--vehicle', vehicle.id]);
    expect((device.result as { key: string }).key).toMatch(/^twd_/);
    expect(device.summary).toContain((device.result as { key: string }).key);
    const list = (await run(['list-fleets'])).result as { fleets: unknown[] };
    expect(list.fleets).toEqual([expect.objectContaining({ id: fleet.id, timezone: 'America/Mexico_City', speed_limit_kmh: 60, vehicles: 1, drivers: 1, devices: 1 })]);
  });

  it('creates fleet users and scoped API keys', async () => {
    const fleet = (await run(['create-fleet', '--name', 'People'])).result as { id: string };
    const user = (await run(['create-user', '--fleet', fleet.id, '--email', 'v@people.test', '--password', 'people-password', '--role', 'viewer'])).result;
    expect(user).toMatchObject({ role: 'viewer', fleet_id: fleet.id });
    await expect(run(['create-user', '--fleet', fleet.id, '--email', 'a@people.test', '--password', 'people-password', '--role', 'admin'])).rejects.toThrow(UsageError);
    const key = await run(['create-api-key', '--fleet', fleet.id, '--scopes', 'read:vehicles, read:incidents']);
    expect(key.result).toMatchObject({ scopes: ['read:incidents', 'read:vehicles'], key: expect.stringMatching(/^twk_/) });
    await expect(run(['create-api-key', '--fleet', fleet.id, '--scopes', 'everything'])).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('reports missing flags, unknown commands and rejected input', async () => {
    await expect(run(['create-vehicle', '--plate', 'X'])).rejects.toThrow('missing --fleet');
    await expect(run(['drop-everything'])).rejects.toThrow(UsageError);
    await expect(run(['create-driver', '--fleet', 'nope', '--name', 'A', '--licence-expires', '2027-01-01'])).rejects.toMatchObject({ code: 'not_found' });
    await expect(run(['create-fleet', '--name', 'X', '--speed-limit', 'fast'])).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
