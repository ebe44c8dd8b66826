/**
 * Where a webhook may point. Owners type the URL and our servers POST to it, so without a check a webhook is a way
 * to make TaxiWatch call its own network: loopback admin ports, the cloud metadata service (169.254.169.254),
 * private ranges. Such targets are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set (development, tests, or a
 * deployment whose integrators really live on the private network).
 *
 * Two layers. webhookTargetProblem() reads the URL alone: the host as the URL parser canonicalises it (decimal, hex
 * and short IPv4 spellings such as `http://2130706433/` are 127.0.0.1) and names internal by their spelling
 * (internal-address.ts). checkWebhookTarget() then resolves a host name through the runtime's resolver and refuses
 * it when any address is internal; the caller sends to exactly those addresses (Resolver.sendPinned), so a name
 * cannot answer the check with a public address and the connection with a private one. Where the runtime cannot
 * resolve (Workers), names are refused unless WEBHOOK_ALLOW_UNRESOLVED_NAMES is set.
 */
import type { Platform } from '../../platform.ts';
import type { Resolver } from '../../ports/resolver.ts';
import { isInternalAddress, isInternalName, isIpLiteral } from './internal-address.ts';

export type TargetProblem = {
  reason: 'not_http' | 'private_address' | 'credentials_in_url' | 'unresolvable' | 'unchecked_name';
  message: string;
};

const PRIVATE_HINT = 'webhooks go to public endpoints (WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows private ones)';

/** null when the URL may receive webhooks as far as its text tells; otherwise what is wrong, in words an owner can act on. */
export function webhookTargetProblem(rawUrl: string, options: { allowPrivate: boolean }): TargetProblem | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { reason: 'not_http', message: 'expected an http:// or https:// URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { reason: 'not_http', message: 'expected an http:// or https:// URL' };
  // Credentials in the URL would be stored and shown in plain text; a signature header authenticates us instead.
  if (url.username || url.password) return { reason: 'credentials_in_url', message: 'the URL must not contain a user name or password; verify the TaxiWatch-Signature header instead' };
  if (options.allowPrivate || !isPrivateHost(url.hostname)) return null;
  return { reason: 'private_address', message: `${url.hostname} is a loopback, private or link-local address; ${PRIVATE_HINT}` };
}

/** Host names and address literals (IPv6 in brackets, as in a URL) that never belong to a public endpoint. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[')) return isInternalAddress(host.slice(1, -1));
  return isIpLiteral(host) ? isInternalAddress(host) : isInternalName(host);
}

export interface TargetCheckOptions {
  allowPrivate: boolean;
  /** WEBHOOK_ALLOW_UNRESOLVED_NAMES: send to names the runtime cannot resolve, unchecked. */
  allowUnresolvedNames: boolean;
  resolver: Resolver;
  /** A look-up that takes longer counts as failed (default 5 s): a black-holed name server must not hold a request. */
  resolveTimeoutMs?: number;
}

/**
 * ok with the addresses to connect to, or ok with null (send by URL: an IP literal, private targets allowed, or an
 * unresolvable name allowed), or the problem. `retryable` marks a failed look-up, which may succeed later.
 */
export type TargetCheck = { ok: true; addresses: string[] | null } | { ok: false; problem: TargetProblem; retryable: boolean };

export async function checkWebhookTarget(rawUrl: string, options: TargetCheckOptions): Promise<TargetCheck> {
  const problem = webhookTargetProblem(rawUrl, options);
  if (problem) return { ok: false, problem, retryable: false };
  const host = new URL(rawUrl).hostname;
  if (options.allowPrivate || host.startsWith('[') || isIpLiteral(host)) return { ok: true, addresses: null };
  let addresses: string[] | 'unsupported';
  try {
    addresses = await withTimeout(options.resolver.resolve(host), options.resolveTimeoutMs ?? 5_000);
  } catch {
    return { ok: false, problem: { reason: 'unresolvable', message: `${host} could not be resolved; try again later` }, retryable: true };
  }
  if (addresses === 'unsupported') {
    if (options.allowUnresolvedNames) return { ok: true, addresses: null };
    return {
      ok: false,
      problem: { reason: 'unchecked_name', message: `${host} cannot be checked: this server cannot resolve host names (use an IP address, or set WEBHOOK_ALLOW_UNRESOLVED_NAMES=true)` },
      retryable: false,
    };
  }
  if (addresses.length === 0) return { ok: false, problem: { reason: 'unresolvable', message: `${host} does not resolve to any address` }, retryable: true };
  // One internal address is enough to refuse: the connection could go to any of them. Which one is not said.
  if (addresses.some(isInternalAddress)) return { ok: false, problem: { reason: 'private_address', message: `${host} resolves to a loopback, private or link-local address; ${PRIVATE_HINT}` }, retryable: false };
  return { ok: true, addresses };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The options as the platform's configuration and resolver give them: the same at registration and at send time. */
export function webhookTargetOptions(platform: Pick<Platform, 'config' | 'resolver'>): TargetCheckOptions {
  return { allowPrivate: platform.config.WEBHOOK_ALLOW_PRIVATE_TARGETS, allowUnresolvedNames: platform.config.WEBHOOK_ALLOW_UNRESOLVED_NAMES, resolver: platform.resolver };
}
