/**
 * Where the offline analyser's library, models and WASM binaries live on Node and Deno (inside node_modules),
 * and how to read them: the adapter itself uses Web APIs only and gets these injected.
 */
import { readFile } from 'node:fs/promises';
import type { OfflineAnalyserFiles } from '../adapters/analyser/offline-analyser.ts';

export function offlineAnalyserFiles(): OfflineAnalyserFiles {
  // The package's "node" export is its tfjs-node build (a native addon we do not install): the browser build
  // next to it carries tfjs and its WASM backend in one file, and its models ship in ../models/.
  const humanNodeBuild = import.meta.resolve('@vladmandic/human');
  const wasmBackend = import.meta.resolve('@tensorflow/tfjs-backend-wasm');
  const jpegDecoder = import.meta.resolve('@jsquash/jpeg/decode.js');
  return {
    humanModuleUrl: new URL('human.esm.js', humanNodeBuild).href,
    modelBasePath: new URL('../models/', humanNodeBuild).href,
    wasmPath: new URL('./', wasmBackend).href,
    jpegDecoderWasmUrl: new URL('codec/dec/mozjpeg_dec.wasm', jpegDecoder).href,
    loadFile: readFileUrl,
  };
}

/** Node's fetch cannot read file:// URLs, so the adapter reads its files through this. */
async function readFileUrl(url: string): Promise<Uint8Array> {
  const bytes = await readFile(new URL(url));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
