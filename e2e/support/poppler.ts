/**
 * Reads PDFs back the way a person would see them, with Debian's poppler-utils (`apt-get install -y poppler-utils`;
 * .ci/run installs it): the text of every page, the page count, and each page rendered to a PNG.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requiredInCi } from './required-in-ci.ts';

const exec = promisify(execFile);

/** Whether poppler-utils is installed; in CI (CI=true) its absence fails the PDF suites instead of skipping them. */
export const popplerAvailable = requiredInCi(
  existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdftoppm'),
  'poppler-utils (pdftotext, pdftoppm)',
  'apt-get install -y poppler-utils',
);

export interface ReadPdf {
  /** Text per page, in reading order (pdftotext -layout). */
  pages: string[];
  /** PNG files, one per page, under `outDir` when given (kept for a person to look at), else a temp folder. */
  images: Array<{ file: string; bytes: number }>;
}

export async function readPdf(pdf: Uint8Array, options: { outDir?: string; name?: string; dpi?: number } = {}): Promise<ReadPdf> {
  const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    await writeFile(file, pdf);
    const { stdout } = await exec('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 });
    const pages = stdout.split('\f').slice(0, -1);
    const outDir = options.outDir ?? dir;
    const base = options.name ?? 'page';
    await mkdir(outDir, { recursive: true });
    // Pages of an earlier, longer rendering must not be counted as this one's.
    for (const old of (await readdir(outDir)).filter((f) => f.startsWith(`${base}-`) && f.endsWith('.png'))) await rm(join(outDir, old));
    await exec('pdftoppm', ['-png', '-r', String(options.dpi ?? 60), file, join(outDir, base)]);
    const images = await Promise.all(
      (await readdir(outDir))
        .filter((f) => f.startsWith(`${base}-`) && f.endsWith('.png'))
        .sort()
        .map(async (f) => ({ file: join(outDir, f), bytes: (await readFile(join(outDir, f))).length })),
    );
    return { pages, images };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
