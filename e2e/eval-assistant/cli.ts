/** Entry of `npm run eval:assistant`: see eval-command.ts for the arguments. */
import { loadConfig } from '../../edge/config.ts';
import { chatModelFromConfig } from '../../edge/runtime/chat-model-from-config.ts';
import { runEvalCommand } from './eval-command.ts';

process.exitCode = await runEvalCommand(process.argv.slice(2), {
  chatModel: () => chatModelFromConfig(loadConfig({ ...process.env, ASSISTANT_ENGINE: 'auto' })) ?? null,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
