/**
 * What a new device key's QR codes carry. Traccar Client applies a scanned http(s) URL as its configuration: the
 * URL's origin and path become its server URL and the `id` query parameter its device identifier (traccar-client,
 * lib/configuration_service.dart, applyUri) — so one code sets up a phone as a tracker. The camera code is a small
 * JSON document with the server and the key, for firmware provisioning tools.
 */

export const OSMAND_PATH = '/api/v1/osmand';

/** The server's base URL without a trailing slash. */
const base = (serverUrl: string) => serverUrl.replace(/\/+$/, '');

export function traccarClientSetup(serverUrl: string, key: string): string {
  return `${base(serverUrl)}${OSMAND_PATH}?id=${encodeURIComponent(key)}`;
}

export function cameraSetup(serverUrl: string, key: string): string {
  return JSON.stringify({ taxiwatch: 1, server: base(serverUrl), key });
}
