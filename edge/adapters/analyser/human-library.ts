/**
 * Loads @vladmandic/human's browser build (tfjs, its WASM backend and human in one ES module) so that it runs the
 * same way on Node and Deno, without network access: its model files and WASM binaries are read through an
 * injected `loadFile` rather than fetched.
 */
import type { KernelRegistry } from './lean-slice-kernels.ts';

/** Reads one file (a `file://` URL on Node and Deno) and resolves with its bytes; rejects when it is missing. */
export type LoadFile = (url: string) => Promise<Uint8Array>;

export interface HumanLibraryFiles {
  /** URL of human's browser build (`dist/human.esm.js`). */
  humanModuleUrl: string;
  /** Folder URL holding `tfjs-backend-wasm*.wasm`, ending in `/`. */
  wasmPath: string;
  /** Folder URL holding human's `*.json` / `*.bin` models, ending in `/`. */
  modelBasePath: string;
  loadFile: LoadFile;
}

// The slice of tfjs and human this adapter calls, declared here so the rest of the code does not depend on
// the vendor's (large) type declarations.
export interface TfTensor {
  dispose(): void;
}
interface TfPlatform {
  fetch(url: string, init?: RequestInit): Promise<Response>;
  now(): number;
  encode(text: string, encoding: string): Uint8Array;
  decode(bytes: Uint8Array, encoding: string): string;
  isTypedArray(value: unknown): boolean;
}
interface TfIoHandler {
  load(): Promise<unknown>;
}
export interface HumanTf extends KernelRegistry {
  env(): { set(flag: string, value: unknown): void } & Record<symbol, unknown>;
  setPlatform(name: string, platform: TfPlatform): void;
  io: {
    registerLoadRouter(router: (url: string | string[]) => TfIoHandler | null): void;
    http(url: string, options: { fetchFunc: (url: string, init?: RequestInit) => Promise<Response> }): TfIoHandler;
  };
  tensor(values: Uint8Array | Int32Array, shape: number[], dtype: 'int32'): TfTensor;
  getBackend(): string;
  memory(): { numTensors: number; numBytes: number };
}
export interface HumanInstance {
  readonly version: string;
  readonly tf: HumanTf;
  /** Human's models live in module-level variables of its build: every Human instance of one build shares them. */
  readonly models: { models: Record<string, HumanModel | null> };
  load(): Promise<void>;
  detect(input: TfTensor): Promise<HumanResult>;
  /** Marks the build as uninitialised: the next `load()` loads every model again. */
  reset(): void;
}
export interface HumanModel {
  /** Set once the weights are in; human keeps a model whose files failed to load, without one. */
  executor?: unknown;
  dispose(): void;
}
export interface HumanModule {
  Human: new (config: Record<string, unknown>) => HumanInstance;
}

export type Point3 = [number, number, number];
export interface HumanFace {
  score: number;
  /** x, y, width, height in input pixels. */
  box: [number, number, number, number];
  /** 468 face-mesh points, plus 10 iris points when the iris model ran; input pixels. */
  mesh: Point3[];
  rotation?: { angle: { roll: number; yaw: number; pitch: number } } | null;
}
export interface HumanObject {
  score: number;
  label: string;
}
export interface HumanBody {
  score: number;
  /** Keypoints in input pixels; `part` is MoveNet's name (nose, leftShoulder, rightWrist …). */
  keypoints: { part: string; position: [number, number, number?] | number[]; score: number }[];
}
export interface HumanHand {
  score: number;
  /** x, y, width, height in input pixels. */
  box: [number, number, number, number];
  /** Finger curls from the hand landmarks (empty without them). */
  landmarks: Partial<Record<string, { curl: 'none' | 'half' | 'full' }>>;
}
export interface HumanResult {
  face: HumanFace[];
  body: HumanBody[];
  hand: HumanHand[];
  object: HumanObject[];
  error: string | null;
}

const loadedModules = new Map<string, Promise<HumanModule>>();

/**
 * Shadows two globals for human's module only. `process`: see importHuman. `console`: human logs the errors it
 * catches (a missing model file) with console.log, and a logged error prints its stack, whose every frame inside
 * this data: module names the module by its URL — the whole 3.5 MB source. Errors are logged as their message.
 */
const MODULE_PRELUDE = `const process = undefined;
const console = new Proxy(globalThis.console, { get: (real, key) => key === 'log'
  ? (...args) => real.log(...args.map((a) => (a instanceof Error ? \`\${a.name}: \${a.message}\` : a)))
  : typeof real[key] === 'function' ? real[key].bind(real) : real[key] });
`;

