/**
 * Logging in through the login page in Chromium: a platform admin must set up TOTP on the first login (key and
 * QR code shown, then a code, then the ten recovery codes, confirmed as saved), and gives a code on the next;
 * the settings page makes a new set of recovery codes; logging out ends the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../edge/domain/auth/totp.ts';
import { createUser } from '../../edge/domain/provisioning.ts';
import { chromium, type Page } from 'playwright-core';
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

    // The recovery codes, shown this once: leaving needs the confirmation that they are saved.
    const codes = await recoveryCodesShown(page);
    await page.screenshot({ path: 'test-results/screenshots/desktop-recovery-codes.png', fullPage: true });
    expect(await page.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
    expect(page.url()).toContain('/login');
    await page.getByLabel('I have saved these recovery codes').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${web.url}/incidents`);

    // A new set from the settings page, for a current authenticator code; the old set stops working.
    web.platform.clock.advance(30_000);
    await page.goto(`${web.url}/settings`);
    await page.locator('[data-island="mfa-settings"][data-hydrated="true"]').waitFor();
    expect(await page.getByTestId('mfa-settings').textContent()).toContain('On: 10 unused recovery codes left.');
    await page.getByTestId('mfa-settings').getByLabel('Code from your authenticator app').fill(totpCode(secret, web.platform.clock.now()));
    await page.getByRole('button', { name: 'Make new recovery codes' }).click();
    const renewed = await recoveryCodesShown(page);
    expect(renewed.filter((code) => codes.includes(code))).toEqual([]);
    await page.getByLabel('I have saved these recovery codes').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('recovery-codes').waitFor({ state: 'detached' });
    const stored = await web.platform.db.kysely.selectFrom('users').select('recovery_codes').where('email', '=', 'admin@browser.test').executeTakeFirstOrThrow();
    expect(stored.recovery_codes).toHaveLength(10);

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
      await recoveryCodesShown(page);
      await page.getByLabel('I have saved these recovery codes').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('need HTTPS');
      expect(page.url()).toContain('/login');
    } finally {
      await browser.close();
    }
  });
});

/** The ten codes the page shows, each 10 hex digits. */
async function recoveryCodesShown(page: Page): Promise<string[]> {
  await page.getByTestId('recovery-codes').waitFor();
  const codes = await page.getByTestId('recovery-codes').locator('code').allTextContents();
  expect(codes).toHaveLength(10);
  for (const code of codes) expect(code).toMatch(/^[0-9a-f]{10}$/);
  return codes;
}
