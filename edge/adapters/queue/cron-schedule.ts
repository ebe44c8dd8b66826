/** Cron arithmetic for the queue: the next fire time of an expression read in an IANA timezone. */
import { Cron } from 'croner';

/** The first fire time strictly after `after`; throws TypeError naming a bad expression or timezone. */
export function nextFireTime(expression: string, timezone: string, after: Date): Date {
  let next: Date | null;
  try {
    next = new Cron(expression, { timezone, paused: true }).nextRun(after);
  } catch (error) {
    throw new TypeError(`invalid schedule "${expression}" in timezone "${timezone}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!next) throw new TypeError(`schedule "${expression}" never fires again`);
  return next;
}
