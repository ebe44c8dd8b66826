/**
 * `npm run eval:vision -- <folder> [--train <labelled folder>] [--analyser offline|cloud|cascade] [--json] [--limit N] [--language es|en]`:
 * argument parsing and output, with the analysers injected so tests run it against a loopback server.
 */
import { parseArgs } from 'node:util';
import { formatReport } from './format-report.ts';
import { evaluateFolder, type AnalyserFactories } from './run-eval.ts';

export interface EvalCommandIo {
  factories: AnalyserFactories;
  defaultAnalyser: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `usage: npm run eval:vision -- <folder> [--train <labelled folder>] [--analyser offline|cloud|cascade] [--json] [--limit N] [--language es|en]

<folder> holds one sub-folder per label with .jpg files: safe/ (or none/), phone/, drowsy/, yawn/, distracted/,
accident/, no_driver/, blocked/; any other name is used as the incident type itself, upper-cased. A file name
<camera>__<name>.jpg says which camera took it (each camera learns its own baseline).
--train DIR    first learn each camera's baseline (from its safe frames) and the fleet model (from every frame) from
               DIR, laid out the same way; the report scores the local verdicts without and with what was learned
--limit N      at most N images per label folder (the first by file name)
--json         print one JSON object (metrics and per-frame results) instead of the text report
--language     language asked of the model for descriptions (default en)
cloud reads OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_VISION_MODEL, OPENAI_TIMEOUT_MS, OPENAI_MAX_RETRIES.
`;

/** Returns the process exit code: 0 evaluated, 2 bad usage, 1 the evaluation could not run. */
export async function runEvalCommand(argv: string[], io: EvalCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        analyser: { type: 'string' },
        train: { type: 'string' },
        json: { type: 'boolean', default: false },
        limit: { type: 'string' },
        language: { type: 'string', default: 'en' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`expected exactly one folder, got ${positionals.length}\n${USAGE}`);
    return 2;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    io.err(`--limit must be a whole number ≥ 1, got "${values.limit}"\n`);
    return 2;
  }
  if (values.language !== 'es' && values.language !== 'en') {
    io.err(`--language must be es or en, got "${values.language}"\n`);
    return 2;
  }
  const analyser = values.analyser ?? io.defaultAnalyser;
  if (!io.factories[analyser]) {
    io.err(`unknown analyser "${analyser}": choose one of ${Object.keys(io.factories).join(', ')}\n`);
    return 2;
  }

  try {
    const report = await evaluateFolder({
      folder: positionals[0]!,
      analyser,
      factories: io.factories,
      train: values.train,
      limit,
      language: values.language,
      onFrame: values.json ? undefined : (f, done, total) => io.err(`[${done}/${total}] ${f.file}: ${f.predicted ?? `failed (${f.error})`}\n`),
    });
    io.out(values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    return 0;
  } catch (error) {
    io.err(`eval:vision: ${(error as Error).message}\n`);
    return 1;
  }
}
