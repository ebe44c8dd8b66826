/**
 * Provisioning use cases shared by the admin CLI, the start-up bootstrap and (later) the REST API:
 * fleets, users, vehicles, drivers and devices, with validated input and JSON-safe snake_case output.
 */
import { z } from 'zod';
import { isUniqueViolation } from '../db/errors.ts';
import { AppError } from '../errors.ts';
import type { DomainDeps } from './deps.ts';
import { DEVICE_KEY_LIFETIME_DAYS, generateDeviceKey } from './device-keys.ts';
import { hashPassword } from './passwords.ts';
import { isCalendarDate, isValidTimezone, parseInput } from './validation.ts';
import { cameraRoleSchema } from './devices/camera-role.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

const fleetInput = z.object({
  name: z.string().trim().min(1).max(200),
  timezone: z
    .string()
    .trim()
    .default('UTC')
    // IANA names only: newer runtimes also accept offsets like "+01:00", which Postgres would read with POSIX's inverted sign.
    .refine((tz) => /^[A-Za-z]/.test(tz) && isValidTimezone(tz), { message: 'expected an IANA timezone such as Europe/Madrid' })
    // Store the runtime's spelling ("europe/madrid" → "Europe/Madrid") so lists and schedules show one form.
    .transform((tz) => new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone),
  locale: z.enum(['es', 'en']).default('es'),
  speedLimitKmh: z.coerce.number().int().min(10).max(250).default(90),
});

export async function createFleet(deps: DomainDeps, input: z.input<typeof fleetInput>) {
  const data = parseInput(fleetInput, input);
  const row = await deps.db
    .insertInto('fleets')
    .values({ id: deps.ids.next(), name: data.name, timezone: data.timezone, locale: data.locale, speed_limit_kmh: data.speedLimitKmh, created_at: new Date(deps.clock.now()) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...row, created_at: iso(row.created_at) };
}

async function requireFleet(deps: DomainDeps, fleetId: string) {
  const fleet = await deps.db.selectFrom('fleets').select(['id']).where('id', '=', fleetId).executeTakeFirst();
  if (!fleet) throw new AppError('not_found', `fleet ${fleetId} does not exist`);
  return fleet;
}

const vehicleInput = z.object({
  fleetId: z.string().min(1),
  plate: z.string().trim().min(1).max(20).transform((p) => p.toUpperCase().replace(/\s+/g, ' ')),
});

export async function createVehicle(deps: DomainDeps, input: z.input<typeof vehicleInput>) {
  const data = parseInput(vehicleInput, input);
  await requireFleet(deps, data.fleetId);
  try {
    const row = await deps.db
      .insertInto('vehicles')
      .values({ id: deps.ids.next(), fleet_id: data.fleetId, plate: data.plate, status: 'active', created_at: new Date(deps.clock.now()) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...row, created_at: iso(row.created_at) };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `plate ${data.plate} already exists in this fleet`, { cause: error });
    throw error;
  }
}

const driverInput = z.object({
  fleetId: z.string().min(1),
  name: z.string().trim().min(1).max(200),
  licenceNumber: z.string().trim().min(1).max(50).optional(),
  // From 1900 on: Postgres has no year 0, and older dates are typing mistakes.
  licenceExpiresOn: z.string().refine((d) => isCalendarDate(d) && d >= '1900-01-01', { message: 'expected a date as YYYY-MM-DD' }),
});

export async function createDriver(deps: DomainDeps, input: z.input<typeof driverInput>) {
  const data = parseInput(driverInput, input);
  await requireFleet(deps, data.fleetId);
  const row = await deps.db
    .insertInto('drivers')
    .values({
      id: deps.ids.next(),
      fleet_id: data.fleetId,
      name: data.name,
      licence_number: data.licenceNumber ?? null,
      licence_expires_on: data.licenceExpiresOn,
      created_at: new Date(deps.clock.now()),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...row, created_at: iso(row.created_at) };
}

const deviceInput = z.object({
  vehicleId: z.string().min(1),
  name: z.string().trim().max(100).optional(),
  /** Which way the camera looks; a unit is usually mounted facing the driver. */
  cameraRole: cameraRoleSchema.default('cabin'),
});

/** Creates a device bound to a vehicle; the returned `key` is the only time the key is ever visible. */
export async function createDevice(deps: DomainDeps, input: z.input<typeof deviceInput>) {
  const data = parseInput(deviceInput, input);
  const vehicle = await deps.db.selectFrom('vehicles').select(['id', 'fleet_id', 'plate']).where('id', '=', data.vehicleId).executeTakeFirst();
  if (!vehicle) throw new AppError('not_found', `vehicle ${data.vehicleId} does not exist`);
  const { key, prefix, hash } = await generateDeviceKey();
  const now = deps.clock.now();
  const row = await deps.db
    .insertInto('devices')
    .values({
      id: deps.ids.next(),
      fleet_id: vehicle.fleet_id,
      vehicle_id: vehicle.id,
      name: data.name ?? `Camera ${vehicle.plate}`,
      key_prefix: prefix,
      key_hash: hash,
      key_expires_at: new Date(now + DEVICE_KEY_LIFETIME_DAYS * 86_400_000),
      status: 'active',
      camera_role: data.cameraRole,
      created_at: new Date(now),
    })
    .returning(['id', 'fleet_id', 'vehicle_id', 'name', 'camera_role', 'key_prefix', 'key_expires_at', 'status', 'created_at'])
    .executeTakeFirstOrThrow();
  return { ...row, key_expires_at: iso(row.key_expires_at), created_at: iso(row.created_at), key };
}

const userInput = z
  .object({
    fleetId: z.string().min(1).nullable(),
    email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
    password: z.string().min(12, 'must be at least 12 characters').max(200),
    role: z.enum(['admin', 'owner', 'viewer']),
    name: z.string().trim().max(200).default(''),
  })
  .refine((u) => (u.role === 'admin') === (u.fleetId === null), {
    message: 'platform admins belong to no fleet; owners and viewers need one',
    path: ['fleetId'],
  });

export async function createUser(deps: DomainDeps, input: z.input<typeof userInput>) {
  const data = parseInput(userInput, input);
  if (data.fleetId) await requireFleet(deps, data.fleetId);
  try {
    const row = await deps.db
      .insertInto('users')
      .values({
        id: deps.ids.next(),
        fleet_id: data.fleetId,
        email: data.email,
        name: data.name,
        role: data.role,
        password_hash: await hashPassword(data.password),
        created_at: new Date(deps.clock.now()),
      })
      .returning(['id', 'fleet_id', 'email', 'name', 'role', 'created_at'])
      .executeTakeFirstOrThrow();
    return { ...row, created_at: iso(row.created_at) };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `a user with email ${data.email} already exists`, { cause: error });
    throw error;
  }
}

export async function listFleets(deps: DomainDeps) {
  const count = (table: 'vehicles' | 'drivers' | 'devices') =>
    deps.db.selectFrom(table).select(['fleet_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('fleet_id').execute();
  const [fleets, vehicles, drivers, devices] = await Promise.all([
    deps.db.selectFrom('fleets').selectAll().orderBy('created_at').orderBy('id').execute(),
    count('vehicles'),
    count('drivers'),
    count('devices'),
  ]);
  const of = (rows: { fleet_id: string; n: number }[], id: string) => Number(rows.find((r) => r.fleet_id === id)?.n ?? 0);
  return fleets.map((f) => ({
    ...f,
    created_at: iso(f.created_at),
    vehicles: of(vehicles, f.id),
    drivers: of(drivers, f.id),
    devices: of(devices, f.id),
  }));
}
