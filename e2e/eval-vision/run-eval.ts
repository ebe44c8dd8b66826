/**
 * Runs one analyser over a labelled folder (sub-folder name = label) and scores it. Each image stands alone: no
 * vehicle, no window of earlier frames, no speed (judged as moving). With `train`, a second labelled folder first
 * teaches each camera's baseline and the fleet model, and the local verdicts are scored without and with them. The
 * analyser comes from an injected factory map, so tests can pass one pointed at a loopback server.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { readJpegInfo } from '../../edge/domain/frames/jpeg-info.ts';
import type { CloudDecision } from '../../edge/adapters/analyser/cascade-analyser.ts';
import type { Analyser, AnalyserOutput } from '../../edge/ports/analyser.ts';
import { judgeOutput } from './judge-frame.ts';
import { labelOfFolder, NO_INCIDENT } from './labels.ts';
import { computeMetrics, type EvalMetrics } from './metrics.ts';
import { baselineFor, cameraOf, train, type Training } from './train-from-folder.ts';

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
  /** The verdict scored (with the --train model and baselines when given); null when the analysis rejected. */
  predicted: string | null;
  latencyMs: number | null;
  costUsd: number;
  /** The model(s) that answered (`human-…+gpt-4o-mini` when a cascade asked the cloud); null when it rejected. */
  model: string | null;
  /** Whether a model that bills tokens was called (in a cascade: whether the cloud was asked). */
  calledModel: boolean;
  /** A signals-only answer whose single-frame judgement was a hint rather than a finding. */
  uncertain: boolean;
  /** The camera the frame is from (file-name prefix `<camera>__`, else `default`). */
  camera: string;
  /**
   * What the local signals alone concluded, without and with what --train taught, and whether that conclusion was
   * only a hint (null: no signals).
   */
  local: { without: string; with: string | null; uncertain: boolean } | null;
  /** For signals: what a cascade does with the frame — `asked` the cloud, or answered it locally and why. */
  cascade: CloudDecision | null;
  error?: string;
}

/** Per label: how many frames reached (or would reach) the cloud, what was billed, and what the local part decided. */
export interface LabelRouting {
  label: string;
  frames: number;
  /** Sent to the cloud: billed by a cloud model, or (offline) the cascade would have asked. */
  toCloud: number;
  billed: number;
  costUsd: number;
  /** The local judgement alone: an incident, nothing, or a hint (no incident but unsure). */
  local: { incident: number; none: number; hint: number };
}

export interface EvalReport {
  analyser: string;
  folder: string;
  metrics: EvalMetrics;
  frames: FrameResult[];
  routing: LabelRouting[];
  /** With --train: what was learned, and the local verdicts scored without and with it. */
  training?: { folder: string; frames: number; cameras: number; model: { examples: number; byLabel: Record<string, number>; accuracy: number | null } | null };
  comparison?: { without: EvalMetrics; with: EvalMetrics };
}

