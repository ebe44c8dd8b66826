/**
 * `npm run admin -- verify-pack <file> [--public-key FILE] [--json]`: checks an evidence pack — every file against
 * the manifest's SHA-256, the manifest against its signature, and the signing key against this server's (read from
 * the database) or the key given in FILE (the JSON of GET /api/v1/evidence-packs/public-key, or one JWK).
 * Exit 0: intact and ours; 1: not (each problem printed); 2: the command line or a file could not be read.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { packKeyId, verifyPack, type PublicJwk } from '../domain/evidence/pack-format.ts';

export const VERIFY_PACK_USAGE = 'verify-pack <file> [--public-key FILE]   (checks an evidence pack: files, signature, key)';

export interface VerifyPackArgs {
  file: string;
  publicKeyFile: string | null;
  json: boolean;
}

/** `verify-pack` takes its file as the one positional argument. */
export function parseVerifyPackArgs(argv: string[]): VerifyPackArgs | string {
  let file: string | null = null;
  let publicKeyFile: string | null = null;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--public-key' && argv[i + 1] !== undefined) publicKeyFile = argv[++i];
    else if (arg.startsWith('--public-key=')) publicKeyFile = arg.slice('--public-key='.length);
    else if (!arg.startsWith('--') && file === null) file = arg;
    else return `unexpected argument "${arg}"`;
  }
  return file === null ? 'verify-pack needs the pack file: npm run admin -- verify-pack evidence-pack.zip' : { file, publicKeyFile, json };
}

/** Paths as the person typed them: npm runs scripts from the package root, INIT_CWD is where they were. */
export const fromCaller = (path: string) => (isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path));

export async function trustedKeysFromFile(path: string): Promise<string[]> {
  const parsed = JSON.parse(await readFile(fromCaller(path), 'utf8')) as { keys?: PublicJwk[] } & Partial<PublicJwk>;
  const keys = parsed.keys ?? [parsed as PublicJwk];
  return Promise.all(keys.map((k) => packKeyId({ kty: 'EC', crv: 'P-256', x: k.x!, y: k.y! })));
}

export async function verifyPackFile(args: VerifyPackArgs, trustedKeyIds: string[]): Promise<{ code: number; output: string }> {
  const verdict = await verifyPack(new Uint8Array(await readFile(fromCaller(args.file))), trustedKeyIds);
  const m = verdict.manifest;
  if (args.json) {
    return { code: verdict.ok ? 0 : 1, output: JSON.stringify({ ok: verdict.ok, problems: verdict.problems, pack_id: m?.pack_id ?? null, incident_id: m?.incident_id ?? null, key_id: m?.signature.key_id ?? null, files: m?.files.length ?? 0 }) };
  }
  if (verdict.ok) return { code: 0, output: `intact: ${m!.files.length} files as signed by this server (key ${m!.signature.key_id}), pack ${m!.pack_id} of incident ${m!.incident_id}, made ${m!.created_at}` };
  return { code: 1, output: ['NOT intact:', ...verdict.problems.map((p) => `  - ${p}`)].join('\n') };
}
