/**
 * The caller's address, for throttling and the audit log. Taken from what the runtime observed (Node's socket,
 * Deno's remoteAddr, Cloudflare's cf-connecting-ip) and never from X-Forwarded-For, which any client can forge.
 */
import type { Context } from 'hono';

export function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } }; remoteAddr?: { hostname?: string } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? env?.remoteAddr?.hostname ?? c.req.header('cf-connecting-ip') ?? 'unknown';
}
