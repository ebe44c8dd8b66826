/**
 * A condition that is always true and, as a side effect, lets the transaction it runs in commit without waiting for
 * its WAL to reach the disk (`synchronous_commit = off` for that transaction alone; the setting reverts at its end).
 *
 * For background writes that can be lost without harm, because what they record is derived from durable rows and is
 * redone after a crash: a telemetry group with nothing to announce (its pending marks come back and are applied
 * again), a job's claim or its done mark (the queue is at-least-once: the job runs again, as after a worker crash).
 * Never for anything a device's answer or a user's "saved" acknowledges, nor before an announcement leaves the
 * process. A database crash loses at most the last few hundred milliseconds of such commits; committed data is
 * never corrupted, and any later durable commit flushes the relaxed ones before it (the WAL is one sequence).
 *
 * Why: a commit's WAL flush is a disk sync, and at thousands of taxis most transactions are background ones. With
 * every commit relaxed (an upper bound, not something to ship) Postgres's CPU per request at 2,500 taxis fell by about
 * a sixth; relaxing only these cut WAL syncs per commit a little and did not move that CPU beyond the noise, since
 * the durable fix and frame inserts are most of the syncs (docs/develop/benchmarks.md, tenth session).
 *
 * Use it where the statement evaluates it once a row is written (a WHERE on the rows updated, a UNION branch); a
 * statement that writes nothing commits nothing to wait for.
 */
import { sql } from 'kysely';

export const relaxedCommit = sql<boolean>`set_config('synchronous_commit', 'off', true) = 'off'`;
