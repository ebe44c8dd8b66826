/**
 * Tests of the bus and the live route publish made-up events ({ n: 1 }, type 'a'): the transport must carry any
 * event faithfully, whatever the live-event contract (edge/domain/live-events.ts) says production code may send.
 */
import type { Bus, LiveEvent } from '../../edge/ports/bus.ts';

export function publishRaw(bus: Bus, fleetId: string | null, type: string, data: unknown): Promise<LiveEvent> {
  return (bus.publish as (fleetId: string | null, type: string, data: unknown) => Promise<LiveEvent>)(fleetId, type, data);
}
