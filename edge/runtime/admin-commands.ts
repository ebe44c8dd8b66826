/** The admin CLI's commands as a function of parsed arguments, so tests run them without a process. */
import type { DomainDeps } from '../domain/deps.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';
import { createDevice, createDriver, createFleet, createUser, createVehicle, listFleets } from '../domain/provisioning.ts';

export class UsageError extends Error {}

export const USAGE = `Usage: npm run admin -- <command> [options] [--json]

Commands:
  create-fleet   --name N [--timezone TZ] [--locale es|en] [--speed-limit KMH]
  create-vehicle --fleet ID --plate P
  create-driver  --fleet ID --name N --licence-expires YYYY-MM-DD [--licence-number X]
  create-device  --vehicle ID            (prints the device key once, as "key")
  create-admin   --email E --password P
  create-user    --fleet ID --email E --password P --role owner|viewer [--name N]
  create-api-key --fleet ID --scopes read:vehicles,read:incidents [--name N]   (prints the key once, as "key")
  list-fleets
  help`;

export interface ParsedArgs {
  command: string;
  flags: Record<string, string>;
  json: boolean;
}

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
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else throw new UsageError(`unexpected argument "${arg}"`);
  }
  return { command, flags, json };
}

const required = (flags: Record<string, string>, name: string) => {
  const value = flags[name];
  if (value === undefined) throw new UsageError(`missing --${name}`);
  return value;
};

type Command = (deps: DomainDeps, flags: Record<string, string>) => Promise<{ result: unknown; summary: string }>;

const commands: Record<string, Command> = {
  'create-fleet': async (deps, f) => {
    const fleet = await createFleet(deps, {
      name: required(f, 'name'),
      timezone: f.timezone,
      locale: f.locale as 'es' | 'en' | undefined,
      speedLimitKmh: f['speed-limit'],
    });
    return { result: fleet, summary: `fleet ${fleet.id} "${fleet.name}" (${fleet.timezone}, ${fleet.locale})` };
  },
  'create-vehicle': async (deps, f) => {
    const vehicle = await createVehicle(deps, { fleetId: required(f, 'fleet'), plate: required(f, 'plate') });
    return { result: vehicle, summary: `vehicle ${vehicle.id} plate ${vehicle.plate}` };
  },
  'create-driver': async (deps, f) => {
    const driver = await createDriver(deps, {
      fleetId: required(f, 'fleet'),
      name: required(f, 'name'),
      licenceExpiresOn: required(f, 'licence-expires'),
      licenceNumber: f['licence-number'],
    });
    return { result: driver, summary: `driver ${driver.id} ${driver.name}, licence expires ${driver.licence_expires_on}` };
  },
  'create-device': async (deps, f) => {
    const device = await createDevice(deps, { vehicleId: required(f, 'vehicle'), name: f.name });
    return { result: device, summary: `device ${device.id} for vehicle ${device.vehicle_id}\nkey (shown once): ${device.key}` };
  },
  'create-admin': async (deps, f) => {
    const user = await createUser(deps, { fleetId: null, role: 'admin', email: required(f, 'email'), password: required(f, 'password'), name: f.name });
    return { result: user, summary: `admin ${user.id} ${user.email}` };
  },
  'create-user': async (deps, f) => {
    const role = required(f, 'role');
    if (role !== 'owner' && role !== 'viewer') throw new UsageError('--role must be owner or viewer (use create-admin for platform admins)');
    const user = await createUser(deps, { fleetId: required(f, 'fleet'), role, email: required(f, 'email'), password: required(f, 'password'), name: f.name });
    return { result: user, summary: `${user.role} ${user.id} ${user.email}` };
  },
  'create-api-key': async (deps, f) => {
    const scopes = required(f, 'scopes').split(',').map((s) => s.trim()).filter(Boolean);
    const key = await createApiKey(deps, { fleetId: required(f, 'fleet'), scopes, name: f.name });
    return { result: key, summary: `API key ${key.id} (${scopes.join(', ')})\nkey (shown once): ${key.key}` };
  },
  'list-fleets': async (deps) => {
    const fleets = await listFleets(deps);
    const lines = fleets.map((x) => `${x.id}  ${x.name}  ${x.timezone}  vehicles=${x.vehicles} drivers=${x.drivers} devices=${x.devices}`);
    return { result: { fleets }, summary: lines.join('\n') || 'no fleets' };
  },
};

export function knownCommand(command: string): boolean {
  return command in commands;
}

export async function runAdminCommand(deps: DomainDeps, args: ParsedArgs) {
  const command = commands[args.command];
  if (!command) throw new UsageError(`unknown command "${args.command}"`);
  return command(deps, args.flags);
}
