/** The `aiwatch` command line: one module per command under commands/. */
import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.ts';
import { registerEval } from './commands/eval.ts';
import { registerReplay } from './commands/replay.ts';
import { registerServe } from './commands/serve.ts';
import { registerRegisterCommands } from './commands/register-commands.ts';
import { registerReindex } from './commands/reindex.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEvents } from './commands/events.ts';
import { registerFeeds } from './commands/feeds.ts';
import { registerPoll } from './commands/poll.ts';
import { registerStart } from './commands/start.ts';
import { registerDigest } from './commands/digest.ts';
import { registerChannels } from './commands/channels.ts';

const program = new Command('aiwatch')
  .description('Watches the news for Japanese sovereign-AI initiatives and reports them in Slack and Discord')
  .showHelpAfterError()
  .exitOverride();

registerReplay(program);
registerEval(program);
registerServe(program);
registerRegisterCommands(program);
registerReindex(program);
registerDigest(program);
registerChannels(program);
registerStart(program);
registerPoll(program);
registerEvents(program);
registerFeeds(program);
registerDemo(program);

/** Errors a user can fix get one line; anything else is a bug and keeps its stack. */
export function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof UserError) {
    process.stderr.write(`aiwatch: ${error.message}\n`);
    return error.name === 'UsageError' ? 2 : 1;
  }
  process.stderr.write(
    `aiwatch: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}
