/**
 * The owner's first hour, in Chromium at phone (390×844) and desktop (1366×900) sizes, on the demo fleet as
 * `npm start -- --demo` makes it: the Dallas taxis driven by the simulator through the device protocol for ten
 * minutes (one of them stopped reporting five minutes ago). It checks what issue 15 saw broken: every page fits
 * the screen (no sideways overflow, lists as cards on phones), at most five bottom destinations, the map opening at
 * city scale with every taxi in view, a stale taxi marked stale, an evidence frame opened full size, the tiles and
 * their fallback, filters, installability. Screenshots of every page at both sizes go to test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../edge/domain/auth/totp.ts';
import { seedDemoData, type DemoData } from '../../edge/domain/demo-data.ts';
import { recordIncident } from '../../edge/domain/incidents/record-incident.ts';
import { distanceM } from '../../edge/domain/telemetry/geo.ts';
import { refreshIncidentCounts } from '../../edge/domain/telemetry/telemetry-store.ts';
import { loadFrameContext } from '../../edge/domain/vision/frame-analysis-store.ts';
import { planDemoFleet } from '../../edge/runtime/demo-simulator.ts';
import { pngIcon } from '../../web/build-icons.ts';
import { NO_FAULTS } from '../../firmware/simulator/faults.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { runSimulation } from '../../firmware/simulator/simulator.ts';
import type { SimClock } from '../../firmware/simulator/virtual-taxi.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const SHOTS = 'test-results/screenshots';
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } } as const;
type Size = keyof typeof SIZES;
const OSM_TILES = /^https:\/\/tile\.openstreetmap\.org\//;

if (!hasChromium) console.warn('browser tests skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)');

/** Runs in the page: everything that sticks out sideways or hides content behind a sideways scroll. */
function sidewaysOverflow(): string[] {
  const width = document.documentElement.clientWidth;
  const found: string[] = [];
  const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className).split(' ').slice(0, 2).join('.')}`;
  if (document.documentElement.scrollWidth > width + 1) found.push(`the page is ${document.documentElement.scrollWidth}px wide in ${width}px`);
  // Content clipped away on purpose (visually hidden headers kept for screen readers) does not stick out.
  const clipped = (el: Element | null): boolean => !!el && (getComputedStyle(el).clip.startsWith('rect') || clipped(el.parentElement));
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.leaflet-container, .skip-link')) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || box.width === 0 || clipped(el)) continue;
    if (box.right > width + 1) found.push(`${name(el)} ends at ${Math.round(box.right)}px`);
    if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) found.push(`${name(el)} scrolls sideways: ${el.scrollWidth}px in ${el.clientWidth}px`);
  }
  return found;
}

/** Simulated time: sleeping moves it on at once, so ten minutes of driving take seconds. */
const virtualClock = (start: number): SimClock => {
  let now = start;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
};

describe.skipIf(!hasChromium)('the phone app on the demo fleet, in Chromium', () => {
  let web: WebHarness;
  let demo: DemoData;
  let staleTaxi: { id: string; plate: string };
  let incidentId: string;
  let tripWithIncident: string;
  const pageErrors: string[] = [];

  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('response', async (res) => {
      if (res.status() >= 400 && !OSM_TILES.test(res.url())) pageErrors.push(`${res.request().method()} ${res.url()} → ${res.status()}`);
    });
    return page;
  };

  /** A signed-in context; OpenStreetMap's tiles never leave the machine: refused, or answered with a local PNG. */
  const signedIn = async (size: Size, options: { tiles?: 'refused' | 'served'; admin?: boolean; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await web.browser.newContext({ viewport: SIZES[size], locale: options.locale ?? 'es-ES', isMobile: size === 'phone', hasTouch: size === 'phone' });
    const tile = pngIcon(256);
    await context.route(OSM_TILES, (route) => (options.tiles === 'served' ? route.fulfill({ status: 200, contentType: 'image/png', body: Buffer.from(tile) }) : route.abort('internetdisconnected')));
    const who = options.admin ? demo.admin : demo.owner;
    const login = await (await context.request.post(`${web.url}/api/v1/auth/login`, { data: who })).json();
    if (login.mfa_token) {
      const { secret } = await (await context.request.post(`${web.url}/api/v1/auth/mfa/enroll`, { data: { mfa_token: login.mfa_token } })).json();
      await context.request.post(`${web.url}/api/v1/auth/mfa/verify`, { data: { mfa_token: login.mfa_token, code: totpCode(secret, web.platform.clock.now()) } });
    }
    return { context, page: watch(await context.newPage()) };
  };

  const open = async (page: Page, path: string) => {
    await page.goto(`${web.url}${path}`);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-island]')].every((el) => (el as HTMLElement).dataset.hydrated === 'true'));
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    // Ten minutes of a fleet in one frozen server minute: the per-key request budget is not what is tested here.
    // OpenStreetMap's tiles as configured by default (WEB_MAP_TILE_URL unset); their requests are answered or refused here.
    web = await startWebHarness({ env: { RATE_LIMIT_PER_MINUTE: '1000000', WEB_MAP_TILE_URL: '' } });
    const { platform } = web;
    const db = platform.db.kysely;
    demo = (await seedDemoData({ db, clock: platform.clock, ids: platform.ids }))!;
    const taxis = (await planDemoFleet(platform, sharedDataDir()))!;
    const now = platform.clock.now();
    // As a newcomer sees it a few minutes after `npm start -- --demo`.
    const drive = (plans: typeof taxis, minutes: number) =>
      runSimulation({ baseUrl: web.url, taxis: plans, durationSeconds: minutes * 60, frameEverySeconds: 60, heartbeatEverySeconds: 60, restSeconds: 11 * 60, faults: NO_FAULTS, clockFor: () => virtualClock(now - 6 * 60_000) });
    // Four taxis report until now; the fifth went quiet three minutes ago (no coverage, unit off: the map cannot know).
    const [driving, quiet] = [taxis.slice(0, 4), taxis.slice(4)];
    const stats = await Promise.all([drive(driving, 6), drive(quiet, 3)]);
    expect(stats.map((s) => s.dropped)).toEqual([0, 0]);
    staleTaxi = demo.vehicles[4];

    // A camera incident on the second taxi's newest road-camera frame, placed on its trip as the analyse-frame job would.
    const roadCamera = demo.devices.find((d) => d.vehicle_id === demo.vehicles[1].id && d.name.startsWith('Road camera'))!;
    const frame = await db.selectFrom('frames').select(['id', 'vehicle_id', 'device_id', 'captured_at', 'fleet_id']).where('device_id', '=', roadCamera.id).orderBy('captured_at', 'desc').executeTakeFirstOrThrow();
    const { place } = await loadFrameContext(db, frame);
    expect(place.tripId).not.toBeNull();
    tripWithIncident = place.tripId!;
    await db.transaction().execute(async (tx) => {
      const recorded = await recordIncident(
        tx,
        { fleetId: frame.fleet_id, vehicleId: frame.vehicle_id, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.91, description: 'El conductor sostiene un teléfono junto a la oreja.', source: 'vision', occurredAt: frame.captured_at, tripId: place.tripId, frameId: frame.id, latitude: place.latitude, longitude: place.longitude },
        { mergeWindowMs: 0, now: new Date(now), newId: () => platform.ids.next() },
      );
      incidentId = recorded.incidentId;
      await refreshIncidentCounts(tx, [tripWithIncident]);
    });
  }, 240_000);
  afterAll(() => web?.close());
  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  const OWNER_PAGES = ['/map', '/alerts', '/incidents', '/trips', '/vehicles', '/drivers', '/devices', '/settings', '/reports', '/assistant'];
  const pageName = (path: string) => path.replace(/^\//, '').replace(/\/[0-9a-f-]{20,}$/, '-detail').replace(/\//g, '-') || 'home';

  it.each(['phone', 'desktop'] as const)('fits every page on the %s screen: nothing sideways, lists as cards on phones', { timeout: 180_000 }, async (size) => {
    const { context, page } = await signedIn(size);
    const found: string[] = [];
    for (const path of [...OWNER_PAGES, `/incidents/${incidentId}`, `/trips/${tripWithIncident}`]) {
      await open(page, path);
      found.push(...(await page.evaluate(sidewaysOverflow)).map((problem) => `${path}: ${problem}`));
      await page.screenshot({ path: `${SHOTS}/${size}-${pageName(path)}.png` });
    }
    // On phones every list is cards: a row is as wide as the screen allows, its cells stacked.
    await open(page, '/devices');
    const rows = page.locator('table.cards-on-phone tbody tr');
    expect(await rows.count()).toBe(10); // five taxis, a road and a cabin camera each: no simulator devices
    const firstRow = await rows.first().boundingBox();
    if (size === 'phone') expect(firstRow!.height).toBeGreaterThan(150);
    else expect(firstRow!.height).toBeLessThan(150);
    // The actions of every device are on screen (desktop: the last column is not cut).
    const actions = await page.locator('[data-island="device-actions"] button').evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().right));
    expect(actions.length).toBe(20);
    expect(Math.max(...actions)).toBeLessThanOrEqual(SIZES[size].width);
    // Each camera says what it last reported: battery, signal, firmware.
    expect(await page.locator('[data-unit-state]').first().textContent()).toMatch(/Batería \d+ % · Señal -\d+ dBm · taxiwatch-sim 1\.0/);
    expect(found).toEqual([]);
    await context.close();
  });

  it('keeps the phone’s bottom bar to five destinations; the other pages open from More', { timeout: 60_000 }, async () => {
    const { context, page } = await signedIn('phone');
    await open(page, '/map');
    const bar = await page.locator('nav.main-nav').evaluate((nav) =>
      [...nav.querySelectorAll('a, button')].filter((el) => el.getBoundingClientRect().width > 0 && getComputedStyle(el).visibility !== 'hidden').map((el) => (el as HTMLElement).innerText.split('\n')[0].trim()),
    );
    expect(bar).toEqual(['Mapa', 'Alertas', 'Incidentes', 'Viajes', 'Más']);
    const navBox = await page.locator('nav.main-nav').boundingBox();
    expect(navBox!.y + navBox!.height).toBeCloseTo(SIZES.phone.height, 0);
    await page.getByRole('button', { name: 'Más' }).click();
    const more = page.locator('#nav-more-menu');
    await more.waitFor({ state: 'visible' });
    expect(await more.getByRole('link').allTextContents()).toEqual(['Vehículos', 'Conductores', 'Dispositivos', 'Ajustes', 'Informes', 'Asistente']);
    expect(await page.locator('body').textContent()).not.toMatch(/próximamente|coming later/);
    await page.screenshot({ path: `${SHOTS}/phone-more.png` });
    await more.getByRole('link', { name: 'Ajustes' }).click();
    await page.waitForURL(/\/settings$/);
    // Settings: the Dallas timezone picked from the IANA list, the thresholds written as a Spanish reader writes them.
    expect(await page.locator('#settings-timezone').inputValue()).toBe('America/Chicago');
    expect(await page.locator('#settings-timezone option').count()).toBeGreaterThan(300);
    expect(await page.locator('#settings-harsh_braking_ms2').inputValue()).toBe('3,5');
    // The header keeps the fleet's name whole and "En vivo" on one line.
    await page.locator('.live-status[data-state="open"]').waitFor();
    const header = await page.evaluate(() => {
      const name = document.querySelector('.fleet-name') as HTMLElement;
      const live = document.querySelector('.live-status') as HTMLElement;
      return { truncated: name.scrollWidth > name.clientWidth, oneLine: live.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(live).fontSize) + 8 };
    });
    expect(header).toEqual({ truncated: false, oneLine: true });
    await context.close();
  });

  it.each(['phone', 'desktop'] as const)('opens the demo map at city scale (%s): at most 20 km across, every taxi in view, a quiet taxi marked stale', { timeout: 60_000 }, async (size) => {
    const { context, page } = await signedIn(size);
    await open(page, '/map');
    const map = page.getByTestId('map');
    await expect.poll(() => map.getAttribute('data-bounds')).toBeTruthy();
    await expect.poll(() => page.locator('.leaflet-marker-icon[data-vehicle-id]').count()).toBe(5);
    const [west, south, east, north] = (await map.getAttribute('data-bounds'))!.split(',').map(Number);
    const across = Math.max(distanceM({ lat: south, lon: west }, { lat: south, lon: east }), distanceM({ lat: south, lon: west }, { lat: north, lon: west }));
    expect(across).toBeLessThanOrEqual(20_000);
    expect(across).toBeGreaterThan(1_000);
    for (const position of await page.locator('.leaflet-marker-icon[data-vehicle-id]').evaluateAll((markers) => markers.map((m) => m.getAttribute('data-position')!))) {
      const [lat, lon] = position.split(',').map(Number);
      expect(lat >= south && lat <= north && lon >= west && lon <= east, position).toBe(true);
    }
    // The taxi that went quiet five minutes ago: faded, its report age instead of "moving".
    const staleItem = page.locator(`.taxi-item[data-vehicle-id="${staleTaxi.id}"]`);
    expect(await staleItem.getAttribute('data-stale')).toBe('true');
    expect(await staleItem.locator('.status-pill').textContent()).toMatch(/^último dato hace [3-4] min$/);
    expect(await page.locator(`.leaflet-marker-icon[data-vehicle-id="${staleTaxi.id}"]`).getAttribute('class')).toContain('stale');
    expect(await page.locator('.taxi-item[data-stale="true"]').count()).toBe(1);
    expect(await page.locator('.taxi-item:not([data-stale])').first().locator('.status-pill').textContent()).toMatch(/en marcha|parado/);
    // The note about tiles sits over the map, never in the side column.
    const note = await page.locator('.map-note').boundingBox();
    const box = await map.boundingBox();
    expect(note!.x >= box!.x && note!.x + note!.width <= box!.x + box!.width && note!.y + note!.height <= box!.y + box!.height).toBe(true);
    expect(await page.locator('.map-note').textContent()).toContain('No se pudieron cargar las teselas');
    await page.screenshot({ path: `${SHOTS}/${size}-map-demo.png` });

    // Picking a taxi from the list centres the map on it.
    const picked = demo.vehicles[2];
    await page.locator(`.taxi-item[data-vehicle-id="${picked.id}"]`).click();
    await page.getByTestId('vehicle-panel').waitFor();
    const [lat, lon] = (await page.locator(`.leaflet-marker-icon[data-vehicle-id="${picked.id}"]`).getAttribute('data-position'))!.split(',').map(Number);
    await expect
      .poll(async () => {
        const [w, s, e, n] = (await map.getAttribute('data-bounds'))!.split(',').map(Number);
        return distanceM({ lat: (s + n) / 2, lon: (w + e) / 2 }, { lat, lon });
      })
      .toBeLessThan(100);
    await context.close();
  });

  it('uses OpenStreetMap’s tiles with their attribution when they load', { timeout: 60_000 }, async () => {
    const { context, page } = await signedIn('desktop', { tiles: 'served' });
    await open(page, '/map');
    await page.locator('.leaflet-tile-loaded').first().waitFor();
    expect(await page.locator('.leaflet-control-attribution').textContent()).toContain('© OpenStreetMap contributors');
    expect(await page.locator('.leaflet-control-attribution a[href="https://www.openstreetmap.org/copyright"]').count()).toBe(1);
    expect(await page.locator('.map-note').count()).toBe(0);
    await context.close();
  });

  it('opens an evidence frame full size, swipes to the next and offers the download', { timeout: 60_000 }, async () => {
    const { context, page } = await signedIn('phone');
    await open(page, `/incidents/${incidentId}`);
    // Nobody reviewed it: it does not claim a review.
    expect(await page.getByTestId('incident-status').textContent()).toBe('Abierto, sin revisar todavía');
    const thumbs = page.locator('.frame-thumb');
    const count = await thumbs.count();
    expect(count).toBeGreaterThan(1);
    const incidentThumb = page.locator('.incident-frame .frame-thumb');
    const thumbWidth = (await incidentThumb.boundingBox())!.width;
    await incidentThumb.click();
    const viewer = page.getByTestId('frame-viewer');
    await viewer.waitFor({ state: 'visible' });
    const full = viewer.locator('img.frame-full');
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThanOrEqual(960);
    const shown = (await full.boundingBox())!;
    expect(shown.width).toBeGreaterThan(thumbWidth * 1.5);
    expect(shown.width).toBeGreaterThanOrEqual(SIZES.phone.width - 40);
    await page.screenshot({ path: `${SHOTS}/phone-evidence-viewer.png` });
    const first = await full.getAttribute('data-frame-id');
    const position = (await viewer.locator('.frame-viewer-bar span').first().textContent())!;
    // A swipe to the right goes back in time, to the left forward: towards whichever side has frames.
    const [n] = position.match(/\d+/)!.map(Number);
    const [from, to] = n > 1 ? [0.2, 0.8] : [0.8, 0.2];
    await page.mouse.move(shown.x + shown.width * from, shown.y + shown.height / 2);
    await page.mouse.down();
    await page.mouse.move(shown.x + shown.width * to, shown.y + shown.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => full.getAttribute('data-frame-id')).not.toBe(first);
    expect(await viewer.locator('.frame-viewer-bar span').first().textContent()).not.toBe(position);
    const download = viewer.getByRole('link', { name: 'Descargar' });
    expect(await download.getAttribute('download')).toMatch(/^frame-.*\.jpg$/);
    expect(await download.getAttribute('href')).toBe(await full.getAttribute('src'));
    // The owner asks for the frame shown to be analysed again: queued at high priority, said so in place.
    await viewer.getByRole('button', { name: 'Analizar de nuevo' }).click();
    await viewer.getByRole('status').filter({ hasText: 'En cola para analizar' }).waitFor();
    // Asked again while that analysis waits: nothing more is queued, and it says so.
    await viewer.getByRole('button', { name: 'Analizar de nuevo' }).click();
    await viewer.getByRole('status').filter({ hasText: 'Ya está en cola para analizar' }).waitFor();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await context.close();
  });

  it('counts a trip’s incidents as its replay lists them, and filters and pages trips and alerts', { timeout: 60_000 }, async () => {
    const { context, page } = await signedIn('desktop');
    await open(page, `/trips?vehicle_id=${demo.vehicles[1].id}`);
    const row = page.locator(`tr[data-trip-row="${tripWithIncident}"]`);
    expect(await row.locator('[data-incident-count]').textContent()).toBe('1');
    await row.locator('a[data-trip-id]').click();
    await page.waitForURL(/\/trips\//);
    expect(await page.locator('.replay-incidents li').count()).toBe(1);
    // The header's max speed and the chart come from the same fixes: the chart has a line.
    await page.getByTestId('speed-chart').locator('canvas').waitFor();
    const other = demo.vehicles[2];
    await open(page, `/trips?vehicle_id=${other.id}`);
    const plates = await page.locator('table.cards-on-phone tbody tr td:first-child').allTextContents();
    expect(plates.length).toBeGreaterThan(0);
    expect(new Set(plates)).toEqual(new Set([other.plate]));
    expect(await page.locator('details.filter-box').getAttribute('open')).not.toBeNull();
    await open(page, `/alerts?vehicle_id=${staleTaxi.id}`);
    expect((await page.locator('[data-testid="alert-list"] li').allTextContents()).join(' ')).not.toContain(demo.vehicles[1].plate);
    await context.close();
  });

  it('shows the admin live feed readably on a phone, event types as words', { timeout: 90_000 }, async () => {
    const { context, page } = await signedIn('phone', { admin: true });
    await open(page, '/admin/live');
    await page.locator('.live-status[data-state="open"]').waitFor();
    const bar = await page.locator('nav.main-nav').evaluate((nav) => [...nav.querySelectorAll('a, button')].filter((el) => el.getBoundingClientRect().width > 0).length);
    expect(bar).toBe(5);
    // A position arrives live, through the device protocol: the taxi moved a few metres since its last fix.
    const last = await web.platform.db.kysely.selectFrom('gps_fixes').select(['latitude', 'longitude']).where('vehicle_id', '=', demo.vehicles[0].id).orderBy('device_time', 'desc').executeTakeFirstOrThrow();
    const key = demo.devices[0].key;
    const res = await fetch(`${web.url}/api/v1/tracking/location`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ latitude: last.latitude + 0.0001, longitude: last.longitude, speed: 30, timestamp: new Date(web.platform.clock.now() + 30_000).toISOString() }) });
    expect(res.status).toBe(202);
    const row = page.locator('tr[data-event-type="location_update"]').first();
    await row.waitFor();
    expect(await row.locator('td').first().textContent()).toBe('Posición');
    const explanation = await row.locator('td.explanation').boundingBox();
    expect(explanation!.width).toBeGreaterThan(300);
    expect(await page.locator('#live-type option').allTextContents()).toContain('Nueva alerta');
    expect(await page.evaluate(sidewaysOverflow)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/phone-admin-live.png` });
    for (const path of ['/admin', '/admin/fleets', '/admin/devices']) {
      await open(page, path);
      expect(await page.evaluate(sidewaysOverflow), path).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/phone-${pageName(path)}.png` });
    }
    await context.close();
  });

  it('warns that a QR code pointing to this computer cannot be reached by a phone', { timeout: 60_000 }, async () => {
    const { context, page } = await signedIn('phone');
    await open(page, '/devices');
    await page.getByRole('button', { name: 'Crear dispositivo y clave' }).click();
    await page.getByTestId('device-key-card').waitFor();
    expect(await page.getByTestId('qr-unreachable').textContent()).toContain(`apuntan a ${web.url},`);
    expect(await page.getByTestId('qr-unreachable').textContent()).toContain('PUBLIC_URL');
    await context.close();
  });

  it('installs: a manifest, and a service worker that opens an offline page saying it is reconnecting', { timeout: 60_000 }, async () => {
    const { context, page } = await signedIn('phone');
    await open(page, '/map');
    const manifest = await (await context.request.get(`${web.url}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ start_url: '/map', display: 'standalone' });
    expect((await context.request.get(`${web.url}${manifest.icons[0].src}`)).headers()['content-type']).toBe('image/png');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await expect.poll(() => page.evaluate(async () => (await caches.keys()).length)).toBeGreaterThan(0);
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('offline-title').waitFor();
    expect(await page.getByTestId('offline-title').textContent()).toBe('Sin conexión con el servidor. Reconectando…');
    expect(await page.locator('.live-status').textContent()).toBe('Reconectando…');
    await page.screenshot({ path: `${SHOTS}/phone-offline.png` });
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Reintentar ahora' }).click();
    await page.locator('[data-island="live-map"][data-hydrated="true"]').waitFor();
    await context.close();
  });
});
