/** Clock and id ports: the only sources of "now" and of new ids, injectable so tests control time. */

/** Wall-clock time in milliseconds since the Unix epoch. Never goes backwards within one adapter. */
export interface Clock {
  now(): number;
}

/**
 * New unique ids. Ids generated later by the same generator sort after earlier ones
 * (lexicographically), so they make stable pagination cursors.
 */
export interface IdGenerator {
  next(): string;
}
