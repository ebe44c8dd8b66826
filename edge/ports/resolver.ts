/**
 * Resolver port: what a host name resolves to, and a way to send a request to the very address that was checked.
 * Webhook delivery needs both to refuse names that point inward (see domain/webhooks/webhook-target.ts): checking
 * the name and then letting fetch() resolve it again would leave a window for DNS rebinding.
 */

/** One outbound request sent to checked addresses; the URL's host stays the Host header and the TLS server name. */
export interface PinnedRequest {
  url: string;
  /** The addresses the URL's host resolved to, every one of them checked; the connection goes to one of these. */
  addresses: string[];
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface Resolver {
  /** For logs and tests: node, deno or unsupported. */
  readonly name: string;
  /**
   * Every IPv4 and IPv6 address (as text, no brackets) `host` resolves to now; an IP literal resolves to itself.
   * [] when the name does not exist. 'unsupported' where the runtime has no way to resolve names (Workers).
   * Throws when the look-up itself fails (time-out, server failure): a caller may retry.
   */
  resolve(host: string): Promise<string[] | 'unsupported'>;
  /**
   * Sends `request` to one of `request.addresses` without resolving the host again, and answers the response's
   * status code (the body is discarded). Never follows redirects. Rejects on a network error or after timeoutMs.
   * Absent where resolve() is unsupported.
   */
  sendPinned?(request: PinnedRequest): Promise<number>;
}
