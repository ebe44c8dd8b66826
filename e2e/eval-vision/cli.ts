/** Entry of `npm run eval:vision`: see eval-command.ts for the arguments. */
import { analyserFactoriesFromEnv, defaultAnalyserName } from './analyser-factories.ts';
import { runEvalCommand } from './eval-command.ts';

process.exitCode = await runEvalCommand(process.argv.slice(2), {
  factories: analyserFactoriesFromEnv(process.env),
  defaultAnalyser: defaultAnalyserName(process.env),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
