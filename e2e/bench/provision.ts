/** Fleets, vehicles, devices and a fleet owner for a bench run, created straight through the provisioning use cases. */
import { createSystemClock } from '../../edge/adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../../edge/adapters/clock/uuid-v7-ids.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import type { Db } from '../../edge/ports/db.ts';

export interface BenchDevice {
  vehicleId: string;
  key: string;
}

export interface BenchFleet {
  fleetId: string;
  devices: BenchDevice[];
}

export function benchDeps(db: Db) {
  const clock = createSystemClock();
  return { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
}

export async function provisionFleet(db: Db, name: string, devices: number, owner?: { email: string; password: string }): Promise<BenchFleet> {
  const deps = benchDeps(db);
  const fleet = await createFleet(deps, { name });
  if (owner) await createUser(deps, { fleetId: fleet.id, email: owner.email, password: owner.password, role: 'owner' });
  const out: BenchDevice[] = [];
  for (let i = 0; i < devices; i++) {
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: `B${String(i).padStart(5, '0')}` });
    const device = await createDevice(deps, { vehicleId: vehicle.id });
    out.push({ vehicleId: vehicle.id, key: device.key });
  }
  return { fleetId: fleet.id, devices: out };
}
