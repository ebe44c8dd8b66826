import { describe, expect, it } from 'vitest';
import { isPrivateHost, webhookTargetProblem } from './webhook-target.ts';

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
  ])('refuses %s, naming the setting that would allow it', (url) => {
    const problem = webhookTargetProblem(url, strict);
    expect(problem?.reason).toBe('private_address');
    expect(problem?.message).toContain('WEBHOOK_ALLOW_PRIVATE_TARGETS');
    expect(webhookTargetProblem(url, { allowPrivate: true })).toBeNull();
  });

  it('keeps neighbours of private ranges public', () => {
    for (const host of ['172.15.255.255', '172.32.0.1', '11.0.0.1', '169.253.0.1', '100.128.0.1', '192.169.0.1', 'localhost.example.com', 'local.example.com']) {
      expect(isPrivateHost(host), host).toBe(false);
    }
  });

  it('refuses other schemes and credentials in the URL, whatever the setting', () => {
    expect(webhookTargetProblem('ftp://example.com/', { allowPrivate: true })?.reason).toBe('not_http');
    expect(webhookTargetProblem('not a url', { allowPrivate: true })?.reason).toBe('not_http');
    expect(webhookTargetProblem('https://user:secret@example.com/', { allowPrivate: true })?.reason).toBe('credentials_in_url');
  });
});
