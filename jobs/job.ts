/** A background job: an idempotent function of the platform and a JSON payload (see docs/operate/jobs-and-blobs.md). */
import type { Platform } from '../edge/platform.ts';
import type { JobContext } from '../edge/ports/queue.ts';

export type Job = (platform: Platform, payload: unknown, context: JobContext) => Promise<void>;
