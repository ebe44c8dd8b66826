/**
 * Accessibility basics on every owner page, in Chromium at phone and desktop sizes: a language, landmarks, one h1,
 * labelled controls, images with text alternatives, and text contrast of at least 4.5:1 (WCAG AA) against the
 * background it is actually drawn on. Not a full audit: the checks a page must never fail.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const PASSWORD = 'a11y-owner-pass-123';
const PAGES = ['/map', '/alerts', '/incidents', '/trips', '/vehicles', '/drivers', '/devices', '/reports', '/assistant', '/login'];

/** Runs in the page: every problem found, as text. */
function audit(): string[] {
  const problems: string[] = [];
  const visible = (el: Element) => {
    const box = (el as HTMLElement).getBoundingClientRect();
    const style = getComputedStyle(el);
    // checkVisibility also knows content a closed <details> or a closed popover keeps out of sight.
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none' && el.checkVisibility({ contentVisibilityAuto: true });
  };
  const name = (el: Element) => (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? '').trim();
  if (!document.documentElement.lang) problems.push('html has no lang');
  if (document.querySelectorAll('main').length !== 1) problems.push('expected one <main>');
  if (document.querySelectorAll('h1').length !== 1) problems.push(`expected one h1, found ${document.querySelectorAll('h1').length}`);
  for (const nav of document.querySelectorAll('nav')) if (!nav.getAttribute('aria-label')) problems.push('nav without aria-label');
  for (const control of document.querySelectorAll('input, select, textarea')) {
    const field = control as HTMLInputElement;
    if (field.type === 'hidden') continue;
    if ((field.labels?.length ?? 0) === 0 && !field.getAttribute('aria-label')) problems.push(`unlabelled ${field.tagName.toLowerCase()} ${field.name}`);
  }
  for (const el of document.querySelectorAll('button, a[href]')) if (visible(el) && !name(el) && !el.getAttribute('title')) problems.push(`${el.tagName.toLowerCase()} without a name: ${el.outerHTML.slice(0, 80)}`);
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt') && !img.closest('.leaflet-container')) problems.push(`img without alt: ${img.src}`);

  const rgba = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r, g, b]: number[]) => {
    const [R, G, B] = [r, g, b].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  /** The colour behind an element: the first ancestor with an opaque background, blended over its parent's. */
  const background = (el: Element | null): number[] => {
    const layers: number[][] = [];
    for (let node = el; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      const alpha = c.length === 4 ? c[3] : 1;
      if (alpha > 0) layers.push([c[0], c[1], c[2], alpha]);
      if (alpha >= 1) break;
    }
    let colour = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) colour = [r * a + colour[0] * (1 - a), g * a + colour[1] * (1 - a), b * a + colour[2] * (1 - a)];
    return colour;
  };
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.leaflet-container, script, style, noscript, .skip-link') || !visible(el)) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
    if (!ownText) continue;
    const fg = rgba(getComputedStyle(el).color);
    const bg = background(el);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    if (ratio < 4.5) problems.push(`contrast ${ratio.toFixed(2)} for "${(el as HTMLElement).innerText.trim().slice(0, 30)}" (${el.tagName.toLowerCase()}.${el.className})`);
  }
  return problems;
}

describe.skipIf(!hasChromium)('accessibility basics in Chromium', () => {
  let web: WebHarness;

  beforeAll(async () => {
    web = await startWebHarness();
    const deps = { db: web.platform.db.kysely, clock: web.platform.clock, ids: web.platform.ids };
    const fleet = await createFleet(deps, { name: 'A11y' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@a11y.test', password: PASSWORD, role: 'owner' });
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: '1111AAA' });
    await createDevice(deps, { vehicleId: vehicle.id });
    await createDriver(deps, { fleetId: fleet.id, name: 'Ana Ruiz', licenceNumber: 'B-123', licenceExpiresOn: '2026-06-05' });
  }, 120_000);
  afterAll(() => web?.close());

  it('finds the problems it looks for (the audit itself can fail)', async () => {
    const page = await web.browser.newPage();
    await page.setContent(
      '<html><body><main><h1>x</h1><h1>y</h1><nav></nav><input name="q"><button></button><img src="data:,">' +
        '<p style="color:#999;background:#fff">grey on white</p><div style="background:#0f172a"><span style="color:#334155">dark on dark</span></div></main></body></html>',
    );
    const problems = await page.evaluate(audit);
    await page.close();
    expect(problems).toEqual([
      'html has no lang',
      'expected one h1, found 2',
      'nav without aria-label',
      'unlabelled input q',
      expect.stringMatching(/^button without a name/),
      'img without alt: data:,',
      expect.stringMatching(/^contrast 2\.\d+ for "grey on white"/),
      expect.stringMatching(/^contrast 1\.\d+ for "dark on dark"/),
    ]);
  });

  it.each([
    ['phone', { width: 390, height: 844 }, 'es-ES'],
    ['desktop', { width: 1280, height: 800 }, 'en-GB'],
  ] as const)('passes on every owner page (%s)', { timeout: 90_000 }, async (_size, viewport, locale) => {
    const context = await web.browser.newContext({ viewport, locale });
    await context.request.post(`${web.url}/api/v1/auth/login`, { data: { email: 'owner@a11y.test', password: PASSWORD } });
    const page: Page = await context.newPage();
    const found: string[] = [];
    for (const path of PAGES) {
      if (path === '/login') await context.clearCookies();
      await page.goto(`${web.url}${path}`);
      await page.locator('[data-island]').first().waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-island]')].every((el) => (el as HTMLElement).dataset.hydrated === 'true'));
      found.push(...(await page.evaluate(audit)).map((problem) => `${path}: ${problem}`));
    }
    expect(found).toEqual([]);
    await context.close();
  });
});
