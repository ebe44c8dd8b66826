/**
 * `npm run eval:assistant -- [--engine offline|model] [--json] [--set dev|heldout|heldout2|all]`: argument parsing and
 * output, with the model injected so tests run it against a loopback server.
 */
import { parseArgs } from 'node:util';
import type { ChatModel } from '../../edge/ports/chat-model.ts';
import { formatReport } from './format-report.ts';
import { QUESTION_SETS, runAssistantEval } from './run-eval.ts';

export interface EvalCommandIo {
  /** The model for --engine model, or null when none is configured. */
  chatModel: () => ChatModel | null;
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `usage: npm run eval:assistant -- [--engine offline|model] [--json] [--set dev|heldout|heldout2|all]

Seeds two fleets on the embedded database, asks every question of the set(s) as fleet A's owner through
POST /api/v1/chat/message, and checks each answer against the truth computed from the database by separate SQL.
--engine offline   the offline parser only (default)
--engine model     the model engine (offline parser first), with OPENAI_API_KEY or OPENAI_BASE_URL, OPENAI_CHAT_MODEL
--set              dev, heldout, heldout2 or all (default all)
--json             one JSON object (summaries and every answer) instead of the text report
`;

/** Returns the process exit code: 0 evaluated, 2 bad usage, 1 the evaluation could not run. */
export async function runEvalCommand(argv: string[], io: EvalCommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { engine: { type: 'string', default: 'offline' }, set: { type: 'string', default: 'all' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.engine !== 'offline' && values.engine !== 'model') {
    io.err(`--engine must be offline or model, got "${values.engine}"\n`);
    return 2;
  }
  const sets = values.set === 'all' ? Object.keys(QUESTION_SETS) : [values.set!];
  if (!sets.every((s) => QUESTION_SETS[s])) {
    io.err(`--set must be dev, heldout, heldout2 or all, got "${values.set}"\n`);
    return 2;
  }
  const chatModel = values.engine === 'model' ? io.chatModel() : null;
  if (values.engine === 'model' && !chatModel) {
    io.err('--engine model needs a model: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server)\n');
    return 2;
  }
  try {
    const report = await runAssistantEval({
      engine: values.engine,
      chatModel: chatModel ?? undefined,
      sets,
      onQuestion: values.json ? undefined : (r, done, total) => io.err(`[${done}/${total}] ${r.correct ? 'ok  ' : 'MISS'} ${r.question}\n`),
    });
    io.out(values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    return 0;
  } catch (error) {
    io.err(`eval:assistant: ${(error as Error).message}\n`);
    return 1;
  }
}
