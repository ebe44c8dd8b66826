/**
 * /api/v1/reports end to end on the test platform: a request answered 202, made by the job, announced on the live
 * feed and to webhooks, downloaded through its signed link and read back (CSV text, PDF through poppler, the
 * workbook's sheets); regeneration; and the errors and tenancy rules.
 */
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentReviewFixture, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';
import { popplerAvailable, readPdf } from '../../e2e/support/poppler.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';
import { jobHandlers } from '../../jobs/index.ts';

describe('reports API', () => {
  let f: IncidentReviewFixture;
  const json = async (res: Response | Promise<Response>) => (await res).json();
  const work = async () => {
    for (let i = 0; i < 10 && (await f.platform.queue.runDue()) > 0; i++) f.platform.clock.advance(1000);
  };
  const download = async (url: string) => {
    const res = await f.app.request(new URL(url).pathname + new URL(url).search);
    expect(res.status).toBe(200);
    return { type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    f = await createIncidentReviewFixture();
    f.platform.queue.setHandlers(jobHandlers(f.platform));
    const db = f.platform.db.kysely;
    await db.insertInto('drivers').values({ id: 'drv-ana', fleet_id: f.fleetA, name: '=Ana Ruiz', licence_number: null, licence_expires_on: '2030-01-01' }).execute();
    for (const [i, hour] of ['08', '11'].entries()) {
      await db.insertInto('trips').values({ id: `trip-${i}`, fleet_id: f.fleetA, vehicle_id: f.vehicleA1, driver_id: 'drv-ana', started_at: new Date(`2026-05-30T${hour}:00:00Z`), ended_at: new Date(`2026-05-30T${hour}:40:00Z`), distance_m: 12_500, duration_s: 2400, max_speed_kmh: 64, avg_speed_kmh: 20 }).execute();
    }
    await f.addFix({ fleetId: f.fleetA, vehicleId: f.vehicleA1, at: new Date('2026-05-30T08:39:00Z'), latitude: 40.41, longitude: -3.7 });
    await f.addIncident({ id: 'inc-speed', fleetId: f.fleetA, vehicleId: f.vehicleA1, type: 'SPEEDING', occurredAt: new Date('2026-05-30T08:10:00Z'), lastSeenAt: new Date('2026-05-30T08:11:30Z') });
    await f.addIncident({ id: 'inc-phone', fleetId: f.fleetA, vehicleId: f.vehicleA1, occurredAt: new Date('2026-05-30T11:10:00Z') });
    await db.updateTable('incidents').set({ driver_id: 'drv-ana' }).execute();
  });
  afterAll(() => f.platform.close());

  it('answers 202, makes the CSV in a job, announces it, and serves it through a signed link', async () => {
    const hook = await json(f.call(f.tokens.ownerA, 'POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', event_types: ['report_ready'] }));
    const res = await f.call(f.tokens.ownerA, 'POST', '/api/v1/reports', { from: '2026-05-25', to: '2026-05-31', format: 'csv' });
    expect(res.status).toBe(202);
    const queued = await res.json();
    expect(res.headers.get('location')).toBe(`/api/v1/reports/${queued.id}`);
    expect(queued).toMatchObject({ kind: 'on_demand', format: 'csv', status: 'queued', from: '2026-05-25', to: '2026-05-31', language: 'es', download_url: null });
    // A retry while it is queued is the same report.
    expect((await json(f.call(f.tokens.ownerA, 'POST', '/api/v1/reports', { from: '2026-05-25', to: '2026-05-31', format: 'csv' }))).id).toBe(queued.id);

    await work();
    const ready = await json(f.call(f.tokens.ownerA, 'GET', `/api/v1/reports/${queued.id}`));
    expect(ready).toMatchObject({ status: 'ready', file_name: 'taxiwatch-report-2026-05-25_2026-05-31.csv', expires_at: '2026-07-01T08:00:00.000Z' });
    const file = await download(ready.download_url);
    expect(file.type).toContain('text/csv');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(file.bytes);
    expect(text.startsWith('\uFEFFsection,vehicle,driver,start,end,')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines.filter((l) => l.startsWith('trip,'))).toHaveLength(2);
    expect(lines).toContain("trip,A-001,'=Ana Ruiz,2026-05-30T08:00:00+00:00,2026-05-30T08:40:00+00:00,2400,12.5,,,64,,,,0,,");
    expect(lines.some((l) => l.startsWith("stop,A-001,'=Ana Ruiz,2026-05-30T08:40:00+00:00,2026-05-30T11:00:00+00:00,8400,,,,,40.41,-3.7"))).toBe(true);
    expect(lines.some((l) => l.startsWith("speeding,A-001,'=Ana Ruiz,2026-05-30T08:10:00+00:00,2026-05-30T08:11:30+00:00,90,,SPEEDING,HIGH"))).toBe(true);
    expect(lines.some((l) => l.startsWith('incident,A-001,') && l.includes('PHONE_USAGE'))).toBe(true);
    expect(lines).toContain("driver_summary,,'=Ana Ruiz,,,4800,25,,,,,,2,2,8,");

    const events = (await f.platform.bus.replay(f.fleetA, null, 1000)).filter((e) => e.type === 'report_ready');
    expect(events.map((e) => (e.data as { id: string }).id)).toEqual([queued.id]);
    const deliveries = await json(f.call(f.tokens.ownerA, 'GET', `/api/v1/webhooks/${hook.id}/deliveries`));
    expect(deliveries.data.map((d: { event_type: string }) => d.event_type)).toEqual(['report_ready']);

    const redirect = await f.call(f.tokens.ownerA, 'GET', `/api/v1/reports/${queued.id}/file`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toContain('/api/v1/blobs/reports/');
  });

  it.skipIf(!popplerAvailable)('makes a PDF for one driver that reads back, and an Excel workbook with a sheet per section', async () => {
    const pdf = await json(f.call(f.tokens.ownerA, 'POST', '/api/v1/reports', { from: '2026-05-30', to: '2026-05-30', driver_id: 'drv-ana', format: 'pdf', language: 'en' }));
    const xlsx = await json(f.call(f.tokens.ownerA, 'POST', '/api/v1/reports', { from: '2026-05-30', to: '2026-05-30', vehicle_id: f.vehicleA1, format: 'xlsx' }));
    await work();
    const pdfReport = await json(f.call(f.tokens.ownerA, 'GET', `/api/v1/reports/${pdf.id}`));
    const read = await readPdf((await download(pdfReport.download_url)).bytes, { outDir: 'test-results/screenshots', name: 'range-report-en' });
    expect(read.pages).toHaveLength(pdfReport.pages);
    const text = read.pages.join('\n');
    expect(text).toContain('Fleet report');
    expect(text).toMatch(/Driver: =Ana Ruiz/);
    expect(text).toMatch(/A-001\s+=Ana Ruiz\s+30\/05\/2026, 08:00\s+08:40\s+12.5\s+40 min\s+64/);
    expect(text).toContain('Speeding');
    const workbook = unzipSync((await download((await json(f.call(f.tokens.ownerA, 'GET', `/api/v1/reports/${xlsx.id}`))).download_url)).bytes);
    const sheets = new TextDecoder().decode(workbook['xl/workbook.xml']);
    for (const name of ['Viajes', 'Paradas', 'Exceso de velocidad', 'Ralentí', 'Otros incidentes', 'Por conductor']) expect(sheets).toContain(`name="${name}"`);
  });

  it('regenerates a ready report as a new generation, announced again', async () => {
    const list = await json(f.call(f.tokens.ownerA, 'GET', '/api/v1/reports?status=ready&limit=1'));
    const [latest] = list.data;
    const again = await f.call(f.tokens.ownerA, 'POST', `/api/v1/reports/${latest.id}/regenerate`);
    expect(again.status).toBe(202);
    expect((await again.json()).status).toBe('queued');
    expect((await f.call(f.tokens.ownerA, 'GET', `/api/v1/reports/${latest.id}/file`)).status).toBe(409);
    await work();
    expect((await json(f.call(f.tokens.ownerA, 'GET', `/api/v1/reports/${latest.id}`))).status).toBe('ready');
    const row = await f.platform.db.kysely.selectFrom('reports').select(['generation', 'announced']).where('id', '=', latest.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ generation: 2, announced: 2 });
    expect(list.next_cursor).not.toBeNull();
  });

  it('refuses bad requests with a 400 naming the field, and keeps fleets apart', async () => {
    const post = (token: string, body: unknown) => f.call(token, 'POST', '/api/v1/reports', body);
    const fieldsOf = async (res: Response) => {
      expect(res.status).toBe(400);
      return (await res.json()).error.details.map((d: { path: string }) => d.path);
    };
    expect(await fieldsOf(await post(f.tokens.ownerA, { from: '2026-05-31', to: '2026-05-01', format: 'pdf' }))).toEqual(['to']);
    expect(await fieldsOf(await post(f.tokens.ownerA, { from: '2026-02-30', to: '2026-03-01', format: 'pdf' }))).toEqual(['from']);
    expect(await fieldsOf(await post(f.tokens.ownerA, { from: '2026-05-01', to: '2026-05-02', format: 'docx' }))).toEqual(['format']);
    expect(await fieldsOf(await post(f.tokens.ownerA, { from: '2026-05-01', to: '2026-06-05', format: 'pdf' }))).toEqual(['to']);
    expect(await fieldsOf(await post(f.tokens.ownerA, { from: '2024-01-01', to: '2026-05-02', format: 'pdf' }))).toEqual(['to']);
    expect((await post(f.tokens.ownerA, { from: '2026-05-01', to: '2026-05-02', format: 'pdf', vehicle_id: f.vehicleB })).status).toBe(404);
    expect((await post(f.tokens.viewerA, { from: '2026-05-01', to: '2026-05-02', format: 'pdf' })).status).toBe(403);
    const mine = (await json(f.call(f.tokens.ownerA, 'GET', '/api/v1/reports'))).data;
    expect(mine.length).toBeGreaterThan(0);
    expect((await f.call(f.tokens.ownerB, 'GET', `/api/v1/reports/${mine[0].id}`)).status).toBe(404);
    expect((await json(f.call(f.tokens.ownerB, 'GET', '/api/v1/reports'))).data).toEqual([]);
    expect((await f.call(f.tokens.viewerA, 'GET', `/api/v1/reports/${mine[0].id}`)).status).toBe(200);

    const deps = { db: f.platform.db.kysely, clock: f.platform.clock, ids: f.platform.ids };
    const noScope = (await createApiKey(deps, { fleetId: f.fleetA, scopes: ['read:incidents'] })).key;
    const reader = (await createApiKey(deps, { fleetId: f.fleetA, scopes: ['read:reports'] })).key;
    expect((await f.call(noScope, 'GET', '/api/v1/reports')).status).toBe(403);
    expect((await f.call(reader, 'GET', '/api/v1/reports')).status).toBe(200);
    expect((await post(reader, { from: '2026-05-01', to: '2026-05-02', format: 'pdf' })).status).toBe(403);
  });
});
