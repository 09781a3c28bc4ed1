/**
 * The `aiwatch` command line: one module per command under commands/.
 *
 * Only the module of the command being run is imported: loading them all would
 * load discord.js, Bolt and BullMQ for every call (2 s before `--help` answered).
 * The top-level help lists each command with the summary below; `aiwatch <command>
 * --help` loads that command and shows its full options.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { UserError } from '../shared/errors.ts';
import { PACKAGE_ROOT } from '../shared/paths.ts';
import { COMMANDS, commandNamed } from './command-list.ts';

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}

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

async function main(args: string[]): Promise<void> {
  const program = new Command('aiwatch')
    .description(
      'Watches the news for Japanese sovereign-AI initiatives and reports them in Slack and Discord',
    )
    .version(version())
    .showHelpAfterError()
    .exitOverride();
  const name = commandNamed(args);
  for (const [other, { summary }] of Object.entries(COMMANDS)) {
    if (other === name) (await COMMANDS[other]!.load())(program);
    // A placeholder, enough for the list of commands: it is never run, since its name is not on the line.
    else program.command(other).summary(summary);
  }
  await program.parseAsync(args, { from: 'user' });
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = reportFailure(error);
}
