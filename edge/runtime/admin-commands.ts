/** The admin CLI's commands as a function of parsed arguments, so tests run them without a process. */
import type { DomainDeps } from '../domain/deps.ts';
import { resetMfa, resetPassword } from '../domain/auth/account-recovery.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';
import { assignDriver } from '../domain/driver-assignments.ts';
import { createDevice, createDriver, createFleet, createUser, createVehicle, listFleets } from '../domain/provisioning.ts';
import { notFound } from '../domain/tenancy.ts';
import { cameraRoleSchema, setCameraRole, type CameraRole } from '../domain/devices/camera-role.ts';
import { parseInput } from '../domain/validation.ts';
import { z } from 'zod';

/** Bad command line (unknown command or flag, missing flag): the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: npm run admin -- <command> [options] [--json]

Commands:
  create-fleet   --name N [--timezone TZ] [--locale es|en] [--speed-limit KMH]
  create-vehicle --fleet ID --plate P
  create-driver  --fleet ID --name N --licence-expires YYYY-MM-DD [--licence-number X]
  create-device  --vehicle ID [--name N] [--camera-role cabin|road|dual]   (prints the device key once, as "key")
  set-camera-role --device ID --camera-role cabin|road|dual
  assign-driver  --vehicle ID --driver ID|none   (ends the vehicle's and the driver's current assignments)
  create-admin   --email E --password P [--name N]
  create-user    --fleet ID --email E --password P --role owner|viewer [--name N]
  create-api-key --fleet ID --scopes read:vehicles,read:incidents [--name N]   (prints the key once, as "key")
  reset-password --email E [--password P]   (without --password prints a generated one; ends the user's sessions)
  reset-mfa      --email E   (turns the second factor off; an admin enrols a new authenticator at the next login)
  list-fleets
  verify-pack <file> [--public-key FILE]   (checks an evidence pack: every file, the signature, this server's key)
  send-test-email <address>   (one message through SMTP_URL or RESEND_API_KEY; prints what the service answered)
  help

--json prints one JSON object on stdout. Uses DATABASE_URL, else the embedded database in DATA_DIR
(stop the server first: the embedded database allows one process at a time).`;

export interface ParsedArgs {
  command: string;
  flags: Record<string, string>;
  json: boolean;
}

/** `<command> --flag value --flag=value --json`; no positional arguments. */
export function parseArgs(argv: string[]): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const flags: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json') json = true;
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      const value = inline ?? rest[++i];
      // A following "--x" is the next flag, not this one's value (write --password=--x to mean it).
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else throw new UsageError(`unexpected argument "${arg}"`);
  }
  return { command, flags, json };
}

export interface CommandOutcome {
  /** Printed as JSON with --json. */
  result: unknown;
  /** Printed otherwise: short and human. */
  summary: string;
}

interface Command {
  required: string[];
  optional?: string[];
  run(deps: DomainDeps, flags: Record<string, string>): Promise<CommandOutcome>;
}

