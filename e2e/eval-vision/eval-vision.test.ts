/**
 * The evaluation command end to end: a generated labelled folder, the real OpenAI adapter, and the loopback
 * OpenAI-compatible server answering per image (some answers right, some wrong, one refused), then the printed
 * metrics checked against what those answers must give.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer, type ScriptedReply } from '../support/openai-compatible-server.ts';
import { createOpenAiAnalyser } from '../../edge/adapters/analyser/openai-analyser.ts';
import { runEvalCommand } from './eval-command.ts';
import { writeLabelledFolder } from './fixture-images.ts';
import type { EvalReport } from './run-eval.ts';

const USAGE = { prompt_tokens: 1000, completion_tokens: 100 }; // gpt-4o-mini: $0.00021 a frame
const says = (type: string | null, delayMs = 0): ScriptedReply => {
  const verdict = type
    ? { incident_detected: true, type, severity: 'HIGH', confidence: 0.8, description: `${type} seen` }
    : { incident_detected: false, type: null, severity: null, confidence: 0.9, description: 'nothing unsafe' };
  return reply.delay(delayMs, reply.verdict(verdict, { usage: USAGE }));
};

// What the "model" answers for each file: 2 of 3 safe frames right (one false phone alarm), both phone frames found
// (slowly), one drowsy frame found and one missed; the blocked frame is refused with a 400 (a failure, not a score).
const ANSWERS: Record<string, ScriptedReply> = {
  'safe/001.jpg': says(null),
  'safe/002.jpg': says(null),
  'safe/003.jpg': says('PHONE_USAGE'),
  'phone/001.jpg': says('PHONE_USAGE', 120),
  'phone/002.jpg': says('PHONE_USAGE', 120),
  'drowsy/001.jpg': says('DROWSINESS'),
  'drowsy/002.jpg': says(null),
  'blocked/001.jpg': reply.status(400, { message: 'image rejected' }),
};

let folder: string;
let server: OpenAiCompatibleServer;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'eval-vision-'));
  const files = await writeLabelledFolder(folder, { safe: 3, phone: 2, drowsy: 2, blocked: 1 });
  await writeFile(join(folder, 'safe', 'README.txt'), 'not an image: skipped');
  const byDataUrl = new Map([...files].map(([file, bytes]) => [`data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`, file]));
  server = await startOpenAiCompatibleServer({
    respond: (request) => {
      const file = byDataUrl.get(request.imageUrl ?? '');
      return file ? ANSWERS[file]! : reply.status(400, { message: 'unexpected image' });
    },
  });
});

afterAll(async () => {
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runEvalCommand(argv, {
    factories: { cloud: () => createOpenAiAnalyser({ apiKey: 'sk-eval', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 5_000, maxRetries: 0 }) },
    defaultAnalyser: 'cloud',
    out: (t) => void (out += t),
    err: (t) => void (err += t),
  });
  return { code, out, err };
}

describe('npm run eval:vision', () => {
  it('--json scores every labelled image as the scripted answers dictate', async () => {
    const { code, out } = await run([folder, '--analyser', 'cloud', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as EvalReport;
    const m = report.metrics;
    expect(m.frames).toBe(7);
    expect(m.failures).toBe(1);
    expect(report.frames.find((f) => f.file === 'blocked/001.jpg')).toMatchObject({ expected: 'CAMERA_BLOCKED', predicted: null, calledModel: false, error: expect.stringMatching(/HTTP 400.*image rejected/) });
    expect(report.frames.find((f) => f.file === 'phone/001.jpg')).toMatchObject({ model: 'gpt-4o-mini', calledModel: true, costUsd: 0.00021 });
    expect(m.confusion.labels).toEqual(['NONE', 'DROWSINESS', 'PHONE_USAGE']);
    expect(m.confusion.matrix).toEqual([
      [2, 0, 1],
      [1, 1, 0],
      [0, 0, 2],
    ]);
    const byLabel = Object.fromEntries(m.classes.map((c) => [c.label, c]));
    expect(byLabel.PHONE_USAGE!.precision).toBeCloseTo(2 / 3, 12);
    expect(byLabel.PHONE_USAGE!.recall).toBe(1);
    expect(byLabel.DROWSINESS).toMatchObject({ precision: 1, recall: 0.5 });
    expect(byLabel.NONE!.recall).toBeCloseTo(2 / 3, 12);
    expect(m.accuracy).toBeCloseTo(5 / 7, 12);
    expect(m.detection.precision).toBeCloseTo(3 / 4, 12);
    expect(m.detection.recall).toBeCloseTo(3 / 4, 12);
    expect(m.costUsd.perFrame).toBeCloseTo(0.00021, 12);
    expect(m.costUsd.total).toBeCloseTo(7 * 0.00021, 12);
    // Two of seven frames waited 120 ms: the median is fast, the 95th percentile is not.
    expect(m.latencyMs.p95!).toBeGreaterThanOrEqual(120);
    expect(m.latencyMs.p50!).toBeLessThan(120);
    // Every image went to the model once (no retries with maxRetries 0), the text file never.
    expect(server.requests.filter((r) => r.imageDetail === 'low')).toHaveLength(8);
  });

  it('prints a readable report with per-type precision and recall, the confusion matrix, latency and cost', async () => {
    const before = server.requests.length;
    const { code, out, err } = await run([folder]);
    expect(code).toBe(0);
    expect(server.requests.length - before).toBe(8);
    expect(err).toContain('[8/8]');
    expect(out).toMatch(/frames scored 7, failed 1, accuracy 71\.4%/);
    expect(out).toMatch(/PHONE_USAGE\s+2\s+3\s+2\s+66\.7%\s+100\.0%/);
    expect(out).toMatch(/DROWSINESS\s+2\s+1\s+1\s+100\.0%\s+50\.0%/);
    expect(out).toMatch(/incident detection \(any type vs none\): precision 75\.0%, recall 75\.0%/);
    expect(out).toMatch(/\n\s+NONE\s+DROWSINESS\s+PHONE_USAGE\nNONE\s+2\s+0\s+1\nDROWSINESS\s+1\s+1\s+0\nPHONE_USAGE\s+0\s+0\s+2\n/);
    expect(out).toMatch(/latency p50 \d+ ms, p95 \d+ ms/);
    expect(out).toContain('cost per frame $0.000210, total $0.001470; a token-billed model answered 7 of 8 frames');
    expect(out).toMatch(/blocked\/001\.jpg: .*HTTP 400/);
  });

  it('--limit takes the first N images of each label', async () => {
    const { code, out } = await run([folder, '--json', '--limit', '1']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as EvalReport;
    expect(report.frames.map((f) => f.file)).toEqual(['blocked/001.jpg', 'drowsy/001.jpg', 'phone/001.jpg', 'safe/001.jpg']);
    expect(report.metrics.accuracy).toBe(1);
  });

  it('follows symbolic links to label folders and to images', async () => {
    const linked = await mkdtemp(join(tmpdir(), 'eval-vision-links-'));
    try {
      await symlink(join(folder, 'phone'), join(linked, 'phone'));
      await mkdir(join(linked, 'safe'));
      await symlink(join(folder, 'safe', '001.jpg'), join(linked, 'safe', '001.jpg'));
      await symlink(join(folder, 'safe', 'missing.jpg'), join(linked, 'safe', '002.jpg')); // dangling: skipped
      const { code, out } = await run([linked, '--json']);
      expect(code).toBe(0);
      expect((JSON.parse(out) as EvalReport).frames.map((f) => `${f.file}=${f.predicted}`)).toEqual(['phone/001.jpg=PHONE_USAGE', 'phone/002.jpg=PHONE_USAGE', 'safe/001.jpg=NONE']);
    } finally {
      await rm(linked, { recursive: true, force: true });
    }
  });

  it('refuses bad usage with exit code 2 and says what to do', async () => {
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringContaining('expected exactly one folder') });
    expect(await run([folder, '--analyser', 'psychic'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown analyser "psychic": choose one of cloud') });
    expect(await run([folder, '--limit', '0'])).toMatchObject({ code: 2, err: expect.stringContaining('--limit') });
    expect(await run([folder, '--bogus'])).toMatchObject({ code: 2 });
  });

  it('fails with exit code 1 on a folder without labelled images', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'eval-vision-empty-'));
    try {
      expect(await run([empty])).toMatchObject({ code: 1, err: expect.stringContaining('no labelled images') });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
