import { describe, expect, it } from 'vitest';
import { createNodeResolver } from '../../adapters/resolver/node-resolver.ts';
import type { Resolver } from '../../ports/resolver.ts';
import { isInternalAddress } from './internal-address.ts';
import { checkWebhookTarget, isPrivateHost, webhookTargetProblem, type TargetCheckOptions } from './webhook-target.ts';

const strict = { allowPrivate: false };

describe('webhookTargetProblem', () => {
  it('accepts public http and https endpoints', () => {
    expect(webhookTargetProblem('https://hooks.example.com/taxiwatch', strict)).toBeNull();
    expect(webhookTargetProblem('http://203.0.113.7:8080/in', strict)).toBeNull();
    expect(webhookTargetProblem('https://[2001:db8::1]/in', strict)).toBeNull();
  });

  it.each([
    'http://127.0.0.1:8080/',
    'http://localhost/',
    'http://LOCALHOST./hook',
    'http://api.localhost/',
    'http://printer.local/',
    'http://metadata.google.internal/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.1.10/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://2130706433/', // 127.0.0.1 in decimal
    'http://0x7f.1/', // 127.0.0.1 in hex, short form
    'http://[::1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::10.0.0.1]/',
    'http://[64:ff9b::192.168.0.1]/',
    'http://[fd00::5]/',
    'http://[fe80::1]/',
    // Names internal by their spelling: localhost variants, single labels (search-domain names such as the metadata
    // services), private-use suffixes, and wildcard-DNS domains that resolve to the address written in the name.
    'http://localhost6/',
    'http://localhost.localdomain/',
    'http://ip6-localhost/',
    'http://localhost.example.com/', // the old zone-file convention: localhost.<domain> is 127.0.0.1
    'http://metadata/computeMetadata/v1/',
    'http://instance-data/latest/',
    'http://intranet:8080/',
    'http://kubernetes.default.svc/',
    'http://kubernetes.default.svc.cluster.local/',
    'http://instance-data.ec2.internal/',
    'http://router.lan/',
    'http://nas.home.arpa/',
    'http://localtest.me/',
    'http://admin.localtest.me/',
    'http://127.0.0.1.nip.io/',
    'http://10-0-0-1.sslip.io/',
    'http://app.lvh.me/',
    // IPv6 spellings that reach an internal IPv4 address or an internal IPv6 range.
    'http://[::ffff:0:127.0.0.1]/', // IPv4-translated (SIIT)
    'http://[::ffff:169.254.169.254]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
    'http://[2002:a9fe:a9fe::1]/', // 6to4 of 169.254.169.254
    'http://[64:ff9b:1::a00:1]/', // local-use NAT64
    'http://[2001::1]/', // Teredo
    'http://[100::1]/', // discard-only
    'http://[fec0::1]/', // site-local
    'http://[ff02::1]/',
    'http://192.88.99.1/', // 6to4 relay anycast
  ])('refuses %s, naming the setting that would allow it', (url) => {
    const problem = webhookTargetProblem(url, strict);
    expect(problem?.reason).toBe('private_address');
    expect(problem?.message).toContain('WEBHOOK_ALLOW_PRIVATE_TARGETS');
    expect(webhookTargetProblem(url, { allowPrivate: true })).toBeNull();
  });

  it('keeps neighbours of private ranges public', () => {
    for (const host of ['172.15.255.255', '172.32.0.1', '11.0.0.1', '169.253.0.1', '100.128.0.1', '192.169.0.1', 'local.example.com', 'mylocalhost.example.com', 'nip.io.example.com', 'hooks.example.com', '[2002:cb00:7107::1]', '[64:ff9b::8.8.8.8]', '[2606:4700:4700::1111]', '[::ffff:8.8.8.8]']) {
      expect(isPrivateHost(host), host).toBe(false);
    }
  });

  it('refuses other schemes and credentials in the URL, whatever the setting', () => {
    expect(webhookTargetProblem('ftp://example.com/', { allowPrivate: true })?.reason).toBe('not_http');
    expect(webhookTargetProblem('not a url', { allowPrivate: true })?.reason).toBe('not_http');
    expect(webhookTargetProblem('https://user:secret@example.com/', { allowPrivate: true })?.reason).toBe('credentials_in_url');
  });
});

