/**
 * The assistant page in headless Chromium on a phone: tap a suggested question and watch the answer stream in with
 * tappable links, ask a follow-up in English, reopen the conversation from the list after a reload, delete it; then
 * the same page at desktop size. Screenshots land in test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const SHOTS = 'test-results/screenshots';
const PASSWORD = 'assistant-browser-pass-1';

describe.skipIf(!hasChromium)('assistant page in Chromium', () => {
  let web: WebHarness;
  const pageErrors: string[] = [];

  const login = async (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${web.url}/assistant`);
    await page.waitForURL(/\/login\?next=/);
    await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
    await page.getByLabel(/Email|Correo/).fill('owner@assistant.test');
    await page.getByLabel(/Password|Contraseña/).fill(PASSWORD);
    await page.getByRole('button', { name: /Log in|Entrar/ }).click();
    await page.waitForURL(`${web.url}/assistant`);
    await page.locator('[data-island="assistant-chat"][data-hydrated="true"]').waitFor();
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    web = await startWebHarness();
    const deps = { db: web.platform.db.kysely, clock: web.platform.clock, ids: web.platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Sol', timezone: 'Europe/Madrid', locale: 'es' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@assistant.test', password: PASSWORD, role: 'owner' });
    await createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' });
    await createDriver(deps, { fleetId: fleet.id, name: 'Lucía Fernández', licenceExpiresOn: '2026-06-10' });
  }, 120_000);
  afterAll(() => web?.close());

  it('streams an answer on a phone, follows up, reopens and deletes the conversation', { timeout: 90_000 }, async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-ES', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await login(page);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.getByRole('button', { name: '¿Qué licencias caducan en los próximos 30 días?' }).click();
    const answer = page.locator('.chat-assistant').last();
    await expect.poll(() => answer.textContent()).toContain('Lucía Fernández');
    const link = answer.getByRole('link', { name: 'Renovar en Conductores' });
    expect(await link.getAttribute('href')).toBe('/drivers');
    await expect.poll(() => page.url()).toMatch(/\/assistant\?c=/);
    await page.screenshot({ path: `${SHOTS}/phone-assistant.png`, fullPage: true });

    await page.getByLabel('Tu pregunta').fill('How many taxis do I have?');
    await page.getByRole('button', { name: 'Preguntar' }).click();
    await expect.poll(() => page.locator('.chat-assistant').last().textContent()).toContain('Your fleet has 1 taxi');

    const url = page.url();
    await page.reload();
    await page.locator('[data-island="assistant-chat"][data-hydrated="true"]').waitFor();
    expect(page.url()).toBe(url);
    expect(await page.locator('.chat-msg').count()).toBe(4);
    await page.getByRole('button', { name: /^Conversaciones/ }).click();
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: /^Borrar:/ }).click();
    await expect.poll(() => page.locator('.chat-msg').count()).toBe(0);
    expect((await (await page.request.get(`${web.url}/api/v1/chat/conversations`)).json()).data).toEqual([]);
    await context.close();
  });

  it('shows the conversation list beside the chat at desktop size', { timeout: 60_000 }, async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    await login(page);
    await page.getByLabel('Your question').fill('¿Cuántos incidentes hubo hoy?');
    await page.getByLabel('Your question').press('Enter');
    await expect.poll(() => page.locator('.chat-assistant').last().textContent()).toMatch(/Hoy .*0 incidentes/);
    expect(await page.locator('#chat-conversations').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/desktop-assistant.png`, fullPage: true });
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
