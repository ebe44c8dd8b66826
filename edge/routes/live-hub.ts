/**
 * One bus subscription per stream per process, shared by every live viewer of that stream on it. The bus calls one
 * listener per event, which serialises the event once and offers it to each viewer in a plain loop, instead of
 * calling thousands of listeners that each look the serialised bytes up. At thousands of viewers per node the
 * work per viewer beyond the socket write is what the fan-out costs, so it is kept to a filter check and a write.
 * A viewer that joins is offered every event published after `joinStream` resolves (the bus's own promise).
 * Where a subscription belongs to the request that opened it (Workers: `perRequestSubscriptions`), nothing is
 * shared: each viewer subscribes for itself, inside its own request.
 */
import type { Bus } from '../ports/bus.ts';
import { serializeEvent, type SerializedEvent } from './live-fan-out.ts';

export interface StreamViewer {
  /** true when the viewer took the event (it passed the viewer's filters). */
  offer(event: SerializedEvent): boolean;
}

interface Group {
  viewers: Set<StreamViewer>;
  /** Viewers waiting for the subscription: the group must not be torn down under them. */
  joining: number;
  subscribed: Promise<() => void>;
}

export interface StreamHubOptions {
  /** Called once per event with how many viewers took it (for the delivered-events counter). */
  onDelivered?: (count: number) => void;
}

const hubs = new WeakMap<Bus, Map<string, Group>>();

/**
 * A group and its bus subscription. `onDelivered` is its first viewer's: every viewer of one bus counts into the
 * same platform's metrics.
 */
function openGroup(bus: Bus, stream: string, options: StreamHubOptions): Group {
  const viewers = new Set<StreamViewer>();
  return {
    viewers,
    joining: 0,
    subscribed: bus.subscribe(stream, (event) => {
      const serialized = serializeEvent(event);
      let delivered = 0;
      for (const member of viewers) {
        try {
          if (member.offer(serialized)) delivered++;
        } catch {
          // One broken viewer must not stop delivery to the others.
        }
      }
      if (delivered > 0) options.onDelivered?.(delivered);
    }),
  };
}

/** Adds `viewer` to the stream's group, subscribing the group first if it is new; resolves to the way out. */
export async function joinStream(bus: Bus, stream: string, viewer: StreamViewer, options: StreamHubOptions = {}): Promise<() => void> {
  // Per-request subscriptions: a group of one, opened in this viewer's request and never found by another.
  const shared = !bus.perRequestSubscriptions;
  let streams = hubs.get(bus);
  if (!streams) hubs.set(bus, (streams = new Map()));
  const groups = streams;
  let group = shared ? groups.get(stream) : undefined;
  if (!group) {
    const created = openGroup(bus, stream, options);
    if (shared) {
      groups.set(stream, created);
      // A failed subscription is not kept: the next viewer tries again.
      created.subscribed.catch(() => {
        if (groups.get(stream) === created) groups.delete(stream);
      });
    }
    group = created;
  }
  const joined = group;
  joined.joining++;
  let unsubscribe: () => void;
  try {
    unsubscribe = await joined.subscribed;
  } finally {
    joined.joining--;
  }
  joined.viewers.add(viewer);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    joined.viewers.delete(viewer);
    if (joined.viewers.size > 0 || joined.joining > 0) return;
    if (groups.get(stream) === joined) groups.delete(stream);
    unsubscribe();
  };
}
