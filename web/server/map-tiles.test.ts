/** Map tiles are configuration: a valid template reaches the map island; a malformed one stops the start-up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../../edge/app.ts';
import { ConfigError, loadConfig, mapTiles } from '../../edge/config.ts';
import { createFleet, createUser } from '../../edge/domain/provisioning.ts';

const TILES = 'https://tiles.example.test/{z}/{x}/{y}.png';

describe('map tiles configuration', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await createTestPlatform({ WEB_MAP_TILE_URL: TILES, WEB_MAP_TILE_ATTRIBUTION: '© Example' });
  });
  afterAll(() => platform.close());

  it('rejects a tile URL that is not a {z}/{x}/{y} template', () => {
    expect(() => loadConfig({ WEB_MAP_TILE_URL: 'https://tiles.example.test/tile.png' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEB_MAP_TILE_URL: 'ftp://tiles.example.test/{z}/{x}/{y}.png' })).toThrow(/WEB_MAP_TILE_URL/);
    expect(loadConfig({}).WEB_MAP_TILE_URL).toBeUndefined();
  });

  it('uses OpenStreetMap’s standard tiles with their attribution unless told otherwise, and none when asked', () => {
    expect(mapTiles(loadConfig({}))).toEqual({ tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', tileAttribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors' });
    expect(mapTiles(loadConfig({ WEB_MAP_TILE_URL: 'none' }))).toEqual({ tileUrl: null, tileAttribution: null });
    expect(mapTiles(loadConfig({ WEB_MAP_TILE_URL: TILES }))).toEqual({ tileUrl: TILES, tileAttribution: null });
  });

  it('hands the configured tiles to the live map', async () => {
    const app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Tiles' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@tiles.test', password: 'tiles-pass-1234', role: 'owner' });
    const login = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@tiles.test', password: 'tiles-pass-1234' }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const html = await (await app.request('/map', { headers: { cookie } })).text();
    const props = JSON.parse(html.match(/data-island="live-map" data-props="([^"]*)"/)![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    expect(props).toMatchObject({ tileUrl: TILES, tileAttribution: '© Example', vehicles: [] });
    expect(html).not.toContain('class="map-note"');
  });
});