/**
 * Imports human's browser build once per URL. The build, evaluated where a global `process` exists, takes its
 * Node paths (tfjs's Node platform needs `require('util')`, emscripten reads the .wasm through `__dirname` and
 * `require('fs')`), none of which exist inside an ES module. Shadowing `process` for this one module makes it take
 * its Web paths instead — without touching the real global that the rest of the process sees.
 */
export function importHuman(files: HumanLibraryFiles): Promise<HumanModule> {
  let loading = loadedModules.get(files.humanModuleUrl);
  if (!loading) {
    loading = (async () => {
      const source = new TextDecoder()
        .decode(await files.loadFile(files.humanModuleUrl))
        // Its source map is a relative URL, which means nothing under a data: URL (and fails with source maps on).
        .replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
      const moduleUrl = `data:text/javascript;charset=utf-8,${encodeURIComponent(`${MODULE_PRELUDE}${source}`)}`;
      return (await import(/* @vite-ignore */ moduleUrl)) as HumanModule;
    })();
    loading.catch(() => loadedModules.delete(files.humanModuleUrl));
    loadedModules.set(files.humanModuleUrl, loading);
  }
  return loading;
}

// Kept on tfjs's environment object rather than in this module: tfjs and human's models are one set per imported
// build, so what is installed on them, and who still uses them, must be counted there even if this module is
// evaluated again (test isolation does that).
const SHARED = Symbol.for('taxiwatch.offline-analyser.shared');
interface SharedState {
  sources: Map<string, LoadFile>;
  holders: number;
}

function sharedState(tf: HumanTf): SharedState | undefined {
  return tf.env()[SHARED] as SharedState | undefined;
}

/**
 * Makes tfjs read URLs under `wasmPath` and `modelBasePath` through `loadFile`: the WASM binary through the
 * platform's fetch (human sets `wasmPlatformFetch`), the models through an IO load router.
 */
export function installFileReading(tf: HumanTf, files: HumanLibraryFiles): void {
  let shared = sharedState(tf);
  if (!shared) {
    const sources = new Map<string, LoadFile>();
    shared = { sources, holders: 0 };
    tf.env()[SHARED] = shared;
    const sourceFor = (url: string) => [...sources.entries()].find(([prefix]) => url.startsWith(prefix))?.[1];
    const localFetch = async (url: string, init?: RequestInit): Promise<Response> => {
      const load = sourceFor(url);
      if (!load) return fetch(url, init);
      return new Response((await load(url)) as Uint8Array<ArrayBuffer>, { status: 200 });
    };
    tf.setPlatform('taxiwatch-offline-analyser', webPlatform(localFetch));
    tf.io.registerLoadRouter((url) =>
      typeof url === 'string' && sourceFor(url) ? tf.io.http(url, { fetchFunc: localFetch }) : null,
    );
    // WASM threads would need Web Workers built from blobs; one thread also keeps memory predictable.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  shared.sources.set(files.wasmPath, files.loadFile);
  shared.sources.set(files.modelBasePath, files.loadFile);
}

/** Counts one more user of the build's shared models (an analyser that has loaded them). */
export function holdModels(human: HumanInstance): void {
  const shared = sharedState(human.tf);
  if (shared) shared.holders += 1;
}

/**
 * One user fewer; the last one frees the weights (WASM memory) and resets the build, so that a later analyser
 * loads them again instead of finding disposed ones.
 */
export function releaseModels(human: HumanInstance): void {
  const shared = sharedState(human.tf);
  if (shared) shared.holders = Math.max(0, shared.holders - 1);
  unloadIfUnused(human);
}

/** Frees the loaded weights and makes the next `load()` start over, unless another analyser still uses them. */
export function unloadIfUnused(human: HumanInstance): void {
  if ((sharedState(human.tf)?.holders ?? 0) > 0) return;
  // A model whose files failed to load has no executor, and disposing it throws.
  for (const model of new Set(Object.values(human.models.models))) if (model?.executor) model.dispose();
  human.reset();
}

function webPlatform(fetchFile: TfPlatform['fetch']): TfPlatform {
  const encoder = new TextEncoder();
  return {
    fetch: fetchFile,
    now: () => performance.now(),
    encode: (text) => encoder.encode(text),
    decode: (bytes, encoding) => new TextDecoder(encoding).decode(bytes),
    isTypedArray: (value) =>
      value instanceof Float32Array || value instanceof Int32Array || value instanceof Uint8Array || value instanceof Uint8ClampedArray,
  };
}
