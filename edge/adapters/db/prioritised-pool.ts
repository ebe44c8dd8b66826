/**
 * Two doors onto one connection pool: a connection that frees up goes to a caller waiting at `urgent` before any
 * caller waiting at `routine`. At thousands of taxis every connection is busy most of the time (telemetry
 * transactions, triage, jobs: work nobody waits on), and a device's answer waits on the statement that stores its
 * fixes; in one first-come queue that statement waits behind all of it. Nothing is pre-empted: a connection in use
 * (a transaction) is kept until it is released, and routine callers get every connection urgent ones do not want.
 *
 * `size` must be the pool's own maximum, so the pool itself never queues a caller. Both doors end the pool once.
 * The clients they hand out also send statements marked `prepared` as named ones (prepared-statements.ts).
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { preparedName } from './prepared-statements.ts';

export interface PrioritisedPool {
  urgent: PostgresPool;
  routine: PostgresPool;
  /** Callers waiting at each door (for tests and diagnostics). */
  waiting(): { urgent: number; routine: number };
}

export function prioritisedPool(pool: PostgresPool, size: number): PrioritisedPool {
  if (!Number.isInteger(size) || size < 1) throw new Error(`a prioritised pool needs a size of at least 1, not ${size}`);
  const queues = { urgent: [] as (() => void)[], routine: [] as (() => void)[] };
  let inUse = 0;

  const enter = (queue: (() => void)[]): Promise<void> => {
    if (inUse < size) {
      inUse++;
      return Promise.resolve();
    }
    return new Promise((resolve) => queue.push(resolve));
  };
  // The slot passes straight to the next caller, urgent first, so a routine caller cannot slip in between.
  const leave = () => {
    const next = queues.urgent.shift() ?? queues.routine.shift();
    if (next) next();
    else inUse--;
  };

  // One wrapper per pooled client, so Kysely keeps one connection object per client as it does without the doors.
  const wrappers = new WeakMap<PostgresPoolClient, PostgresPoolClient>();
  const wrap = (client: PostgresPoolClient): PostgresPoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      wrapper = {
        // A statement marked `prepared` (edge/db/prepared.ts) goes out named, so this connection parses it only once.
        query: ((text: unknown, values?: unknown[]) => {
          const name = typeof text === 'string' ? preparedName(text) : null;
          return name ? query({ name, text, values }) : values === undefined ? query(text) : query(text, values);
        }) as PostgresPoolClient['query'],
        release(destroy?: boolean) {
          client.release(destroy);
          leave();
        },
      };
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };

  let ended: Promise<void> | null = null;
  const door = (queue: (() => void)[]): PostgresPool => ({
    async connect() {
      await enter(queue);
      try {
        return wrap(await pool.connect());
      } catch (error) {
        leave();
        throw error;
      }
    },
    end: () => (ended ??= pool.end()),
  });

  return {
    urgent: door(queues.urgent),
    routine: door(queues.routine),
    waiting: () => ({ urgent: queues.urgent.length, routine: queues.routine.length }),
  };
}
