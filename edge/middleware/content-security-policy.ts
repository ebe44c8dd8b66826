/**
 * The Content-Security-Policy of the web app's pages. The islands load as one same-origin module script and read
 * their data from a JSON block, so no page needs inline script, eval or inline style: a policy that allows only the
 * app's own origin turns an injected `<script>` or `onclick=` into a refused, reported no-op.
 *
 * Images may also come from map tiles and from object storage (presigned evidence frames), which live on other
 * origins; any https origin is allowed for images (an image cannot run code), plus the configured http ones for
 * local setups. Pages that need something else (the share page, the API docs, the offline page) set their own
 * policy, and this middleware leaves a policy a route set alone.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { Config } from '../config.ts';
import { mapTiles } from '../config.ts';

/** The origin of a URL or tile template (`{s}` subdomains become a wildcard), or null when it has none. */
function originOf(template: string | null | undefined): string | null {
  if (!template) return null;
  const match = template.match(/^(https?):\/\/([^/]+)/);
  return match ? `${match[1]}://${match[2].replace(/\{s\}/g, '*')}` : null;
}

export function webAppPolicy(config: Config): string {
  const httpOrigins = [originOf(mapTiles(config).tileUrl), originOf(config.S3_ENDPOINT)].filter((o): o is string => o !== null && o.startsWith('http:'));
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: https:${httpOrigins.map((o) => ` ${o}`).join('')}`,
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Gives every HTML answer without a policy of its own the web app's policy. */
export function contentSecurityPolicy(config: Config): MiddlewareHandler<AppEnv> {
  const policy = webAppPolicy(config);
  return async (c, next) => {
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (type.startsWith('text/html') && !c.res.headers.has('content-security-policy')) c.res.headers.set('Content-Security-Policy', policy);
  };
}

/** A policy hash of an inline script, for the few pages that must carry one. */
export async function scriptHash(source: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(source)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}
