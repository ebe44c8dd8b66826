/** The web pages through app.request(): sessions and redirects, languages, tenancy, assets, and the page data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createMemoryAssets } from '../../edge/adapters/assets/memory-assets.ts';
import { createApp } from '../../edge/app.ts';
import { createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';

const MANIFEST = { files: { 'main.js': '/assets/main-TEST1234.js', 'app.css': '/assets/app-TEST1234.css' } };
const PASSWORD = 'web-pages-pass-123';

describe('web pages', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let bare: ReturnType<typeof createApp>;
  let ownerCookie: string;
  let otherIncident: string;
  let ownIncident: string;

  /** Logs in like the browser does and returns the Cookie header it would send afterwards. */
  const browserLogin = async (email: string) => {
    const res = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(res.status).toBe(200);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.startsWith('tw_refresh')).join('; ');
  };
  const page = (path: string, headers: Record<string, string> = {}, target = app) => target.request(path, { headers: { cookie: ownerCookie, ...headers } });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform, { webAssets: createMemoryAssets({ 'manifest.json': JSON.stringify(MANIFEST), 'assets/main-TEST1234.js': 'export {}' }) });
    bare = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Sol', timezone: 'Europe/Madrid', locale: 'es' });
    const other = await createFleet(deps, { name: 'Other Fleet' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@web.test', password: PASSWORD, role: 'owner' });
    const mine = await createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' });
    const theirs = await createVehicle(deps, { fleetId: other.id, plate: '9999ZZZ' });
    const incident = (fleetId: string, vehicleId: string, id: string, description: string, frameId: string | null = null) =>
      platform.db.kysely
        .insertInto('incidents')
        .values({ id, fleet_id: fleetId, vehicle_id: vehicleId, driver_id: null, trip_id: null, frame_id: frameId, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, description, source: 'vision', latitude: 40.4, longitude: -3.7, occurred_at: new Date('2026-06-01T07:59:00Z'), last_seen_at: new Date('2026-06-01T07:59:00Z'), status_changed_by: null, status_changed_at: null, status_reason: null, created_at: new Date('2026-06-01T07:59:00Z') })
        .execute();
    ownIncident = 'inc-own';
    otherIncident = 'inc-other';
    await incident(fleet.id, mine.id, ownIncident, 'Driver holds a phone to the ear');
    await incident(other.id, theirs.id, otherIncident, 'Secret of the other fleet');
    const at = new Date('2026-06-01T07:59:00Z');
    await platform.db.kysely.insertInto('frames').values({ id: 'frame-own', fleet_id: fleet.id, vehicle_id: mine.id, device_id: null, blob_key: 'frames/x.jpg', captured_at: at, received_at: at, size_bytes: 4, width: 640, height: 480, analysis_status: 'done' }).execute();
    await incident(fleet.id, mine.id, 'inc-framed', 'Driver looks at a phone', 'frame-own');
    ownerCookie = await browserLogin('owner@web.test');
  });
  afterAll(() => platform.close());

  it('sends visitors without a session to the login page, keeping where they were going', async () => {
    const res = await app.request('/incidents?status=open');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fincidents%3Fstatus%3Dopen');
    const expired = await app.request('/map', { headers: { cookie: 'tw_access=not-a-token' } });
    expect(expired.headers.get('location')).toBe('/login?next=%2Fmap');
    expect((await app.request('/')).headers.get('location')).toBe('/map');
  });

  it('renders the login page in the browser language, and a remembered choice wins', async () => {
    const spanish = await (await app.request('/login', { headers: { 'accept-language': 'es-ES,es;q=0.9' } })).text();
    expect(spanish).toContain('<html lang="es"');
    expect(spanish).toContain('Iniciar sesión');
    expect(spanish).toContain('data-island="login-form"');
    const english = await (await app.request('/login', { headers: { 'accept-language': 'es-ES', cookie: 'tw_lang=en' } })).text();
    expect(english).toContain('<html lang="en"');
    const switched = await app.request('/login?lang=en', { headers: { 'accept-language': 'es' } });
    expect(switched.headers.get('set-cookie')).toMatch(/^tw_lang=en;/);
    expect(await switched.text()).toContain('Log in');
  });

  it('never sends a login onwards to another site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const res = await page(`/login?next=${encodeURIComponent(next)}`);
      expect(res.headers.get('location')).toBe('/map');
    }
    expect((await page('/login?next=%2Falerts')).headers.get('location')).toBe('/alerts');
  });

  it('renders the map with the fleet’s taxis only, the built scripts and the boot data', async () => {
    const res = await page('/map', { 'accept-language': 'en' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('1234ABC');
    expect(html).not.toContain('9999ZZZ');
    expect(html).toContain('<script type="module" src="/assets/main-TEST1234.js">');
    expect(html).toContain('data-island="live-map"');
    const boot = JSON.parse(html.match(/<script type="application\/json" id="tw-boot">(.*?)<\/script>/)![1]);
    expect(boot).toMatchObject({ lang: 'en', timeZone: 'Europe/Madrid', live: true, tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', unread: 0, serverTime: '2026-06-01T08:00:00.000Z' });
    expect(boot.tileAttribution).toContain('OpenStreetMap</a> contributors');
    expect(boot.messages['nav.map']).toBe('Map');
    expect(boot.messages).not.toHaveProperty('nav.mapa');
  });

  it('still renders pages, with a clear notice, when the web assets are not built', async () => {
    const html = await (await page('/map', { 'accept-language': 'en' }, bare)).text();
    expect(html).toMatch(/<p class="notice" role="note">[^<]*npm run build:web/);
    expect(await (await page('/map', { 'accept-language': 'en' })).text()).not.toContain('role="note"');
    expect(html).not.toContain('<script type="module"');
  });

  it('serves built assets as immutable files and 404s the rest', async () => {
    const res = await app.request('/assets/main-TEST1234.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect((await app.request('/assets/nope.js')).status).toBe(404);
    expect((await app.request('/assets/..%2Fmanifest.json')).status).toBe(404);
  });

  it('shows an incident of the fleet with its review actions, and 404s another fleet’s', async () => {
    const html = await (await page(`/incidents/${ownIncident}`, { 'accept-language': 'en' })).text();
    expect(html).toContain('Driver holds a phone to the ear');
    expect(html).toContain('data-island="incident-review"');
    expect(html).toContain('False positive');
    // Without a frame there is nothing to label; with one, the owner can teach the fleet's model from it.
    expect(html).not.toContain('data-island="frame-label"');
    const framed = await (await page('/incidents/inc-framed', { 'accept-language': 'en' })).text();
    expect(framed).toContain('data-island="frame-label"');
    expect(framed).toContain('This is phone use');
    expect(framed).toContain('Fleet model: 0 examples');
    // The owner may ask for its frames to be analysed again (the evidence viewer's "Analyse again").
    expect(framed).toContain('data-island="evidence-viewer"');
    expect(framed).toMatch(/canAnalyse(&quot;|")\s*:\s*true/);
    const foreign = await page(`/incidents/${otherIncident}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('Secret of the other fleet');
  });

  it('filters the incident list, and answers a bad filter with 400 rather than a crash', async () => {
    const list = await (await page('/incidents?severity=HIGH', { 'accept-language': 'es' })).text();
    expect(list).toContain('href="/incidents/inc-own"');
    expect(list).toContain('Incidentes');
    expect(await (await page('/incidents?severity=LOW')).text()).not.toContain('href="/incidents/inc-own"');
    expect((await page('/incidents?severity=NOPE')).status).toBe(400);
  });

  it('renders every section of the navigation, with placeholders for what comes later', async () => {
    for (const path of ['/alerts', '/trips', '/vehicles', '/drivers', '/devices', '/reports', '/assistant']) {
      const res = await page(path, { 'accept-language': 'en' });
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain('<main id="main"');
      expect(html, path).toContain(`aria-current="page"`);
    }
    expect(await (await page('/reports', { 'accept-language': 'en' })).text()).toContain('coming later');
  });
});
