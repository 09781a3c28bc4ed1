import type { Command } from 'commander';
import { registerCommands } from '../../chat/discord/register.ts';
import { UsageError } from '../../shared/errors.ts';

export function registerRegisterCommands(program: Command): void {
  program
    .command('register-commands')
    .description(
      'register /aiwatch with Discord (DISCORD_APPLICATION_ID, DISCORD_BOT_TOKEN, DISCORD_API_URL)',
    )
    .option(
      '--guild <id>',
      'register in one guild only: takes effect at once (global commands can take a while)',
    )
    .action(async (options: { guild?: string }) => {
      const applicationId = process.env.DISCORD_APPLICATION_ID?.trim();
      const botToken = process.env.DISCORD_BOT_TOKEN?.trim();
      if (!applicationId || !botToken)
        throw new UsageError(
          'set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (from the Discord developer portal)',
        );
      const { names } = await registerCommands({
        applicationId,
        botToken,
        ...(options.guild ? { guildId: options.guild } : {}),
        ...(process.env.DISCORD_API_URL ? { apiUrl: process.env.DISCORD_API_URL } : {}),
      });
      process.stdout.write(
        `registered /${names.join(', /')} ${options.guild ? `in guild ${options.guild}` : 'globally'}\n`,
      );
    });
}
