/**
 * The scorecard on a phone (390×844) in Chromium: the owner opens the leaderboard, sees the driver who needs
 * coaching, opens her scorecard (score, chart, the "why"), records a coaching session ticking the incident discussed,
 * and finds it in the coaching history — once, whatever the taps. Nothing sticks out sideways.
 * Then the driver view: the owner turns it on from the scorecard's "Share with driver" card, creates a link, and the
 * driver opens it on a phone with no login, seeing only her own score and incidents, until it is withdrawn.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const PASSWORD = 'scorecard-browser-pass-1';

describe.skipIf(!hasChromium)('scorecard and coaching on a phone, in Chromium', () => {
  let web: WebHarness;
  let driverId: string;
  let fleetId: string;
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) pageErrors.push(`${res.request().method()} ${res.url()} → ${res.status()}`);
    });
    return page;
  };

  beforeAll(async () => {
    web = await startWebHarness();
    const { platform } = web;
    const db = platform.db.kysely;
    const deps = { db, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Sol', timezone: 'Europe/Madrid', locale: 'en' });
    fleetId = fleet.id;
    await createUser(deps, { fleetId: fleet.id, email: 'owner@scorecard.test', password: PASSWORD, role: 'owner' });
    const vehicleId = (await createVehicle(deps, { fleetId: fleet.id, plate: '7777SOL' })).id;
    driverId = (await createDriver(deps, { fleetId: fleet.id, name: 'Ana Sol', licenceExpiresOn: '2030-01-01' })).id;
    const now = platform.clock.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3600_000);
    // Another driver of the fleet, with an incident of his own: the driver view must never show him.
    const brunoTaxi = (await createVehicle(deps, { fleetId: fleet.id, plate: '8888LUN' })).id;
    const brunoId = (await createDriver(deps, { fleetId: fleet.id, name: 'Bruno Luna', licenceExpiresOn: '2030-01-01' }))
      .id;
    await db
      .insertInto('vehicle_drivers')
      .values({
        id: platform.ids.next(),
        fleet_id: fleet.id,
        vehicle_id: brunoTaxi,
        driver_id: brunoId,
        started_at: at(24 * 20),
        ended_at: null,
        assigned_by: null,
        created_at: at(24 * 20),
      })
      .execute();
    await db
      .insertInto('incidents')
      .values({
        id: 'scorecard-bruno-smoking',
        fleet_id: fleet.id,
        vehicle_id: brunoTaxi,
        driver_id: null,
        trip_id: null,
        frame_id: null,
        type: 'SMOKING',
        severity: 'LOW',
        confidence: 0.9,
        description: 'Cigarette',
        source: 'vision',
        status: 'open',
        latitude: 40.4,
        longitude: -3.7,
        occurred_at: at(2),
        last_seen_at: at(2),
        status_changed_by: null,
        status_changed_at: null,
        status_reason: null,
        status_reason_code: null,
        created_at: at(2),
      })
      .execute();
    await db
      .insertInto('vehicle_drivers')
      .values({
        id: platform.ids.next(),
        fleet_id: fleet.id,
        vehicle_id: vehicleId,
        driver_id: driverId,
        started_at: at(24 * 20),
        ended_at: null,
        assigned_by: null,
        created_at: at(24 * 20),
      })
      .execute();
    await db
      .insertInto('trips')
      .values({
        id: 'scorecard-trip',
        fleet_id: fleet.id,
        vehicle_id: vehicleId,
        driver_id: null,
        started_at: at(1),
        ended_at: at(0.5),
        distance_m: 50_000,
        duration_s: 1800,
      })
      .execute();
    await db
      .insertInto('incidents')
      .values({
        id: 'scorecard-critical',
        fleet_id: fleet.id,
        vehicle_id: vehicleId,
        driver_id: null,
        trip_id: null,
        frame_id: null,
        type: 'PHONE_USAGE',
        severity: 'CRITICAL',
        confidence: 0.9,
        description: 'Phone in hand',
        source: 'vision',
        status: 'open',
        latitude: 40.4,
        longitude: -3.7,
        occurred_at: at(0.8),
        last_seen_at: at(0.8),
        status_changed_by: null,
        status_changed_at: null,
        status_reason: null,
        status_reason_code: null,
        created_at: at(0.8),
      })
      .execute();
  }, 120_000);
  afterAll(() => web?.close());
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  it('shows the score and its why, and records a coaching session once', { timeout: 90_000 }, async () => {
    const context = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
    });
    const page = watch(await context.newPage());
    await page.goto(`${web.url}/scores`);
    await page.waitForURL(/\/login\?next=/);
    await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
    await page.getByLabel('Email').fill('owner@scorecard.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${web.url}/scores`);

    // PHONE_USAGE CRITICAL: 4 × 5 = 20 points over 50 km = 40 per 100 km → 60; a critical incident queues her.
    const queue = page.locator('.coaching-queue');
    await expect.poll(() => queue.textContent()).toContain('Ana Sol');
    await queue.getByRole('link', { name: 'Ana Sol' }).click();
    await page.waitForURL(`${web.url}/drivers/${driverId}`);
    expect(await page.getByTestId('score').textContent()).toBe('60');
    expect(await page.locator('.score-why').textContent()).toContain('Phone use');
    expect(await page.locator('svg.score-chart circle').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.score-chart .score-chart-coaching').count()).toBe(0);
    // This week's trip, linked to its replay.
    expect(await page.getByTestId('scorecard-trip').getByRole('link').getAttribute('href')).toBe(
      '/trips/scorecard-trip',
    );
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1),
    ).toBe(true);

    const form = page.locator('[data-island="coaching-form"][data-hydrated="true"]');
    await form.waitFor();
    await form.getByRole('checkbox').check();
    await form.getByLabel('Notes').fill('Talked about the phone holder');
    await form.getByLabel('Agreed action').fill('Hands-free only');
    await form.getByLabel('Follow-up date').fill('2026-06-15');
    await form.getByRole('button', { name: 'Save session' }).click();
    const session = page.getByTestId('coaching-session');
    await session.waitFor();
    expect(await session.textContent()).toContain('Hands-free only');
    expect(await session.textContent()).toContain('Follow up on 2026-06-15');
    const stored = await web.platform.db.kysely
      .selectFrom('coaching_sessions')
      .selectAll()
      .where('driver_id', '=', driverId)
      .execute();
    expect(stored).toHaveLength(1);
    // The session is marked on the trend chart, labelled with its day for a screen reader.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(stored[0]!.created_at);
    await expect.poll(() => page.getByRole('img', { name: `Coaching session on ${day}` }).count()).toBe(1);

    // Coached since the week began: she leaves the queue.
    await page.goto(`${web.url}/scores`);
    expect(await page.locator('section', { hasText: 'Needs coaching' }).textContent()).toContain(
      'Nobody needs coaching this week.',
    );
    await context.close();
  });

  it(
    "shares the driver's own score through a link she opens with no login, until it is withdrawn",
    { timeout: 120_000 },
    async () => {
      const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB' };
      const owner = await web.browser.newContext(phone);
      await owner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
      const page = watch(await owner.newPage());
      await page.goto(`${web.url}/drivers/${driverId}`);
      await page.waitForURL(/\/login\?next=/);
      await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
      await page.getByLabel('Email').fill('owner@scorecard.test');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${web.url}/drivers/${driverId}`);

      // Off by default: the card says so and leads to the setting.
      const card = page.getByTestId('driver-share');
      expect(await card.textContent()).toContain('Drivers cannot see their own score in this fleet yet');
      await card.getByRole('link', { name: 'Turn it on in Settings' }).click();
      await page.waitForURL(`${web.url}/settings#settings-drivers-see-own-score`);
      const settings = page.locator('[data-island="fleet-settings"][data-hydrated="true"]');
      await settings.waitFor();
      await settings.getByLabel(/Drivers may see their own score/).check();
      await settings.getByRole('button', { name: 'Save settings' }).click();
      await settings.getByRole('status').waitFor();
      const stored = await web.platform.db.kysely
        .selectFrom('fleets')
        .select('drivers_see_own_score')
        .where('id', '=', fleetId)
        .executeTakeFirstOrThrow();
      expect(stored.drivers_see_own_score).toBe(true);

      // On: the scorecard's card makes a link, shown with its expiry, a copy button and its QR code.
      await page.goto(`${web.url}/drivers/${driverId}`);
      const share = page.locator('[data-island="driver-share-card"][data-hydrated="true"]');
      await share.waitFor();
      await share.getByLabel('Link works for').selectOption('7');
      await share.getByRole('button', { name: 'Create link' }).click();
      const made = page.getByTestId('driver-share-link');
      await made.waitFor();
      const url = await share.getByLabel('Link for the driver').inputValue();
      expect(url).toMatch(new RegExp(`^${web.url}/share/drivers/[A-Za-z0-9_-]{43}$`));
      expect(await made.locator('figure.qr').getAttribute('data-qr-text')).toBe(url);
      expect(await made.locator('figure.qr svg').count()).toBe(1);
      const until = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Madrid', dateStyle: 'short' }).format(
        web.platform.clock.now() + 7 * 86_400_000,
      );
      expect(await page.getByTestId('driver-share-expires').textContent()).toContain(`Works until ${until}`);
      await share.getByRole('button', { name: 'Copy link' }).click();
      await share.getByText('Link copied.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1),
      ).toBe(true);

      // The driver, on her own phone with no session: her score and incidents, nobody else's.
      const driver = await web.browser.newContext(phone);
      const view = await driver.newPage();
      view.on('pageerror', (error) => pageErrors.push(`${view.url()}: ${error.message}`));
      const opened = await view.goto(url);
      expect(opened?.status()).toBe(200);
      const text = (await view.locator('body').textContent()) ?? '';
      expect(text).toContain('Ana Sol');
      expect(await view.getByTestId('driver-score').textContent()).toBe('60');
      expect(text).toContain('Phone use');
      expect(text).not.toContain('Bruno Luna');
      expect(text).not.toContain('Smoking');
      expect(text).not.toMatch(/percentile|leaderboard/i);
      expect(
        await view.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1),
      ).toBe(true);

      // Withdrawn: the card says how many, and the driver's link now opens the not-found page.
      await share.getByRole('button', { name: "Withdraw this driver's links" }).click();
      await share.getByText('1 link(s) withdrawn.').waitFor();
      expect(await page.getByTestId('driver-share-link').count()).toBe(0);
      const gone = await view.reload();
      expect(gone?.status()).toBe(404);
      expect(await view.getByTestId('share-gone').textContent()).toBe('Link not found');
      expect(await view.locator('body').textContent()).toContain('This link was withdrawn');
      expect(await view.locator('body').textContent()).not.toContain('Ana Sol');
      await driver.close();
      await owner.close();
    },
  );
});
