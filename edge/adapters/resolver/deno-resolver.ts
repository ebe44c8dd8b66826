/**
 * The Deno resolver: Deno.resolveDns for A and AAAA records (asks the configured name servers, not /etc/hosts), and
 * the pinned sender (pinned-http.ts) so the request goes to the addresses it returned, whatever /etc/hosts says.
 */
import type { Resolver } from '../../ports/resolver.ts';
import { isIpLiteral } from '../../domain/webhooks/internal-address.ts';
import { sendPinned } from './pinned-http.ts';

type DenoDns = { resolveDns(name: string, type: 'A' | 'AAAA'): Promise<string[]>; errors: { NotFound: new () => Error } };

export function createDenoResolver(deno: DenoDns = (globalThis as unknown as { Deno: DenoDns }).Deno): Resolver {
  const records = async (host: string, type: 'A' | 'AAAA') => {
    try {
      return await deno.resolveDns(host, type);
    } catch (error) {
      // A name with only A (or only AAAA) records answers NotFound for the other type.
      if (error instanceof deno.errors.NotFound) return [];
      throw new Error(`could not resolve ${host}`, { cause: error });
    }
  };
  return {
    name: 'deno',
    async resolve(host) {
      if (isIpLiteral(host)) return [host];
      const [v4, v6] = await Promise.all([records(host, 'A'), records(host, 'AAAA')]);
      return [...v4, ...v6];
    },
    sendPinned,
  };
}
