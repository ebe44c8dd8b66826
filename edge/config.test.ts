import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './data', DATABASE_URL: undefined, DEMO_DATA: true });
  });

  it('reads the vision triage settings, with defaults', () => {
    expect(loadConfig({})).toMatchObject({ VISION_ROUTINE_MAX_AGE_S: 120, VISION_ROUTINE_BACKLOG: 200, VISION_SLOW_ROUTINE_INTERVAL_S: 60, VISION_EVENT_WINDOW_S: 30, VISION_LATE_UPGRADE_MAX_AGE_S: 600 });
    expect(loadConfig({ VISION_ROUTINE_MAX_AGE_S: '300', VISION_ROUTINE_BACKLOG: '50' })).toMatchObject({ VISION_ROUTINE_MAX_AGE_S: 300, VISION_ROUTINE_BACKLOG: 50 });
    expect(loadConfig({})).toMatchObject({ RUN_JOBS: true, QUEUE_LEASE_MS: 300_000 });
    expect(loadConfig({ RUN_JOBS: 'false', QUEUE_LEASE_MS: '5000' })).toMatchObject({ RUN_JOBS: false, QUEUE_LEASE_MS: 5000 });
  });

  it('reads the keep-alive time-out, 65 s by default (longer than a camera unit keeps an idle connection, 50 s)', () => {
    expect(loadConfig({}).HTTP_KEEP_ALIVE_S).toBe(65);
    expect(loadConfig({ HTTP_KEEP_ALIVE_S: '120' }).HTTP_KEEP_ALIVE_S).toBe(120);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_S: '65s' })).toThrow('HTTP_KEEP_ALIVE_S: expected an integer from 1 to 3600, got "65s"');
  });

  it('reads valid values', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@127.0.0.1/db', DEMO_DATA: 'false' });
    expect(config).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgres://u@127.0.0.1/db', DEMO_DATA: false });
  });

  it('reads the Web Push settings, with a mailto: subject and public endpoints only by default', () => {
    expect(loadConfig({})).toMatchObject({ VAPID_PUBLIC_KEY: undefined, VAPID_PRIVATE_KEY: undefined, VAPID_SUBJECT: 'mailto:alerts@taxiwatch.localhost', PUSH_ALLOW_LOOPBACK_ENDPOINTS: false });
    const keys = { VAPID_PUBLIC_KEY: `B${'x'.repeat(86)}`, VAPID_PRIVATE_KEY: 'y'.repeat(43), VAPID_SUBJECT: 'https://ops.example.com', PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'true' };
    expect(loadConfig(keys)).toMatchObject({ ...keys, PUSH_ALLOW_LOOPBACK_ENDPOINTS: true });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ADMIN_EMAIL: 'root@example.com' }, 'ADMIN_PASSWORD'],
    [{ UPSTASH_REDIS_REST_TOKEN: 'secret' }, 'UPSTASH_REDIS_REST_URL'],
    [{ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'frames' }, 'S3_ACCESS_KEY_ID'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ REDIS_KEY_PREFIX: 'has spaces' }, 'REDIS_KEY_PREFIX'],
    [{ QSTASH_TOKEN: 't', QSTASH_CURRENT_SIGNING_KEY: 'a', QSTASH_NEXT_SIGNING_KEY: 'b' }, 'PUBLIC_URL'],
    [{ QSTASH_TOKEN: 't', PUBLIC_URL: 'https://tw.example' }, 'QSTASH_CURRENT_SIGNING_KEY'],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long-enough-password' }, 'ADMIN_EMAIL'],
    [{ BLOB_SIGNING_SECRET: 'short' }, 'BLOB_SIGNING_SECRET'],
    [{ SMTP_URL: 'http://mail.example:587' }, 'SMTP_URL'],
    [{ RESEND_API_URL: 'ftp://api.resend.com' }, 'RESEND_API_URL'],
    [{ EMAIL_FROM: 'TaxiWatch' }, 'EMAIL_FROM'],
    [{ EMAIL_FROM: 'a@b.example\r\nBcc: x@y.example' }, 'EMAIL_FROM'],
    [{ EMAIL_TIMEOUT_MS: '50' }, 'EMAIL_TIMEOUT_MS'],
    [{ VAPID_PUBLIC_KEY: `B${'a'.repeat(86)}` }, 'VAPID_PRIVATE_KEY'],
    [{ VAPID_PUBLIC_KEY: 'short', VAPID_PRIVATE_KEY: 'a'.repeat(43) }, 'VAPID_PUBLIC_KEY'],
    [{ VAPID_SUBJECT: 'ops@example.com' }, 'VAPID_SUBJECT'],
    [{ PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'maybe' }, 'PUSH_ALLOW_LOOPBACK_ENDPOINTS'],
    [{ VISION_ROUTINE_MAX_AGE_S: '0' }, 'VISION_ROUTINE_MAX_AGE_S'],
    [{ VISION_ROUTINE_BACKLOG: 'many' }, 'VISION_ROUTINE_BACKLOG'],
    [{ HTTP_KEEP_ALIVE_S: '0' }, 'HTTP_KEEP_ALIVE_S'],
    [{ HTTP_KEEP_ALIVE_S: '3601' }, 'HTTP_KEEP_ALIVE_S'],
  ])('rejects %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).message).toContain(`${variable}:`);
      expect((error as ConfigError).issues.map((i) => i.variable)).toEqual([variable]);
    }
  });

  it('reads the email settings, with a default sender and time-out', () => {
    expect(loadConfig({})).toMatchObject({
      EMAIL_FROM: 'TaxiWatch <alerts@taxiwatch.localhost>',
      SMTP_URL: undefined,
      RESEND_API_KEY: undefined,
      EMAIL_TIMEOUT_MS: 10_000,
    });
    const config = loadConfig({
      EMAIL_FROM: 'Radio Taxi Ñandú <avisos@nandu.example>',
      SMTP_URL: 'smtps://user:p%40ss@mail.example:465',
      RESEND_API_KEY: 're_123',
      RESEND_API_URL: 'http://127.0.0.1:8025',
    });
    expect(config).toMatchObject({
      EMAIL_FROM: 'Radio Taxi Ñandú <avisos@nandu.example>',
      SMTP_URL: 'smtps://user:p%40ss@mail.example:465',
      RESEND_API_KEY: 're_123',
      RESEND_API_URL: 'http://127.0.0.1:8025',
    });
    expect(loadConfig({ EMAIL_FROM: 'alerts@fleet.example' }).EMAIL_FROM).toBe('alerts@fleet.example');
  });
});
