/**
 * Runs one analyser over a labelled folder (sub-folder name = label) and scores it. Each image stands alone: no
 * vehicle, no window of earlier frames. The analyser comes from an injected factory map, so tests can pass one
 * pointed at a loopback server.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { readJpegInfo } from '../../edge/domain/frames/jpeg-info.ts';
import { judgeSignals } from '../../edge/domain/vision/judge-signals.ts';
import { DEFAULT_VISION_RULES, type VisionRules } from '../../edge/domain/vision/vision-rules.ts';
import { isIncident } from '../../edge/domain/vision/vision-verdict.ts';
import type { Analyser, AnalyserOutput } from '../../edge/ports/analyser.ts';
import { labelOfFolder, NO_INCIDENT } from './labels.ts';
import { computeMetrics, type EvalMetrics } from './metrics.ts';

export type AnalyserFactories = Record<string, () => Analyser | Promise<Analyser>>;

export interface LabelledImage {
  /** Path relative to the folder, e.g. `phone/0001.jpg`. */
  file: string;
  path: string;
  expected: string;
}

export interface FrameResult {
  file: string;
  expected: string;
  /** Null when the analysis rejected. */
  predicted: string | null;
  latencyMs: number | null;
  costUsd: number;
  /** The model(s) that answered (`human-…+gpt-4o-mini` when a cascade asked the cloud); null when it rejected. */
  model: string | null;
  /** Whether a model that reports token usage was called (in a cascade: whether the cloud was asked). */
  calledModel: boolean;
  /** A signals-only answer whose single-frame judgement was a hint rather than a finding. */
  uncertain: boolean;
  error?: string;
}

export interface EvalReport {
  analyser: string;
  folder: string;
  metrics: EvalMetrics;
  frames: FrameResult[];
}

export interface EvalOptions {
  folder: string;
  analyser: string;
  factories: AnalyserFactories;
  /** At most this many images per label folder (the first by name), to keep a quick run balanced. */
  limit?: number;
  language?: 'es' | 'en';
  onFrame?: (result: FrameResult, done: number, total: number) => void;
}

const IMAGE = /\.(jpe?g)$/i;

/** Evaluation sets are often assembled from symbolic links: they count as what they point to. */
async function kindOf(parent: string, entry: Dirent): Promise<'file' | 'directory' | 'other'> {
  if (entry.isSymbolicLink()) {
    const target = await stat(join(parent, entry.name)).catch(() => null);
    return target?.isFile() ? 'file' : target?.isDirectory() ? 'directory' : 'other';
  }
  return entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other';
}

async function namesOf(parent: string, kind: 'file' | 'directory'): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true });
  const kinds = await Promise.all(entries.map((e) => kindOf(parent, e)));
  return entries.filter((e, i) => kinds[i] === kind && !e.name.startsWith('.')).map((e) => e.name).sort();
}

export async function listLabelledImages(folder: string, limit?: number): Promise<LabelledImage[]> {
  const labelDirs = await namesOf(folder, 'directory');
  const images: LabelledImage[] = [];
  for (const dir of labelDirs) {
    const files = (await namesOf(join(folder, dir), 'file')).filter((name) => IMAGE.test(name));
    for (const name of files.slice(0, limit ?? files.length)) images.push({ file: `${dir}/${name}`, path: join(folder, dir, name), expected: labelOfFolder(dir) });
  }
  return images;
}

/**
 * Signals-only analysers (offline) leave judging to the domain's windowed rules; with one image there is no window,
 * so the image is judged as if its state had lasted for the whole window (one matching frame suffices).
 */
const SINGLE_FRAME_RULES: VisionRules = { ...DEFAULT_VISION_RULES, windowFrames: 1, minMatches: 1, briefMinMatches: 1 };

export function predictionOf(output: AnalyserOutput, language: 'es' | 'en'): { predicted: string; uncertain: boolean } {
  if (output.verdict) {
    if (isIncident(output.verdict)) return { predicted: output.verdict.type, uncertain: false };
    // An incident without a type is still an alarm: scored as OTHER rather than as safe.
    return { predicted: output.verdict.incident_detected ? 'OTHER' : NO_INCIDENT, uncertain: false };
  }
  if (output.signals) {
    const judged = judgeSignals({ capturedAt: 0, signals: output.signals }, [], { language, rules: SINGLE_FRAME_RULES });
    return { predicted: judged.verdict.incident_detected ? (judged.verdict.type ?? 'OTHER') : NO_INCIDENT, uncertain: judged.uncertain };
  }
  return { predicted: NO_INCIDENT, uncertain: true };
}

export async function evaluateFolder(options: EvalOptions): Promise<EvalReport> {
  const factory = options.factories[options.analyser];
  if (!factory) throw new Error(`unknown analyser "${options.analyser}": choose one of ${Object.keys(options.factories).join(', ')}`);
  const images = await listLabelledImages(options.folder, options.limit);
  if (images.length === 0) throw new Error(`no labelled images in ${options.folder}: expected sub-folders named by label (safe/, phone/, …) holding .jpg files`);
  const language = options.language ?? 'en';

  const analyser = await factory();
  const frames: FrameResult[] = [];
  try {
    // One at a time: latency is then the analyser's, not a queue's.
    for (const image of images) {
      const jpeg = new Uint8Array(await readFile(image.path));
      const info = readJpegInfo(jpeg);
      let result: FrameResult;
      try {
        const output = await analyser.analyse({ jpeg, width: info.ok ? info.width : null, height: info.ok ? info.height : null, language });
        const { predicted, uncertain } = predictionOf(output, language);
        result = {
          file: image.file,
          expected: image.expected,
          predicted,
          latencyMs: output.latencyMs,
          costUsd: output.usage?.costUsd ?? 0,
          model: output.model,
          calledModel: output.usage !== null,
          uncertain,
        };
      } catch (error) {
        result = { file: image.file, expected: image.expected, predicted: null, latencyMs: null, costUsd: 0, model: null, calledModel: false, uncertain: false, error: error instanceof Error ? error.message : String(error) };
      }
      frames.push(result);
      options.onFrame?.(result, frames.length, images.length);
    }
  } finally {
    await analyser.close?.();
  }

  const scored = frames.filter((f) => f.predicted !== null);
  const metrics = computeMetrics(
    scored.map((f) => ({ expected: f.expected, predicted: f.predicted!, latencyMs: f.latencyMs!, costUsd: f.costUsd })),
    frames.length - scored.length,
  );
  return { analyser: options.analyser, folder: options.folder, metrics, frames };
}
