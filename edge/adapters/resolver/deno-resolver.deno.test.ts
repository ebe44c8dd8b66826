/**
 * The Resolver contract (resolver.contract.ts) run inside Deno (the binary from the `deno` npm package) against the
 * Deno adapter: Deno.resolveDns for names, node:http's `lookup` hook under Deno for the pinned send.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requiredInCi } from '../../../e2e/support/required-in-ci.ts';
import { describe, expect, it } from 'vitest';
import { resolvingCases } from './resolver.contract.ts';
import { selfSignedCertificate } from '../../../e2e/support/self-signed-certificate.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DENO = `${ROOT}node_modules/.bin/deno`;

// Runs every case and prints { name: 'ok' | error message } as one JSON line.
const SCRIPT = `
import { createDenoResolver } from '${new URL('./deno-resolver.ts', import.meta.url).href}';
import { resolvingCases } from '${new URL('./resolver.contract.ts', import.meta.url).href}';
const tls = Deno.env.get('TLS_KEY') ? { key: Deno.env.get('TLS_KEY'), cert: Deno.env.get('TLS_CERT') } : undefined;
const results = {};
for (const c of resolvingCases) {
  try { await c.run(createDenoResolver(), tls); results[c.name] = 'ok'; } catch (error) { results[c.name] = String(error?.message ?? error); }
}
console.log(JSON.stringify(results));`;

describe.skipIf(!requiredInCi(existsSync(DENO), `Deno at ${DENO}`, 'npm ci installs it'))('resolver: deno', () => {
  it('passes every case of the contract', async () => {
    const tls = selfSignedCertificate('pinned-receiver.example');
    const results = await new Promise<Record<string, string>>((resolve, reject) => {
      execFile(DENO, ['eval', '--ext=ts', SCRIPT], { cwd: ROOT, env: { ...process.env, TLS_KEY: tls?.key ?? '', TLS_CERT: tls?.cert ?? '' }, timeout: 90_000 }, (error, stdout, stderr) => {
        if (error) return reject(new Error(`deno failed: ${stderr || error.message}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
      });
    });
    expect(results).toEqual(Object.fromEntries(resolvingCases.map((c) => [c.name, 'ok'])));
  }, 120_000);
});
