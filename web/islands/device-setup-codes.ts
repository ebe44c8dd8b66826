/**
 * What a new device key's QR codes carry. Traccar Client applies a scanned http(s) URL as its configuration: the
 * URL's origin and path become its server URL and the `id` query parameter its device identifier (traccar-client,
 * lib/configuration_service.dart, applyUri) — so one code sets up a phone as a tracker. The camera code is a small
 * JSON document with the server, the key and which way the camera looks (`camera_role`: cabin | road | dual), for
 * firmware provisioning tools.
 */

export const OSMAND_PATH = '/api/v1/osmand';

/** The server's base URL without a trailing slash. */
const base = (serverUrl: string) => serverUrl.replace(/\/+$/, '');

export function traccarClientSetup(serverUrl: string, key: string): string {
  return `${base(serverUrl)}${OSMAND_PATH}?id=${encodeURIComponent(key)}`;
}

export function cameraSetup(serverUrl: string, key: string, cameraRole: string): string {
  return JSON.stringify({ taxiwatch: 1, server: base(serverUrl), key, camera_role: cameraRole });
}

/**
 * True when a device could not reach `serverUrl` from elsewhere: a loopback or unspecified address names the
 * device itself (a phone scanning http://localhost:3000 would look for TaxiWatch on the phone).
 */
export function unreachableFromDevices(serverUrl: string): boolean {
  let host: string;
  try {
    host = new URL(serverUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '0.0.0.0' || host === '[::]';
}
