import { describe, expect, it } from 'vitest';
import { backlogSkip, framePriority, routineFrameInterval, staleSkip, type PriorityInput } from './frame-priority.ts';

const at = Date.parse('2026-06-01T08:00:00Z');
const base: PriorityInput = {
  seesDriver: true,
  capturedAt: at,
  speedKmh: 0,
  lastTelemetryEventAt: null,
  deviceTrigger: false,
  eventWindowS: 30,
};

describe('framePriority', () => {
  it('is routine for a parked cabin and for a road camera of a moving taxi', () => {
    expect(framePriority(base)).toEqual({ priority: 'routine', reason: 'routine' });
    expect(framePriority({ ...base, seesDriver: false, speedKmh: 50 })).toEqual({
      priority: 'routine',
      reason: 'routine',
    });
    expect(framePriority({ ...base, speedKmh: null })).toEqual({ priority: 'routine', reason: 'routine' });
  });
  it('is high for the cabin of a moving taxi', () => {
    expect(framePriority({ ...base, speedKmh: 40 })).toEqual({ priority: 'high', reason: 'moving_cabin' });
    expect(framePriority({ ...base, speedKmh: 5 }).priority).toBe('routine');
  });
  it('is high within the window after a telemetry event, not before it nor after the window', () => {
    expect(framePriority({ ...base, lastTelemetryEventAt: at - 30_000 })).toEqual({
      priority: 'high',
      reason: 'telemetry_event',
    });
    expect(framePriority({ ...base, lastTelemetryEventAt: at })).toEqual({
      priority: 'high',
      reason: 'telemetry_event',
    });
    expect(framePriority({ ...base, lastTelemetryEventAt: at - 30_001 }).priority).toBe('routine');
    expect(framePriority({ ...base, lastTelemetryEventAt: at + 1_000 }).priority).toBe('routine');
  });
  it('is high when the device or a reviewer flags the frame, even for a road camera', () => {
    expect(framePriority({ ...base, seesDriver: false, deviceTrigger: true })).toEqual({
      priority: 'high',
      reason: 'device_trigger',
    });
    expect(framePriority({ ...base, reviewerRequest: true, deviceTrigger: true })).toEqual({
      priority: 'high',
      reason: 'reviewer',
    });
  });
});

describe('staleSkip', () => {
  it('skips routine frames older than the limit and never high ones', () => {
    expect(staleSkip({ priority: 'routine', receivedAt: at }, at + 120_000, 120)).toBeNull();
    expect(staleSkip({ priority: 'routine', receivedAt: at }, at + 120_001, 120)).toBe('stale');
    expect(staleSkip({ priority: 'high', receivedAt: at }, at + 3_600_000, 120)).toBeNull();
  });
});

describe('backlogSkip and routineFrameInterval', () => {
  it('refuses routine frames once the fleet waits on the limit, and tells the device to slow down', () => {
    expect(backlogSkip('routine', 99, 100)).toBeNull();
    expect(backlogSkip('routine', 100, 100)).toBe('backlog');
    expect(backlogSkip('high', 10_000, 100)).toBeNull();
    expect(routineFrameInterval(99, 100, 60)).toBeNull();
    expect(routineFrameInterval(100, 100, 60)).toBe(60);
  });
});
