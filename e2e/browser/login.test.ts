/**
 * Logging in through the login page in Chromium: a platform admin must set up TOTP on the first login (key and
 * QR code shown, then a code), and gives a code on the next; logging out ends the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../edge/domain/auth/totp.ts';
import { createUser } from '../../edge/domain/provisioning.ts';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const PASSWORD = 'admin-browser-pass-1';

describe.skipIf(!hasChromium)('login page in Chromium', () => {
  let web: WebHarness;

  beforeAll(async () => {
    web = await startWebHarness();
    const { platform } = web;
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    await createUser(deps, { fleetId: null, email: 'admin@browser.test', password: PASSWORD, role: 'admin' });
    await createUser(deps, { fleetId: null, email: 'plain-http@browser.test', password: PASSWORD, role: 'admin' });
  }, 120_000);
  afterAll(() => web?.close());

  it('enrols an admin in TOTP on the first login, asks for a code on the next, and logs out', { timeout: 60_000 }, async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    const passwordStep = async () => {
      await page.goto(`${web.url}/incidents`);
      await page.waitForURL(/\/login\?next=%2Fincidents/);
      await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
      await page.getByLabel('Email').fill('admin@browser.test');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
    };

    await passwordStep();
    const secret = (await page.getByTestId('mfa-secret').textContent())!;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await page.locator('.qr svg').count()).toBe(1);
    await page.getByLabel('Code from your authenticator app').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    expect(page.url()).toContain('/login');
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, web.platform.clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${web.url}/incidents`);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${web.url}/login`);
    await page.goto(`${web.url}/incidents`);
    await page.waitForURL(/\/login\?next=/);

    // A code is good once: the next login uses the next 30-second step.
    web.platform.clock.advance(30_000);
    await passwordStep();
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, web.platform.clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${web.url}/incidents`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Incidents');
    await context.close();
  });

  it('says why a login cannot stick over plain HTTP on a non-local host (Secure cookies refused)', { timeout: 60_000 }, async () => {
    // taxiwatch.test resolves to this loopback server, but to Chromium it is an ordinary insecure origin.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP taxiwatch.test 127.0.0.1'] });
    try {
      const page = await browser.newPage({ locale: 'en-GB' });
      await page.goto(`${web.url.replace('127.0.0.1', 'taxiwatch.test')}/login`);
      await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
      await page.getByLabel('Email').fill('plain-http@browser.test');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      // An admin without TOTP is asked to enrol (the mfa_token travels in the body); the session cookies come after.
      const secret = (await page.getByTestId('mfa-secret').textContent())!;
      await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, web.platform.clock.now()));
      await page.getByRole('button', { name: 'Verify' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('need HTTPS');
      expect(page.url()).toContain('/login');
    } finally {
      await browser.close();
    }
  });
});