const commands: Record<string, Command> = {
  'create-fleet': {
    required: ['name'],
    optional: ['timezone', 'locale', 'speed-limit'],
    async run(deps, f) {
      const fleet = await createFleet(deps, {
        name: f.name,
        timezone: f.timezone,
        locale: f.locale as 'es' | 'en' | undefined,
        speedLimitKmh: f['speed-limit'],
      });
      return { result: fleet, summary: `fleet ${fleet.id} "${fleet.name}" (${fleet.timezone}, ${fleet.locale}, ${fleet.speed_limit_kmh} km/h)` };
    },
  },
  'create-vehicle': {
    required: ['fleet', 'plate'],
    async run(deps, f) {
      const vehicle = await createVehicle(deps, { fleetId: f.fleet, plate: f.plate });
      return { result: vehicle, summary: `vehicle ${vehicle.id} plate ${vehicle.plate}` };
    },
  },
  'create-driver': {
    required: ['fleet', 'name', 'licence-expires'],
    optional: ['licence-number'],
    async run(deps, f) {
      const driver = await createDriver(deps, { fleetId: f.fleet, name: f.name, licenceExpiresOn: f['licence-expires'], licenceNumber: f['licence-number'] });
      return { result: driver, summary: `driver ${driver.id} ${driver.name}, licence expires ${driver.licence_expires_on}` };
    },
  },
  'create-device': {
    required: ['vehicle'],
    optional: ['name', 'camera-role'],
    async run(deps, f) {
      const device = await createDevice(deps, { vehicleId: f.vehicle, name: f.name, cameraRole: f['camera-role'] as CameraRole | undefined });
      return { result: device, summary: `device ${device.id} (${device.camera_role} camera) for vehicle ${device.vehicle_id}\nkey (shown once): ${device.key}` };
    },
  },
  'set-camera-role': {
    required: ['device', 'camera-role'],
    async run(deps, f) {
      const { cameraRole: role } = parseInput(z.object({ cameraRole: cameraRoleSchema }), { cameraRole: f['camera-role'] });
      if (!(await setCameraRole(deps, f.device, role))) throw notFound('device', f.device);
      return { result: { device_id: f.device, camera_role: role }, summary: `device ${f.device} is now a ${role} camera` };
    },
  },
  'assign-driver': {
    required: ['vehicle', 'driver'],
    async run(deps, f) {
      const vehicle = await deps.db.selectFrom('vehicles').select(['id', 'fleet_id', 'plate']).where('id', '=', f.vehicle).executeTakeFirst();
      if (!vehicle) throw notFound('vehicle', f.vehicle);
      const driverId = f.driver === 'none' ? null : f.driver;
      const { driver, changed } = await assignDriver(deps, { fleetId: vehicle.fleet_id, vehicleId: vehicle.id, driverId, assignedBy: null });
      const summary = driver ? `vehicle ${vehicle.plate} is driven by ${driver.name} since ${driver.since}` : `vehicle ${vehicle.plate} has no driver`;
      return { result: { vehicle_id: vehicle.id, driver, changed }, summary: changed ? summary : `${summary} (unchanged)` };
    },
  },
  'create-admin': {
    required: ['email', 'password'],
    optional: ['name'],
    async run(deps, f) {
      const user = await createUser(deps, { fleetId: null, role: 'admin', email: f.email, password: f.password, name: f.name });
      return { result: user, summary: `admin ${user.id} ${user.email}` };
    },
  },
  'create-user': {
    required: ['fleet', 'email', 'password', 'role'],
    optional: ['name'],
    async run(deps, f) {
      if (f.role !== 'owner' && f.role !== 'viewer') throw new UsageError('--role must be owner or viewer (use create-admin for platform admins)');
      const user = await createUser(deps, { fleetId: f.fleet, role: f.role, email: f.email, password: f.password, name: f.name });
      return { result: user, summary: `${user.role} ${user.id} ${user.email}` };
    },
  },
  'create-api-key': {
    required: ['fleet', 'scopes'],
    optional: ['name'],
    async run(deps, f) {
      const scopes = f.scopes.split(',').map((s) => s.trim()).filter(Boolean);
      const key = await createApiKey(deps, { fleetId: f.fleet, scopes, name: f.name });
      return { result: key, summary: `API key ${key.id} (${scopes.join(', ')})\nkey (shown once): ${key.key}` };
    },
  },
  'reset-password': {
    required: ['email'],
    optional: ['password'],
    async run(deps, f) {
      const reset = await resetPassword(deps, { email: f.email, password: f.password });
      const shown = reset.generated ? `\nnew password (shown once): ${reset.password}` : '';
      return { result: reset, summary: `password of ${reset.role} ${reset.email} reset; ${reset.sessions_ended} session(s) ended${shown}` };
    },
  },
  'reset-mfa': {
    required: ['email'],
    async run(deps, f) {
      const reset = await resetMfa(deps, { email: f.email });
      const next = reset.enrol_at_next_login ? 'the next login enrols a new authenticator app' : 'the next login needs only the password';
      return { result: reset, summary: `second factor of ${reset.role} ${reset.email} turned off; ${next}` };
    },
  },
  'list-fleets': {
    required: [],
    async run(deps) {
      const fleets = await listFleets(deps);
      const lines = fleets.map((x) => `${x.id}  ${x.name}  ${x.timezone}  vehicles=${x.vehicles} drivers=${x.drivers} devices=${x.devices}`);
      return { result: { fleets }, summary: lines.join('\n') || 'no fleets' };
    },
  },
  help: {
    required: [],
    async run() {
      return { result: { usage: USAGE }, summary: USAGE };
    },
  },
};

/**
 * Checks the command line against the command's flags without touching the database, so the CLI can refuse a
 * typo before opening it. A misspelt optional flag is an error, not silently a default. Throws UsageError.
 */
export function checkArgs(args: ParsedArgs): void {
  const command = commands[args.command];
  if (!command) throw new UsageError(`unknown command "${args.command}"`);
  const allowed = [...command.required, ...(command.optional ?? [])];
  const unknown = Object.keys(args.flags).find((name) => !allowed.includes(name));
  if (unknown) throw new UsageError(`${args.command} has no --${unknown} option`);
  const missing = command.required.find((name) => args.flags[name] === undefined);
  if (missing) throw new UsageError(`missing --${missing}`);
}

/**
 * Runs one admin command. Resolves with what to print; rejects with UsageError (the CLI exits 2) or with the
 * domain's AppError — validation_failed, not_found, conflict — (the CLI exits 1).
 */
export async function runAdminCommand(deps: DomainDeps, args: ParsedArgs): Promise<CommandOutcome> {
  checkArgs(args);
  return commands[args.command].run(deps, args.flags);
}