/** A resolver answering from a table, counting its look-ups; names missing from the table do not exist. */
function fakeResolver(table: Record<string, string[] | 'unsupported' | Error>) {
  const asked: string[] = [];
  const resolver: Resolver = {
    name: 'fake',
    async resolve(host) {
      asked.push(host);
      const answer = table[host] ?? [];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { resolver, asked };
}

describe('checkWebhookTarget: host names are resolved and every address checked', () => {
  const options = (resolver: Resolver, more: Partial<TargetCheckOptions> = {}): TargetCheckOptions => ({ allowPrivate: false, allowUnresolvedNames: false, resolver, ...more });

  it('allows a public name resolving to public addresses, and answers them to connect to', async () => {
    const { resolver } = fakeResolver({ 'hooks.partner.example': ['203.0.113.7', '2606:4700:4700::1111'] });
    expect(await checkWebhookTarget('https://hooks.partner.example/in', options(resolver))).toEqual({ ok: true, addresses: ['203.0.113.7', '2606:4700:4700::1111'] });
  });

  it.each([['127.0.0.1'], ['10.0.0.8'], ['169.254.169.254'], ['::1'], ['::ffff:7f00:1'], ['203.0.113.7', '192.168.1.1']])('refuses a name resolving to %s (any internal address among its answers)', async (...addresses) => {
    const { resolver } = fakeResolver({ 'hooks.attacker.example': addresses });
    const check = await checkWebhookTarget('http://hooks.attacker.example:8080/', options(resolver));
    expect(check).toMatchObject({ ok: false, retryable: false, problem: { reason: 'private_address' } });
    // The owner learns that the name points inward, not where.
    if (!check.ok) for (const address of addresses) expect(check.problem.message).not.toContain(address);
  });

  it('refuses with the real Node resolver a name that resolves to loopback (localhost, past its name rule)', async () => {
    const check = await checkWebhookTarget('http://localhost:9/', options(createNodeResolver()));
    expect(check).toMatchObject({ ok: false, problem: { reason: 'private_address' } });
    // The resolution step on its own: the same name through the real adapter, judged by its answers alone.
    const addresses = await createNodeResolver().resolve('localhost');
    expect(addresses).not.toEqual([]);
    expect((addresses as string[]).every(isInternalAddress)).toBe(true);
  });

  it('marks a name that does not resolve, or a failed look-up, as retryable', async () => {
    const { resolver } = fakeResolver({ 'flaky.example': new Error('SERVFAIL') });
    expect(await checkWebhookTarget('https://gone.example/', options(resolver))).toMatchObject({ ok: false, retryable: true, problem: { reason: 'unresolvable' } });
    expect(await checkWebhookTarget('https://flaky.example/', options(resolver))).toMatchObject({ ok: false, retryable: true, problem: { reason: 'unresolvable' } });
    const silent: Resolver = { name: 'silent', resolve: () => new Promise(() => {}) };
    expect(await checkWebhookTarget('https://slow.example/', options(silent, { resolveTimeoutMs: 50 }))).toMatchObject({ ok: false, retryable: true, problem: { reason: 'unresolvable' } });
  });

  it('refuses names where the runtime cannot resolve them, unless WEBHOOK_ALLOW_UNRESOLVED_NAMES', async () => {
    const { resolver } = fakeResolver({ 'hooks.partner.example': 'unsupported' });
    const refused = await checkWebhookTarget('https://hooks.partner.example/', options(resolver));
    expect(refused).toMatchObject({ ok: false, retryable: false, problem: { reason: 'unchecked_name' } });
    if (!refused.ok) expect(refused.problem.message).toContain('WEBHOOK_ALLOW_UNRESOLVED_NAMES');
    expect(await checkWebhookTarget('https://hooks.partner.example/', options(resolver, { allowUnresolvedNames: true }))).toEqual({ ok: true, addresses: null });
    // The URL's text is still judged: the setting does not let a metadata name through.
    expect(await checkWebhookTarget('http://metadata.google.internal/', options(resolver, { allowUnresolvedNames: true }))).toMatchObject({ ok: false, problem: { reason: 'private_address' } });
  });

  it('resolves nothing for IP literals, or when private targets are allowed', async () => {
    const { resolver, asked } = fakeResolver({});
    expect(await checkWebhookTarget('http://203.0.113.7/', options(resolver))).toEqual({ ok: true, addresses: null });
    expect(await checkWebhookTarget('http://[2606:4700:4700::1111]/', options(resolver))).toEqual({ ok: true, addresses: null });
    expect(await checkWebhookTarget('http://intranet.example/', options(resolver, { allowPrivate: true }))).toEqual({ ok: true, addresses: null });
    expect(asked).toEqual([]);
  });
});
