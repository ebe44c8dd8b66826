/**
 * What a person reads when the server starts (Node, Deno): what to open next, and either the demo logins and device
 * keys (only on the start that created them: they are stored as hashes) or how to get a login back.
 */
import type { DemoData } from '../domain/demo-data.ts';

export interface WelcomeInput {
  /** The server's base URL as a browser on this machine reaches it. */
  url: string;
  /** The demo data created by this start, if it created any. */
  demo: DemoData | null;
  /** The demo simulator was asked for (`--demo`): the taxis are driving. */
  demoDriving: boolean;
  /** The embedded database (PGlite) allows one process at a time, so the admin CLI needs the server stopped. */
  embedded: boolean;
}

const RULE = '='.repeat(72);

export function formatWelcome({ url, demo, demoDriving, embedded }: WelcomeInput): string {
  const base = url.replace(/\/+$/, '');
  const lines = [
    RULE,
    'TaxiWatch is running. Open:',
    `  ${`${base}/`.padEnd(40)} the web app (the owner's map, alerts and trips; admins: /admin)`,
    `  ${`${base}/api/v1/health/`.padEnd(40)} the health of every component`,
    `  ${`${base}/api/docs`.padEnd(40)} the REST API`,
    demoDriving ? 'The demo taxis are driving (--demo).' : 'To watch the demo taxis drive without hardware, start with: npm start -- --demo',
    '',
  ];
  if (demo) {
    lines.push(
      'Demo logins and device keys, shown ONLY ONCE (they are stored as hashes): keep them.',
      `  Owner: ${demo.owner.email}  password: ${demo.owner.password}`,
      `  Admin: ${demo.admin.email}  password: ${demo.admin.password}  (the first login asks to enrol an authenticator app)`,
      `  Demo fleet: ${demo.fleet.name} (${demo.fleet.id})`,
      'Device keys (send as "Authorization: Bearer <key>" or "X-Device-Key: <key>"):',
      ...demo.devices.map((d) => `  ${d.name.padEnd(24)} vehicle ${d.vehicle_id}  key ${d.key}`),
      '',
    );
  } else {
    lines.push(embedded ? 'The demo logins were printed on the first start.' : 'Log in with the accounts created with `npm run admin`.');
  }
  lines.push(
    `Lost a password or an authenticator? ${embedded ? 'Stop the server (the embedded database allows one process), then run' : 'Run'}:`,
    `  npm run admin -- reset-password --email ${demo?.owner.email ?? '<email>'}   (prints a new password)`,
    `  npm run admin -- reset-mfa --email ${demo?.admin.email ?? '<email>'}        (the next login enrols a new authenticator)`,
    RULE,
  );
  return lines.join('\n');
}
