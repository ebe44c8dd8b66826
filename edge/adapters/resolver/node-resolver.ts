/**
 * The Node resolver: the operating system's resolver (getaddrinfo, /etc/hosts included), exactly what a socket
 * would use, and the pinned sender (pinned-http.ts).
 */
import { lookup } from 'node:dns/promises';
import type { Resolver } from '../../ports/resolver.ts';
import { sendPinned } from './pinned-http.ts';

// getaddrinfo's "no such name" answers; anything else (EAI_AGAIN, a time-out) is a failed look-up worth retrying.
const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

export function createNodeResolver(): Resolver {
  return {
    name: 'node',
    async resolve(host) {
      try {
        const answers = await lookup(host, { all: true, verbatim: true });
        return answers.map((a) => a.address);
      } catch (error) {
        if (NOT_FOUND.has((error as { code?: string }).code ?? '')) return [];
        throw new Error(`could not resolve ${host}`, { cause: error });
      }
    },
    sendPinned,
  };
}
