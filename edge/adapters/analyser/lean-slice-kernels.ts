/**
 * tfjs's WASM `Slice` and `Unpack` kernels, without their copies. tfjs's own Slice first reads its whole input out of
 * WASM memory into a new ArrayBuffer (`readSync`), and its Unpack runs that Slice once per output: human's detectors
 * unstack tensors of about a megabyte into fourteen pieces per frame, which made 15 MB of short-lived ArrayBuffers a
 * frame. V8 counts that memory towards its next full collection, so a worker ran a mark-compact every frame or
 * three, most of it on helper threads that two workers on two cores could not spare. These versions copy straight
 * from the input's place in WASM memory to the output's; strings (never seen here) still take tfjs's own path.
 */

export interface WasmTensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

type TypedArray = Float32Array | Int32Array | Uint8Array;

/** The few methods of tfjs's WASM backend these kernels use. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: string): WasmTensorInfo;
  typedArrayFromHeap(tensor: WasmTensorInfo): TypedArray;
}

interface KernelArgs {
  inputs: Record<string, WasmTensorInfo>;
  attrs: Record<string, unknown>;
  backend: WasmBackend;
}
type KernelFunc = (args: KernelArgs) => WasmTensorInfo | WasmTensorInfo[];

interface KernelConfig {
  kernelName: string;
  backendName: string;
  kernelFunc: KernelFunc;
  setupFunc?: unknown;
}

/** What of tfjs's namespace this needs (human's build exports it as `human.tf`). */
export interface KernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  unregisterKernel(kernelName: string, backendName: string): void;
  registerKernel(config: KernelConfig): void;
  slice_util: { parseSliceParams(x: WasmTensorInfo, begin: unknown, size: unknown): [number[], number[]] };
}

const LEAN = Symbol.for('taxiwatch.lean-kernel');

/** Replaces the WASM backend's Slice and Unpack (once per tfjs build; later calls change nothing). */
export function installLeanSliceKernels(tf: KernelRegistry): void {
  const replacements: [string, (args: KernelArgs, original: KernelFunc) => WasmTensorInfo | WasmTensorInfo[]][] = [
    ['Slice', (args, original) => leanSlice(tf, args, original)],
    ['Unpack', leanUnpack],
  ];
  for (const [kernelName, lean] of replacements) {
    const existing = tf.getKernel(kernelName, 'wasm');
    if (!existing || (existing.kernelFunc as { [LEAN]?: true })[LEAN]) continue;
    const original = existing.kernelFunc;
    const kernelFunc = Object.assign((args: KernelArgs) => lean(args, original), { [LEAN]: true as const });
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...existing, kernelFunc });
  }
}

function leanSlice(tf: KernelRegistry, args: KernelArgs, original: KernelFunc): WasmTensorInfo | WasmTensorInfo[] {
  const x = args.inputs.x;
  if (x.dtype === 'string' || x.shape.length === 0) return original(args);
  const [begin, size] = tf.slice_util.parseSliceParams(x, args.attrs.begin, args.attrs.size);
  // Outputs first: allocating may grow WASM memory, which detaches every view taken before.
  const out = args.backend.makeOutput(size, x.dtype);
  copyBlock(args.backend.typedArrayFromHeap(x), x.shape, begin, size, args.backend.typedArrayFromHeap(out));
  return out;
}

function leanUnpack(args: KernelArgs, original: KernelFunc): WasmTensorInfo[] | WasmTensorInfo {
  const value = args.inputs.value;
  if (value.dtype === 'string') return original(args);
  const rank = value.shape.length;
  const axis = (args.attrs.axis as number) < 0 ? (args.attrs.axis as number) + rank : (args.attrs.axis as number);
  const count = value.shape[axis];
  const outShape = value.shape.filter((_, d) => d !== axis);
  const outer = product(value.shape.slice(0, axis));
  const inner = product(value.shape.slice(axis + 1));
  const outs = Array.from({ length: count }, () => args.backend.makeOutput(outShape, value.dtype));
  const source = args.backend.typedArrayFromHeap(value);
  outs.forEach((out, i) => {
    const target = args.backend.typedArrayFromHeap(out);
    for (let o = 0; o < outer; o++) copyRun(source, (o * count + i) * inner, target, o * inner, inner);
  });
  return outs;
}

/** Copies the block `begin`/`size` of a row-major tensor of `shape`, one run of its last dimension at a time. */
export function copyBlock(
  source: TypedArray,
  shape: number[],
  begin: number[],
  size: number[],
  target: TypedArray,
): void {
  const rank = shape.length;
  const run = size[rank - 1];
  if (run === 0 || size.some((s) => s === 0)) return;
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const rows = product(size) / run;
  const index = new Array<number>(rank - 1).fill(0);
  for (let row = 0, written = 0; row < rows; row++, written += run) {
    let offset = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) offset += (begin[d] + index[d]) * strides[d];
    copyRun(source, offset, target, written, run);
    // Next row: the index counts up like an odometer over every dimension but the last.
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
}

function copyRun(source: TypedArray, from: number, target: TypedArray, to: number, length: number): void {
  // A view per run costs an object; short runs (a box's four numbers) are cheaper copied one by one.
  if (length >= 32) target.set(source.subarray(from, from + length), to);
  else for (let k = 0; k < length; k++) target[to + k] = source[from + k];
}

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
