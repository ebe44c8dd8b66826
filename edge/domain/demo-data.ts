/**
 * The demo fleet a newcomer gets on the first start of an empty embedded database: one city's taxi fleet (Richardson
 * and north Dallas, Texas, where the recorded drives the demo simulator follows were made), its logins, drivers (one
 * licence expired, one expiring within a week) and, in every taxi, a camera facing the road (it also carries the GPS)
 * and one facing the driver. The caller decides whether seeding is allowed at all — only ever on the embedded
 * database, never on a configured DATABASE_URL.
 */
import type { DomainDeps } from './deps.ts';
import { useDemoDeviceKey } from './demo-device-keys.ts';
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
  devices: { id: string; vehicle_id: string; plate: string; name: string; key: string }[];
}

export const DEMO_FLEET = { name: 'Taxis Demo', timezone: 'America/Chicago', locale: 'es', speedLimitKmh: 100 } as const;

/**
 * The taxis, each with the driver at its wheel and the city route the demo simulator drives it on (route n of
 * firmware/simulator/city-routes.ts), starting part way round so the fleet is spread over the map, not bunched.
 * The airport run (route 0) starts on its way back to Richardson: for the first quarter of an hour the fleet stays
 * within about 7 × 8 km, before that taxi heads for Love Field (then the fleet spans up to 18 km).
 */
export const DEMO_TAXIS = [
  { plate: 'KTX-4821', driver: 'Lucía Fernández', route: 0, startAt: 0.9 },
  { plate: 'LMR-3307', driver: 'Marcus Johnson', route: 1, startAt: 0.1 },
  { plate: 'NHV-6152', driver: 'Javier Morales', route: 2, startAt: 0.2 },
  { plate: 'PDJ-9048', driver: 'Aisha Okafor', route: 3, startAt: 0.1 },
  { plate: 'RWB-2716', driver: 'Tom Nguyen', route: 2, startAt: 0.55 },
] as const;

/** Licences: days from today until each expires (Javier's within a week; Carmen's expired, so she drives none). */
const DEMO_DRIVERS = [
  { name: 'Lucía Fernández', licenceNumber: '48213907', days: 400 },
  { name: 'Marcus Johnson', licenceNumber: '77102455', days: 610 },
  { name: 'Javier Morales', licenceNumber: '30987121', days: 5 },
  { name: 'Aisha Okafor', licenceNumber: '52640318', days: 270 },
  { name: 'Tom Nguyen', licenceNumber: '61593870', days: 45 },
  { name: 'Carmen Ortiz', licenceNumber: '19874402', days: -3 },
] as const;

/** Each taxi's cameras, in the order they are made; the road camera is the taxi's GPS unit. */
export const DEMO_CAMERAS = [
  { role: 'road', name: (plate: string) => `Road camera ${plate}` },
  { role: 'cabin', name: (plate: string) => `Cabin camera ${plate}` },
] as const;

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
    const fleet = await createFleet(d, DEMO_FLEET);
    const admin = { email: 'admin@taxiwatch.local', password: generatePassword() };
    const owner = { email: 'owner@taxiwatch.local', password: generatePassword() };
    await createUser(d, { fleetId: null, role: 'admin', name: 'Admin Demo', ...admin });
    await createUser(d, { fleetId: fleet.id, role: 'owner', name: 'Dueña Demo', ...owner });
    const drivers = [];
    for (const driver of DEMO_DRIVERS) drivers.push(await createDriver(d, { fleetId: fleet.id, name: driver.name, licenceNumber: driver.licenceNumber, licenceExpiresOn: day(deps, driver.days) }));
    const vehicles = [];
    const devices = [];
    for (const taxi of DEMO_TAXIS) {
      const vehicle = await createVehicle(d, { fleetId: fleet.id, plate: taxi.plate });
      vehicles.push(vehicle);
      const driver = drivers.find((r) => r.name === taxi.driver)!;
      await assignDriver(d, { fleetId: fleet.id, vehicleId: vehicle.id, driverId: driver.id, assignedBy: null });
      for (const camera of DEMO_CAMERAS) {
        const device = await createDevice(d, { vehicleId: vehicle.id, name: camera.name(taxi.plate), cameraRole: camera.role });
        devices.push({ id: device.id, vehicle_id: vehicle.id, plate: vehicle.plate, name: camera.name(taxi.plate), key: await useDemoDeviceKey(tx, device.id) });
      }
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
