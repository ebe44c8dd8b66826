import { describe, expect, it } from 'vitest';
import type { DemoData } from '../domain/demo-data.ts';
import { formatWelcome } from './welcome.ts';

const demo: DemoData = {
  fleet: { id: 'fleet-1', name: 'Taxis Demo' },
  admin: { email: 'admin@taxiwatch.local', password: 'admin-secret-123' },
  owner: { email: 'owner@taxiwatch.local', password: 'owner-secret-456' },
  vehicles: [{ id: 'veh-1', plate: '1234 KLM' }],
  drivers: [],
  devices: [{ id: 'dev-1', vehicle_id: 'veh-1', plate: '1234 KLM', name: 'Road camera 1234 KLM', key: 'twd_key-one' }],
};

describe('the start-up text', () => {
  it('on the first start: what to open, --demo, both logins and every key, said to be shown once', () => {
    const text = formatWelcome({ url: 'http://localhost:3000/', demo, demoDriving: false, embedded: true });
    for (const url of ['http://localhost:3000/ ', 'http://localhost:3000/api/v1/health/', 'http://localhost:3000/api/docs']) expect(text).toContain(url);
    expect(text).toContain('npm start -- --demo');
    expect(text).toMatch(/ONLY ONCE/);
    for (const secret of ['admin@taxiwatch.local', 'admin-secret-123', 'owner@taxiwatch.local', 'owner-secret-456', 'twd_key-one']) expect(text).toContain(secret);
    expect(text).toContain('npm run admin -- reset-password --email owner@taxiwatch.local');
    expect(text).toContain('npm run admin -- reset-mfa --email admin@taxiwatch.local');
  });

  it('on later starts: no secrets, and how to get a login back (stopping the embedded server first)', () => {
    const text = formatWelcome({ url: 'http://localhost:4100', demo: null, demoDriving: true, embedded: true });
    expect(text).toContain('http://localhost:4100/ ');
    expect(text).toContain('The demo taxis are driving');
    expect(text).not.toContain('password:');
    expect(text).toContain('Stop the server');
    expect(text).toContain('npm run admin -- reset-password --email <email>');
    expect(text).toContain('npm run admin -- reset-mfa --email <email>');
  });

  it('on Postgres: no need to stop the server for the admin CLI', () => {
    const text = formatWelcome({ url: 'https://fleet.example', demo: null, demoDriving: false, embedded: false });
    expect(text).toContain('https://fleet.example/api/docs');
    expect(text).not.toContain('Stop the server');
    expect(text).toContain('npm run admin');
  });
});
