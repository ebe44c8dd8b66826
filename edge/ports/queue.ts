/**
 * Queue port: background jobs and cron schedules.
 *
 * Contract (adapters/queue/queue.contract.ts):
 * - `enqueue` with a `dedupeId` already used returns the first job's id with `duplicate: true` and enqueues nothing.
 * - A job runs no earlier than `delayMs` after enqueue. Delivery is at least once; handlers must be idempotent
 *   (a job whose worker died mid-run runs again after its lease expires).
 * - A handler that throws is retried with exponential backoff (`backoffMs(attempt)`); after `maxAttempts` tries the
 *   job becomes a dead letter, visible in `deadLetters()` and runnable again with `replay(id)`.
 * - `schedule` is an idempotent upsert by name: the cron expression is read in the given IANA timezone, and each
 *   fire time enqueues the job exactly once (dedupe id `schedule:<name>:<fire time>`).
 * - `priority` (default 0): among jobs that are due, a higher priority is claimed first; equal priorities run oldest
 *   first. Ordering only, never starvation protection. Adapters without ordering (QStash delivers each message as soon
 *   as it is due) accept and ignore it: there the analyse-frame job's own stale rule is what keeps vision current.
 * - Times come from the injected clock.
 */
import type { HealthCheckable } from './health.ts';

export interface EnqueueOptions {
  dedupeId?: string;
  delayMs?: number;
  maxAttempts?: number;
  /** Higher runs first among due jobs (see the contract above); ignored where the backend cannot order. */
  priority?: number;
}

export interface EnqueueResult {
  id: string;
  duplicate: boolean;
}

export interface ScheduleSpec {
  name: string;
  cron: string;
  timezone: string;
  job: string;
  payload?: unknown;
}

export interface JobInfo {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Job counts; null where the backend does not expose them (QStash keeps its backlog to itself). */
export interface QueueStats {
  queued: number | null;
  running: number | null;
  dead: number;
}

export interface JobContext {
  jobId: string;
  attempt: number;
}

export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

export interface Queue extends HealthCheckable {
  enqueue(name: string, payload: unknown, options?: EnqueueOptions): Promise<EnqueueResult>;
  schedule(spec: ScheduleSpec): Promise<void>;
  deadLetters(limit?: number): Promise<JobInfo[]>;
  /** Puts a dead letter back in the queue with fresh attempts; false when no dead letter has that id. */
  replay(id: string): Promise<boolean>;
  stats(): Promise<QueueStats>;
  /** Starts consuming with these handlers (no-op for push-based adapters such as QStash). */
  start(handlers: JobHandlers): void;
  /** Stops consuming; resolves after the jobs in flight have settled. */
  stop(): Promise<void>;
}