export interface EvalOptions {
  folder: string;
  analyser: string;
  factories: AnalyserFactories;
  /** A labelled folder to learn baselines and the fleet model from before evaluating. */
  train?: string;
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

async function analyseAll(analyser: Analyser, images: LabelledImage[], language: 'es' | 'en', training: Training | null, onEach?: (image: LabelledImage, output: AnalyserOutput | Error) => void) {
  const outputs: (AnalyserOutput | Error)[] = [];
  // One at a time: latency is then the analyser's, not a queue's.
  for (const image of images) {
    const jpeg = new Uint8Array(await readFile(image.path));
    const info = readJpegInfo(jpeg);
    const camera = { baseline: baselineFor(training, image.file), model: training?.model ?? null, speedKmh: null };
    let output: AnalyserOutput | Error;
    try {
      output = await analyser.analyse({ jpeg, width: info.ok ? info.width : null, height: info.ok ? info.height : null, language, camera });
    } catch (error) {
      output = error instanceof Error ? error : new Error(String(error));
    }
    outputs.push(output);
    onEach?.(image, output);
  }
  return outputs;
}

export async function evaluateFolder(options: EvalOptions): Promise<EvalReport> {
  const factory = options.factories[options.analyser];
  if (!factory) throw new Error(`unknown analyser "${options.analyser}": choose one of ${Object.keys(options.factories).join(', ')}`);
  const images = await listLabelledImages(options.folder, options.limit);
  if (images.length === 0) throw new Error(`no labelled images in ${options.folder}: expected sub-folders named by label (safe/, phone/, …) holding .jpg files`);
  const trainImages = options.train ? await listLabelledImages(options.train) : [];
  if (options.train && trainImages.length === 0) throw new Error(`no labelled images in the training folder ${options.train}`);
  const language = options.language ?? 'en';

  const analyser = await factory();
  let training: Training | null = null;
  const frames: FrameResult[] = [];
  try {
    if (options.train) {
      const outputs = await analyseAll(analyser, trainImages, language, null);
      training = train(options.train, trainImages.map((image, i) => ({ file: image.file, expected: image.expected, signals: outputs[i] instanceof Error ? null : (outputs[i] as AnalyserOutput).signals })));
    }
    await analyseAll(analyser, images, language, training, (image, output) => {
      const result = resultOf(image, output, language, training);
      frames.push(result);
      options.onFrame?.(result, frames.length, images.length);
    });
  } finally {
    await analyser.close?.();
  }

  const report: EvalReport = { analyser: options.analyser, folder: options.folder, metrics: scoreOf(frames, (f) => f.predicted), frames, routing: routingOf(frames) };
  if (training) {
    const m = training.model;
    report.training = { folder: training.folder, frames: training.frames, cameras: training.baselines.size, model: m ? { examples: m.examples, byLabel: m.byLabel, accuracy: m.accuracy } : null };
    report.comparison = { without: scoreOf(frames, (f) => f.local?.without ?? f.predicted), with: scoreOf(frames, (f) => f.local?.with ?? f.predicted) };
  }
  return report;
}

function resultOf(image: LabelledImage, output: AnalyserOutput | Error, language: 'es' | 'en', training: Training | null): FrameResult {
  const camera = cameraOf(image.file);
  if (output instanceof Error) {
    return { file: image.file, expected: image.expected, predicted: null, latencyMs: null, costUsd: 0, model: null, calledModel: false, uncertain: false, camera, local: null, cascade: null, error: output.message };
  }
  const taught = { baseline: baselineFor(training, image.file), model: training?.model ?? null };
  const judged = judgeOutput(output, language, taught);
  const signalsOnly = { ...output, verdict: null };
  const without = output.signals ? judgeOutput(signalsOnly, language, { baseline: null, model: null }) : null;
  const local = output.signals ? judgeOutput(signalsOnly, language, taught) : null;
  return {
    file: image.file,
    expected: image.expected,
    predicted: judged.predicted,
    latencyMs: output.latencyMs,
    costUsd: output.usage?.costUsd ?? 0,
    model: output.model,
    // Only a billed call counts: a local model reports no usage at all.
    calledModel: output.usage !== null,
    uncertain: judged.uncertain,
    camera,
    local: without && local ? { without: without.predicted, with: training ? local.predicted : null, uncertain: local.uncertain } : null,
    cascade: local?.cascade ?? null,
  };
}

function scoreOf(frames: FrameResult[], prediction: (f: FrameResult) => string | null): EvalMetrics {
  const scored = frames.filter((f) => f.predicted !== null);
  return computeMetrics(
    scored.map((f) => ({ expected: f.expected, predicted: prediction(f)!, latencyMs: f.latencyMs!, costUsd: f.costUsd })),
    frames.length - scored.length,
  );
}

function routingOf(frames: FrameResult[]): LabelRouting[] {
  const labels = [...new Set(frames.map((f) => f.expected))].sort((a, b) => (a === NO_INCIDENT ? -1 : b === NO_INCIDENT ? 1 : a.localeCompare(b)));
  return labels.map((label) => {
    const of = frames.filter((f) => f.expected === label);
    const localVerdict = (f: FrameResult) => (f.local ? (f.local.with ?? f.local.without) : null);
    const quiet = of.filter((f) => localVerdict(f) === NO_INCIDENT);
    return {
      label,
      frames: of.length,
      toCloud: of.filter((f) => f.calledModel || f.cascade === 'asked').length,
      billed: of.filter((f) => f.calledModel).length,
      costUsd: of.reduce((sum, f) => sum + f.costUsd, 0),
      local: {
        incident: of.filter((f) => localVerdict(f) !== null && localVerdict(f) !== NO_INCIDENT).length,
        none: quiet.filter((f) => !f.local!.uncertain).length,
        hint: quiet.filter((f) => f.local!.uncertain).length,
      },
    };
  });
}
