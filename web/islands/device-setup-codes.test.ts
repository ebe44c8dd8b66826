import { describe, expect, it } from 'vitest';
import { cameraSetup, traccarClientSetup } from './device-setup-codes.ts';

describe('device setup codes', () => {
  it('gives Traccar Client the OsmAnd URL with the key as its device identifier', () => {
    const text = traccarClientSetup('https://fleet.example/', 'twd_abc+/=');
    const url = new URL(text);
    // What Traccar Client keeps from a scanned URL: origin + path as the server URL, ?id= as the identifier.
    expect(`${url.origin}${url.pathname}`).toBe('https://fleet.example/api/v1/osmand');
    expect(url.searchParams.get('id')).toBe('twd_abc+/=');
  });

  it('gives the camera the server, the key and its camera role as JSON', () => {
    expect(JSON.parse(cameraSetup('http://192.168.1.20:3000', 'twd_x', 'road'))).toEqual({ taxiwatch: 1, server: 'http://192.168.1.20:3000', key: 'twd_x', camera_role: 'road' });
  });
});
