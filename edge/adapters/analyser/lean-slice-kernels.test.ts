/**
 * The copy-free Slice and Unpack against plain index arithmetic: the block copy alone over many shapes, then the
 * kernels inside tfjs's real WASM backend (human's build, as the offline analyser loads it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analyser } from '../../ports/analyser.ts';
import { offlineAnalyserFiles } from '../../runtime/offline-analyser-files.ts';
import { importHuman } from './human-library.ts';
import { copyBlock, installLeanSliceKernels } from './lean-slice-kernels.ts';
import { createOfflineAnalyser } from './offline-analyser.ts';

/** Element (i0, i1, …) of a row-major tensor, the slow way. */
function naiveSlice(values: number[], shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const walk = (d: number, offset: number) => {
    if (d === shape.length) return void out.push(values[offset]);
    const stride = shape.slice(d + 1).reduce((a, b) => a * b, 1);
    for (let i = 0; i < size[d]; i++) walk(d + 1, offset + (begin[d] + i) * stride);
  };
  walk(0, 0);
  return out;
}

/** A small deterministic generator, so a failure names a shape that can be run again. */
function generator(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
}

describe('copyBlock', () => {
  it('copies the same elements as index arithmetic, for ranks 1 to 5, short and long rows, whole and partial blocks', () => {
    const next = generator(7);
    for (let round = 0; round < 300; round++) {
      const rank = 1 + next(5);
      const shape = Array.from({ length: rank }, () => 1 + next(rank === 1 ? 80 : 6));
      const begin = shape.map((s) => next(s));
      const size = shape.map((s, d) => 1 + next(s - begin[d]));
      const total = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: total }, (_, i) => i * 3 + 1);
      const target = new Float32Array(size.reduce((a, b) => a * b, 1));
      copyBlock(Float32Array.from(values), shape, begin, size, target);
      expect([...target], `shape ${shape} begin ${begin} size ${size}`).toEqual(naiveSlice(values, shape, begin, size));
    }
  });

  it('writes nothing for an empty block', () => {
    const target = new Int32Array(0);
    expect(() => copyBlock(Int32Array.from([1, 2, 3, 4]), [2, 2], [1, 0], [0, 2], target)).not.toThrow();
  });
});

describe('lean Slice and Unpack on the WASM backend', () => {
  // human's tfjs namespace, with the WASM backend started by loading the face models once.
  let tf: any;
  let analyser: Analyser | undefined;
  beforeAll(async () => {
    const files = offlineAnalyserFiles();
    analyser = createOfflineAnalyser({ ...files, pose: false, hands: false });
    await analyser.warmUp?.();
    const { Human } = await importHuman(files);
    tf = (new Human({}) as unknown as { tf: unknown }).tf;
  }, 180_000);
  afterAll(async () => {
    await analyser?.close?.();
  });

  it('replaces tfjs’s kernels once: installing again keeps the same functions', () => {
    expect(tf.getBackend()).toBe('wasm');
    const slice = tf.getKernel('Slice', 'wasm').kernelFunc;
    const unpack = tf.getKernel('Unpack', 'wasm').kernelFunc;
    installLeanSliceKernels(tf);
    expect(tf.getKernel('Slice', 'wasm').kernelFunc).toBe(slice);
    expect(tf.getKernel('Unpack', 'wasm').kernelFunc).toBe(unpack);
    expect(slice[Symbol.for('taxiwatch.lean-kernel')]).toBe(true);
  });

  it('slices float, int and bool tensors, strided and contiguous, like index arithmetic', () => {
    const shape = [2, 5, 7, 3];
    const values = Array.from({ length: 210 }, (_, i) => i);
    const cases: [number[], number[]][] = [
      [
        [0, 1, 2, 0],
        [2, 3, 4, 3],
      ],
      [
        [1, 0, 0, 1],
        [1, 5, 7, 2],
      ],
      [
        [1, 2, 0, 0],
        [1, 2, 7, 3],
      ], // contiguous
      [
        [0, 4, 6, 2],
        [2, 1, 1, 1],
      ],
    ];
    for (const dtype of ['float32', 'int32'] as const) {
      const x = tf.tensor(values, shape, dtype);
      for (const [begin, size] of cases) {
        const y = tf.slice(x, begin, size);
        expect(Array.from(y.dataSync() as ArrayLike<number>), `${dtype} ${begin} ${size}`).toEqual(
          naiveSlice(values, shape, begin, size),
        );
        y.dispose();
      }
      x.dispose();
    }
    const flags = tf.tensor([true, false, false, true, true, false], [2, 3], 'bool');
    const column = tf.slice(flags, [0, 1], [2, 2]);
    expect(Array.from(column.dataSync() as ArrayLike<number>)).toEqual([0, 0, 1, 0]);
    // size -1: to the end of that dimension, as tfjs documents.
    const rest = tf.slice(tf.tensor([1, 2, 3, 4, 5]), [2], [-1]);
    expect(Array.from(rest.dataSync() as ArrayLike<number>)).toEqual([3, 4, 5]);
    flags.dispose();
    column.dispose();
    rest.dispose();
  });

  it('unstacks along every axis, negative axes included, and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const shape = [3, 4, 2];
    const values = Array.from({ length: 24 }, (_, i) => i * 2);
    const x = tf.tensor(values, shape, 'int32');
    for (const axis of [0, 1, 2, -1]) {
      const d = axis < 0 ? axis + 3 : axis;
      const parts = tf.unstack(x, axis);
      expect(parts).toHaveLength(shape[d]);
      parts.forEach((part: any, i: number) => {
        const begin = [0, 0, 0];
        const size = [...shape];
        begin[d] = i;
        size[d] = 1;
        expect(part.shape).toEqual(shape.filter((_, k) => k !== d));
        expect(Array.from(part.dataSync() as ArrayLike<number>), `axis ${axis} part ${i}`).toEqual(
          naiveSlice(values, shape, begin, size),
        );
        part.dispose();
      });
    }
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
