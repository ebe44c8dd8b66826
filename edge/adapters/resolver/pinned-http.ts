/**
 * Sends one request over node:http / node:https to addresses already resolved and checked, through a `lookup`
 * that answers those addresses instead of asking DNS again: the socket goes where the check looked, while the
 * Host header, the TLS server name (SNI) and the certificate check still use the URL's host name. Node and Deno
 * (its node:http honours `lookup`) share it. fetch() has no such hook on either runtime without an extra client.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PinnedRequest } from '../../ports/resolver.ts';

export function sendPinned(pinned: PinnedRequest): Promise<number> {
  if (pinned.addresses.length === 0) return Promise.reject(new Error('no address to send to'));
  const url = new URL(pinned.url);
  const entries = pinned.addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  // Node asks for every address (happy eyeballs) or for one, depending on the agent; either way only checked ones.
  const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, entries);
    else callback(null, entries[0].address, entries[0].family);
  }) as unknown as LookupFunction;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      url,
      {
        method: pinned.method,
        headers: { ...pinned.headers, 'Content-Length': String(new TextEncoder().encode(pinned.body).byteLength) },
        lookup,
        // A fresh connection per delivery: a pooled socket could belong to an earlier, differently checked look-up.
        agent: false,
        signal: AbortSignal.timeout(pinned.timeoutMs),
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        // Only the status is recorded: a receiver's body is not read, however long it is.
        res.on('error', () => {});
        res.destroy();
      },
    );
    req.on('error', reject);
    req.end(pinned.body);
  });
}
