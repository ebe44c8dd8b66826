/**
 * `npm run admin -- verify-pack evidence-pack.zip`, run exactly as the docs write it (from the folder holding the
 * file), against the embedded database whose key signed the pack; a tampered copy and another server's key fail.
 */
import { exec as execShell, execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { assemblePack } from '../domain/evidence/pack-format.ts';
import { packSigner } from '../domain/evidence/pack-signing.ts';
import { openLocalDb } from './local-db.ts';

const exec = promisify(execFile);
const here = resolve('test-results/verify-pack');

describe('npm run admin -- verify-pack', () => {
  let dataDir: string;
  const run = async (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    try {
      const { stdout, stderr } = await exec('npm', ['run', 'admin', '--', ...args], { cwd: here, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'taxiwatch-verify-'));
    await mkdir(here, { recursive: true });
    const db = await openLocalDb(loadConfig({ DATA_DIR: dataDir }));
    await migrateToLatest(db.kysely);
    const files = [
      { path: 'frames/001.jpg', bytes: new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]), contentType: 'image/jpeg' },
      { path: 'incident.json', bytes: strToU8('{"incident":{"id":"inc-1"}}'), contentType: 'application/json' },
    ];
    const { bytes } = await assemblePack({ pack_id: 'pack-1', incident_id: 'inc-1', fleet_id: 'fleet-1', created_at: '2026-06-01T08:00:00.000Z', window: { from: '2026-06-01T07:59:30.000Z', to: '2026-06-01T08:00:30.000Z' } }, files, await packSigner(db.kysely));
    await db.close();
    await writeFile(join(here, 'evidence-pack.zip'), bytes);
    const unzipped = unzipSync(bytes);
    unzipped['frames/001.jpg'][3] ^= 0xff;
    await writeFile(join(here, 'tampered.zip'), zipSync(unzipped));
    await writeFile(join(here, 'other-key.json'), JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }));
  }, 120_000);
  afterAll(() => Promise.all([rm(dataDir, { recursive: true, force: true }), rm(here, { recursive: true, force: true })]));

  it('says a pack signed by this server is intact', { timeout: 120_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    // The docs' command itself, through a shell, from the folder holding the pack.
    const ok = await promisify(execShell)(`npm run admin -- verify-pack evidence-pack.zip`, { cwd: here, env }).then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^intact: 2 files as signed by this server \(key [0-9a-f]{16}\), pack pack-1 of incident inc-1/m);
  });

  it('names what was changed, and refuses a key that is not this server\'s', { timeout: 120_000 }, async () => {
    const tampered = await run('verify-pack', 'tampered.zip');
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('frames/001.jpg was changed (its SHA-256 does not match the manifest)');
    const foreign = await run('verify-pack', 'evidence-pack.zip', '--public-key', 'other-key.json', '--json');
    expect(foreign.code).toBe(1);
    expect(JSON.parse(foreign.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: false, pack_id: 'pack-1', problems: [expect.stringContaining('which is not a trusted key of this server')] });
    const missing = await run('verify-pack');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('verify-pack needs the pack file');
  });
});
