/**
 * The owner's main page stays within its JavaScript budget: a size check on a real build (no timing). The figure
 * is the one `npm run build:web` prints and `--check-budget` enforces.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, MAIN_PAGE_JS_BUDGET_BYTES, type WebBuild } from './build.ts';

describe('web build', () => {
  let dir: string;
  let built: WebBuild;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taxiwatch-web-build-'));
    built = await buildWeb({ outdir: join(dir, 'dist'), quiet: true });
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps /map's island JavaScript within the budget", () => {
    expect(built.mainPageGzipBytes).toBeLessThanOrEqual(MAIN_PAGE_JS_BUDGET_BYTES);
  });

  it('loads what every page needs as one shared chunk, not one file per set of islands using each part', () => {
    // main.js, the page runtime, the four islands, Leaflet, the taxi markers and the few modules only map islands
    // share: 10 today; 17 before the page runtime was injected into every chunk (web/client/page-runtime.ts).
    expect(built.mainPageFiles.length).toBeLessThanOrEqual(12);
  });
});
