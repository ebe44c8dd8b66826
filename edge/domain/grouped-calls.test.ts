/** Grouping of calls: a lone call at once, calls arriving meanwhile in the next group (one per key, in order, never two of a key at once), a failed group retried call by call. */
import { expect, it } from 'vitest';
import { allDone, createGroupedCalls, perOwner } from './grouped-calls.ts';

/** A group applier that holds every group until the test releases it; a call's outcome is its own key. */
function heldGroups(fail?: (keys: string[]) => boolean, weights?: Record<string, number>) {
  const groups: { ids: string[]; release(): void }[] = [];
  const call = createGroupedCalls(
    async (keys: string[]) => {
      await new Promise<void>((release) => groups.push({ ids: keys, release }));
      if (fail?.(keys)) throw new Error('bad data');
      return keys.map((k) => `done ${k}`);
    },
    { key: (k) => k, ...(weights ? { weight: (k: string) => weights[k] ?? 1, maxWeight: 10 } : {}) },
  );
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { call, groups, settle, ids: () => groups.map((g) => g.ids) };
}

it('runs a lone call at once and gathers the calls that arrive meanwhile, one per key, in order', async () => {
  const { call, groups, settle, ids } = heldGroups();
  const first = call('a');
  await settle();
  expect(ids()).toEqual([['a']]);
  // Four groups may run at once: fill the other three, then everything else waits for a free one.
  const running = ['b', 'c', 'd'].map(call);
  const queued = ['e', 'f', 'e', 'g'].map(call);
  await settle();
  expect(ids()).toEqual([['a'], ['b'], ['c'], ['d']]);
  groups[0].release();
  expect(await first).toBe('done a');
  await settle();
  expect(ids()[4]).toEqual(['e', 'f', 'g']);
  for (const g of groups.slice(1, 4)) g.release();
  await Promise.all(running);
  await settle();
  // The second call with key e runs after its first, in a later group, and not while the first one's group runs.
  expect(ids()).toHaveLength(5);
  groups[4].release();
  await settle();
  expect(ids()[5]).toEqual(['e']);
  groups[5].release();
  expect(await Promise.all(queued)).toEqual(['done e', 'done f', 'done e', 'done g']);
});

it("retries a failed group call by call, so only the failing caller's call fails", async () => {
  const { call, groups, settle, ids } = heldGroups((keys) => keys.includes('bad'));
  const fillers = ['w', 'x', 'y', 'z'].map(call);
  const results = ['ok1', 'bad', 'ok2'].map((k) => call(k).catch((e: Error) => e.message));
  await settle();
  for (const g of groups.slice(0, 4)) g.release();
  await Promise.all(fillers);
  await settle();
  expect(ids()[4]).toEqual(['ok1', 'bad', 'ok2']);
  groups[4].release();
  await settle();
  await settle();
  // Each call again, alone.
  expect(ids().slice(5)).toEqual([['ok1'], ['bad'], ['ok2']]);
  for (const g of groups.slice(5)) g.release();
  expect(await Promise.all(results)).toEqual(['done ok1', 'bad data', 'done ok2']);
});

it('closes a group before its weight passes the limit, but never leaves a heavy call out', async () => {
  const { call, groups, settle, ids } = heldGroups(undefined, { big: 25, a: 4, b: 4, c: 4, d: 1 });
  const fillers = ['w', 'x', 'y', 'z'].map(call);
  const rest = ['big', 'a', 'b', 'c', 'd'].map(call);
  await settle();
  groups[0].release();
  await fillers[0];
  await settle();
  // Alone over the limit, `big` is a group of its own; then a, b (8) and d (9) fit where c (12) would not.
  expect(ids()[4]).toEqual(['big']);
  groups[1].release();
  await settle();
  expect(ids()[5]).toEqual(['a', 'b', 'd']);
  for (const g of groups) g.release();
  await settle();
  expect(ids()[6]).toEqual(['c']);
  groups[6].release();
  expect(await Promise.all(rest)).toEqual(['done big', 'done a', 'done b', 'done c', 'done d']);
});

it('never runs two calls of one key at once, even with a group slot free, and keeps their order', async () => {
  const { call, groups, settle, ids } = heldGroups();
  const order: string[] = [];
  const first = call('v').then((r) => order.push(`first ${r}`));
  await settle();
  const second = call('v').then((r) => order.push(`second ${r}`));
  const other = call('w');
  await settle();
  // w takes a free slot at once; the second v waits for the first v's group although three slots are free.
  expect(ids()).toEqual([['v'], ['w']]);
  groups[1].release();
  expect(await other).toBe('done w');
  await settle();
  expect(ids()).toHaveLength(2);
  groups[0].release();
  await first;
  await settle();
  expect(ids()[2]).toEqual(['v']);
  groups[2].release();
  await second;
  expect(order).toEqual(['first done v', 'second done v']);
});

it('makes one set of grouped calls per owner, on first use', () => {
  let made = 0;
  const forOwner = perOwner((owner: { name: string }) => ({ owner: owner.name, serial: ++made }));
  const a = { name: 'a' };
  const b = { name: 'b' };
  expect(forOwner(a)).toBe(forOwner(a));
  expect(forOwner(b)).toEqual({ owner: 'b', serial: 2 });
  expect(forOwner(a).serial).toBe(1);
  expect(made).toBe(2);
});

it('answers every call of a write group once the write is done, and fails them all with it', async () => {
  const written: string[][] = [];
  const apply = allDone(async (items: string[]) => {
    if (items.includes('bad')) throw new Error('disk full');
    written.push(items);
  });
  expect(await apply(['x', 'y'])).toEqual([undefined, undefined]);
  expect(written).toEqual([['x', 'y']]);
  await expect(apply(['bad'])).rejects.toThrow('disk full');
});
