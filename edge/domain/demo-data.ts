/**
 * The demo fleet a newcomer gets on the first start of an empty embedded database: logins, taxis, drivers
 * (one licence expired, one expiring within a week) and devices with their keys. The caller decides whether
 * seeding is allowed at all — only ever on the embedded database, never on a configured DATABASE_URL.
 */
import type { DomainDeps } from './deps.ts';
import { generatePassword } from './passwords.ts';
import { assignDriver } from './driver-assignments.ts';
import { createDevice, createDriver, createFleet, createUser, createVehicle } from './provisioning.ts';
import { withProvisioningLock } from './provisioning-lock.ts';

export interface DemoData {
  fleet: { id: string; name: string };
  admin: { email: string; password: string };
  owner: { email: string; password: string };
  vehicles: { id: string; plate: string }[];
  drivers: { id: string; name: string; licence_expires_on: string }[];
  devices: { id: string; vehicle_id: string; plate: string; key: string }[];
}

// A UTC calendar day, the same way the drivers API computes "today" for licence status.
const day = (deps: DomainDeps, offsetDays: number) => new Date(deps.clock.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Seeds an empty database once and returns what was created (passwords and device keys in clear, for the banner);
 * returns null, doing nothing, when the database already has any fleet. The check and the inserts share one
 * locked transaction, so two starts cannot both seed and a failure leaves nothing half-made.
 * It does not decide whether seeding is allowed: callers only call it for the embedded database (PGlite) with
 * DEMO_DATA on, never for a configured DATABASE_URL, which is somebody's real data.
 */
export async function seedDemoData(deps: DomainDeps): Promise<DemoData | null> {
  return withProvisioningLock(deps.db, 'seed-demo-data', async (tx) => {
    const d = { ...deps, db: tx };
    if (await tx.selectFrom('fleets').select('id').limit(1).executeTakeFirst()) return null;
    const fleet = await createFleet(d, { name: 'Taxis Demo', timezone: 'Europe/Madrid', locale: 'es', speedLimitKmh: 50 });
    const admin = { email: 'admin@taxiwatch.local', password: generatePassword() };
    const owner = { email: 'owner@taxiwatch.local', password: generatePassword() };
    await createUser(d, { fleetId: null, role: 'admin', name: 'Admin Demo', ...admin });
    await createUser(d, { fleetId: fleet.id, role: 'owner', name: 'Dueña Demo', ...owner });
    const vehicles = [];
    for (const plate of ['1234 KLM', '5678 BCD', '9012 FGH']) vehicles.push(await createVehicle(d, { fleetId: fleet.id, plate }));
    const drivers = [
      await createDriver(d, { fleetId: fleet.id, name: 'Lucía Fernández', licenceNumber: 'M-48213', licenceExpiresOn: day(deps, 400) }),
      await createDriver(d, { fleetId: fleet.id, name: 'Javier Morales', licenceNumber: 'M-77102', licenceExpiresOn: day(deps, 5) }),
      await createDriver(d, { fleetId: fleet.id, name: 'Carmen Ortiz', licenceNumber: 'M-30987', licenceExpiresOn: day(deps, -3) }),
    ];
    // Two taxis have a driver, so the map's taxi panel and the vehicles page show one; the expired licence drives none.
    await assignDriver(d, { fleetId: fleet.id, vehicleId: vehicles[0].id, driverId: drivers[0].id, assignedBy: null });
    await assignDriver(d, { fleetId: fleet.id, vehicleId: vehicles[1].id, driverId: drivers[1].id, assignedBy: null });
    const devices = [];
    for (const vehicle of vehicles) {
      const device = await createDevice(d, { vehicleId: vehicle.id });
      devices.push({ id: device.id, vehicle_id: vehicle.id, plate: vehicle.plate, key: device.key });
    }
    return {
      fleet: { id: fleet.id, name: fleet.name },
      admin,
      owner,
      vehicles: vehicles.map((v) => ({ id: v.id, plate: v.plate })),
      drivers: drivers.map((r) => ({ id: r.id, name: r.name, licence_expires_on: r.licence_expires_on })),
      devices,
    };
  });
}

/** The one-time start-up message for a person: where to go, the two logins, and each device's key. */
export function formatDemoBanner(demo: DemoData, url: string): string {
  const base = url.replace(/\/+$/, '');
  const line = '='.repeat(72);
  return [
    line,
    'TaxiWatch demo data created. Keep this: it is shown ONLY ONCE (passwords and keys are stored as hashes).',
    '',
    `Open ${base}/api/v1/health/ to check the server, and ${base}/api/docs for the REST API.`,
    `Log in with POST ${base}/api/v1/auth/login (the admin is asked to enrol an authenticator app first).`,
    '',
    `Demo fleet: ${demo.fleet.name} (${demo.fleet.id})`,
    `  Admin login: ${demo.admin.email}  password: ${demo.admin.password}`,
    `  Owner login: ${demo.owner.email}  password: ${demo.owner.password}`,
    '',
    'Device keys (send as "Authorization: Bearer <key>" or "X-Device-Key: <key>"):',
    ...demo.devices.map((d) => `  ${d.plate.padEnd(10)} vehicle ${d.vehicle_id}  key ${d.key}`),
    line,
  ].join('\n');
}
