import { describe, expect, it } from 'vitest';
import { checkFixes } from './fix-input.ts';

const NOW = Date.parse('2026-06-01T08:00:00Z');
const fix = (over: Record<string, unknown> = {}) => ({ latitude: 40.41, longitude: -3.7, speed: 42, heading: 180, timestamp: '2026-06-01T07:59:30Z', ...over });

describe('checkFixes', () => {
  it('stores magnitudes too small for a real (float4) column as 0, which Postgres would refuse as out of range', () => {
    const { fixes, problems } = checkFixes([fix({ speed: 5.9e-117, heading: 3.4e-134, accuracy: 5e-324, altitude: -1e-40 })], NOW);
    expect(problems).toEqual([]);
    expect(fixes[0]).toMatchObject({ speed: 0, heading: 0, accuracy: 0, altitude: 0, latitude: 40.41 });
  });

  it('names a field holding a control character, per fix', () => {
    const { problems } = checkFixes([fix(), fix({ vehicle_id: 'v\u0000' })], NOW);
    expect(problems).toEqual([{ index: 1, path: 'vehicle_id', message: 'contains a control character (U+0000); remove it' }]);
  });

  it('accepts valid fixes, including a device clock slightly ahead', () => {
    const { fixes, problems } = checkFixes([fix(), fix({ timestamp: '2026-06-01T08:01:30Z' })], NOW);
    expect(problems).toEqual([]);
    expect(fixes).toHaveLength(2);
  });

  it.each([
    [{ latitude: 91 }, 'latitude'],
    [{ longitude: -181 }, 'longitude'],
    [{ speed: -1 }, 'speed'],
    [{ heading: 361 }, 'heading'],
    [{ timestamp: 'yesterday' }, 'timestamp'],
    [{ timestamp: '2026-06-01T08:03:00Z' }, 'timestamp'],
    [{ timestamp: '2026-04-01T08:00:00Z' }, 'timestamp'],
  ])('reports %j as a problem with %s and its index', (over, path) => {
    const { fixes, problems } = checkFixes([fix(), fix(over)], NOW);
    expect(fixes).toHaveLength(1);
    expect(problems).toEqual([expect.objectContaining({ index: 1, path })]);
  });
});
