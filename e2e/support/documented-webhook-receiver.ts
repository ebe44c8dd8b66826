/**
 * The webhook receiver example of docs/integrate/webhooks.md, taken from the document and run as written: an
 * implementation independent of the project's own verifyWebhook (node:crypto's createHmac and timingSafeEqual).
 * Only the clock is supplied, so it can judge deliveries signed at a test platform's time.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const DOC = resolve(import.meta.dirname, '../../docs/integrate/webhooks.md');

export type DocumentedVerify = (rawBody: string, header: string, secret: string, toleranceSeconds?: number) => boolean;

/** The first ```js block of the document that defines verifyTaxiWatch. */
export async function documentedReceiverSource(): Promise<string> {
  const markdown = await readFile(DOC, 'utf8');
  const block = [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).find((code) => code.includes('function verifyTaxiWatch('));
  if (!block) throw new Error(`no js block defining verifyTaxiWatch in ${DOC}`);
  return block;
}

/** Loads the documented verifyTaxiWatch; it reads the time from `nowMs` instead of the real clock. */
export async function loadDocumentedReceiver(nowMs: () => number): Promise<DocumentedVerify> {
  const source = await documentedReceiverSource();
  const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-doc-receiver-'));
  const file = join(dir, 'receiver.mjs');
  const key = `__taxiwatchReceiverNow_${crypto.randomUUID().replace(/-/g, '')}`;
  (globalThis as Record<string, unknown>)[key] = nowMs;
  // The example as written, with the module's `Date` answering the supplied clock, and its function exported.
  await writeFile(file, `const Date = { now: () => globalThis.${key}() };\n${source}\nexport { verifyTaxiWatch };\n`);
  try {
    const module = (await import(pathToFileURL(file).href)) as { verifyTaxiWatch: DocumentedVerify };
    return module.verifyTaxiWatch;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
