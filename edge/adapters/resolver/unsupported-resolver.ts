/**
 * Where the runtime cannot resolve host names (Cloudflare Workers have no DNS API; fetch resolves out of sight):
 * every name answers 'unsupported', and there is no pinned sender. Callers refuse what they cannot check.
 */
import type { Resolver } from '../../ports/resolver.ts';

export function createUnsupportedResolver(): Resolver {
  return { name: 'unsupported', resolve: async () => 'unsupported' };
}
