/**
 * Calls that arrive together, gathered into groups that one function serves at once (one statement, one
 * transaction). With one call in sight a group is that call, started at once, so a quiet system waits for nothing;
 * under load, calls that arrive while `maxRunning` groups run wait for the next group, which takes them all (up to
 * `maxGroup`, one per key: a second call with a key already in the group, or in a group still running, waits for a
 * later group, so one key's calls are applied one after the other, in the order they came). A group that fails is
 * retried call by call, so one caller's bad data never fails another's.
 */
export interface GroupOptions<I> {
  /** Calls with the same key never share a group nor run at once (one vehicle's batches, in order). */
  key(item: I): string;
  maxGroup?: number;
  /** How much of the group's statement a call takes (rows, say): a group stops before `maxWeight`, but never empty. */
  weight?(item: I): number;
  maxWeight?: number;
  /** Groups in flight at once: enough that one slow group does not hold up every other caller. */
  maxRunning?: number;
}

interface Waiting<I, O> {
  item: I;
  resolve(outcome: O): void;
  reject(error: unknown): void;
}

export function createGroupedCalls<I, O>(apply: (items: I[]) => Promise<O[]>, options: GroupOptions<I>): (item: I) => Promise<O> {
  const maxGroup = options.maxGroup ?? 64;
  const maxRunning = options.maxRunning ?? 4;
  const maxWeight = options.maxWeight ?? Infinity;
  let waiting: Waiting<I, O>[] = [];
  let running = 0;
  // Keys of the groups in flight: a later call with one of them waits until that group is done. Else two batches
  // of one vehicle could run in two groups at once and the later one finish first (stored out of order, applied
  // out of order: the earlier batch would then look late and make its vehicle's trip be recomputed).
  const runningKeys = new Set<string>();

  // One pass that stops when the group is full, so a long queue under overload costs the group's size, not its own.
  const take = (): Waiting<I, O>[] => {
    const group: Waiting<I, O>[] = [];
    const skipped: Waiting<I, O>[] = [];
    const keys = new Set<string>();
    let weight = 0;
    let i = 0;
    for (; i < waiting.length && group.length < maxGroup && weight < maxWeight; i++) {
      const w = waiting[i];
      const key = options.key(w.item);
      const itemWeight = options.weight?.(w.item) ?? 1;
      if (keys.has(key) || runningKeys.has(key) || (group.length > 0 && weight + itemWeight > maxWeight)) skipped.push(w);
      else {
        keys.add(key);
        weight += itemWeight;
        group.push(w);
      }
    }
    waiting = skipped.length === 0 ? waiting.slice(i) : [...skipped, ...waiting.slice(i)];
    return group;
  };

  const run = async (group: Waiting<I, O>[]) => {
    const groupKeys = group.map((w) => options.key(w.item));
    for (const key of groupKeys) runningKeys.add(key);
    try {
      const outcomes = await apply(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(outcomes[i]));
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      await Promise.all(group.map((w) => apply([w.item]).then(([outcome]) => w.resolve(outcome), w.reject)));
    } finally {
      for (const key of groupKeys) runningKeys.delete(key);
    }
  };

  const start = () => {
    while (running < maxRunning && waiting.length > 0) {
      const group = take();
      // Everything waiting belongs to keys in flight: their groups' end starts it.
      if (group.length === 0) return;
      running++;
      void run(group).finally(() => {
        running--;
        start();
      });
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      start();
    });
}

/**
 * One set of grouped calls per owner (a platform, a database), made on first use: each app instance groups only its
 * own calls, so tests with their own platform never share a group.
 */
export function perOwner<K extends object, V>(make: (owner: K) => V): (owner: K) => V {
  const made = new WeakMap<K, V>();
  return (owner) => {
    let value = made.get(owner);
    if (value === undefined) made.set(owner, (value = make(owner)));
    return value;
  };
}

/** A group applier for writes with nothing to answer: every call of the group resolves once the write is done. */
export function allDone<I>(write: (items: I[]) => Promise<void>): (items: I[]) => Promise<undefined[]> {
  return async (items) => {
    await write(items);
    return items.map(() => undefined);
  };
}
