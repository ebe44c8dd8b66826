/**
 * `--train` end to end with an analyser that plays back chosen signals per image: baselines and the fleet model are
 * learned from the training folder, the local verdicts are scored without and with them, the routing table says
 * which frames a cascade sends to the cloud, and a local model is never counted as billed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRONT_CALM, withPoint } from '../support/driver-signals.ts';
import { createRecordedSignalsAnalyser } from '../support/recorded-signals-analyser.ts';
import type { FrameSignals } from '../../edge/domain/vision/frame-signals.ts';
import { runEvalCommand } from './eval-command.ts';
import { writeLabelledFolder } from './fixture-images.ts';
import type { EvalReport } from './run-eval.ts';

// This fleet's drivers hold the phone at chest height with the head up: no fixed rule calls that phone use, but the
// fleet's labelled frames teach it. Jitter keeps the frames distinct, as real ones are.
const calm = (i: number) => withPoint(FRONT_CALM, 'right_wrist', 0.4 + (i % 4) * 0.004, 0.62 - (i % 3) * 0.004);
const chest = (i: number) => withPoint(FRONT_CALM, 'right_wrist', 0.46 + (i % 4) * 0.004, 0.47 + (i % 3) * 0.004);

let train: string;
let test: string;
const signalsByImage = new Map<string, FrameSignals>();

async function folder(counts: Record<string, number>, firstSeed: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'eval-train-'));
  const files = await writeLabelledFolder(root, counts, firstSeed);
  let i = 0;
  for (const [file, bytes] of files) signalsByImage.set(Buffer.from(bytes).toString('base64'), file.startsWith('phone/') ? chest(i++) : calm(i++));
  return root;
}

beforeAll(async () => {
  train = await folder({ safe: 10, phone: 10 }, 1);
  test = await folder({ safe: 6, phone: 6 }, 100);
});
afterAll(async () => {
  await rm(train, { recursive: true, force: true });
  await rm(test, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let out = '';
  const code = await runEvalCommand(argv, {
    factories: { offline: () => createRecordedSignalsAnalyser((frame) => signalsByImage.get(Buffer.from(frame.jpeg).toString('base64')) ?? {}) },
    defaultAnalyser: 'offline',
    out: (t) => void (out += t),
    err: () => {},
  });
  return { code, out };
}

describe('npm run eval:vision -- <test> --train <labelled>', () => {
  it('scores the local verdicts without and with what the training folder taught', async () => {
    const { code, out } = await run([test, '--train', train, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as EvalReport;
    expect(report.training).toMatchObject({ frames: 20, cameras: 1, model: { examples: 20, byLabel: { NONE: 10, PHONE_USAGE: 10 } } });
    expect(report.training!.model!.accuracy).toBeGreaterThanOrEqual(0.9);
    const recall = (m: EvalReport['metrics']) => m.classes.find((c) => c.label === 'PHONE_USAGE')?.recall ?? 0;
    expect(recall(report.comparison!.without)).toBe(0);
    expect(recall(report.comparison!.with)).toBe(1);
    expect(report.comparison!.with.detection.precision).toBe(1);
    expect(report.metrics).toEqual(report.comparison!.with);
  });

  it('reports per label what reached the cloud, what it cost and what the local part decided; offline bills nothing', async () => {
    const report = JSON.parse((await run([test, '--train', train, '--json'])).out) as EvalReport;
    expect(report.routing).toEqual([
      // Calm drivers on a calibrated camera are answered locally; every phone frame would reach the cloud.
      { label: 'NONE', frames: 6, toCloud: 0, billed: 0, costUsd: 0, local: { incident: 0, none: 6, hint: 0 } },
      { label: 'PHONE_USAGE', frames: 6, toCloud: 6, billed: 0, costUsd: 0, local: { incident: 6, none: 0, hint: 0 } },
    ]);
    expect(report.frames.every((f) => !f.calledModel)).toBe(true);
    const text = (await run([test, '--train', train])).out;
    expect(text).toContain('a token-billed model answered 0 of 12 frames');
    expect(text).toMatch(/local verdicts without --train.*\n[\s\S]*local verdicts with --train/);
    expect(text).toMatch(/PHONE_USAGE\s+6\s+6\s+0\s+\$0\.000000\s+6\s+0\s+0/);
  });

  it('without --train, a camera that has not calibrated sends every frame to the cloud rather than guessing', async () => {
    const report = JSON.parse((await run([test, '--json'])).out) as EvalReport;
    expect(report.comparison).toBeUndefined();
    expect(report.routing.map((r) => [r.label, r.toCloud, r.frames])).toEqual([['NONE', 6, 6], ['PHONE_USAGE', 6, 6]]);
    // … and flags none of the safe frames.
    expect(report.metrics.classes.find((c) => c.label === 'NONE')?.recall).toBe(1);
  });

  it('refuses a training folder with no labelled images', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'eval-empty-'));
    try {
      expect((await run([test, '--train', empty])).code).toBe(1);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
