/** Stand-in Queue where none is configured (Workers without a database or QStash): health says so, enqueue fails clearly. */
import { AppError } from '../../errors.ts';
import type { Queue } from '../../ports/queue.ts';

export function createUnconfiguredQueue(hint: string): Queue {
  const fail = async (): Promise<never> => {
    throw new AppError('not_configured', `queue is not configured: ${hint}`);
  };
  return {
    adapter: 'none',
    ping: fail,
    enqueue: fail,
    schedule: fail,
    deadLetters: fail,
    replay: fail,
    stats: fail,
    start() {},
    async stop() {},
  };
}
