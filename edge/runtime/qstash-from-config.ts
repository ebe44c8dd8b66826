/** The QStash queue when QSTASH_TOKEN and its signing keys are configured, on any runtime. */
import { Client } from '@upstash/qstash';
import { createQStashQueue } from '../adapters/queue/qstash-queue.ts';
import { publicUrl, type Config } from '../config.ts';
import type { Clock, IdGenerator } from '../ports/clock.ts';
import type { Db } from '../ports/db.ts';
import type { Queue } from '../ports/queue.ts';

export function qstashQueueFromConfig(config: Config, deps: { db: Db; clock: Clock; ids: IdGenerator }): Queue | null {
  if (!config.QSTASH_TOKEN) return null;
  const client = new Client({ token: config.QSTASH_TOKEN, baseUrl: config.QSTASH_URL });
  return createQStashQueue({ client, publicUrl: publicUrl(config), ...deps });
}
