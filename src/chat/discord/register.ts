/**
 * Registers /aiwatch with Discord through discord.js's REST client: globally, or
 * in one guild (instant, handy while setting up). PUT replaces the application's
 * command list, so running it again is harmless.
 */
import { REST, Routes } from 'discord.js';
import { UserError } from '../../shared/errors.ts';
import { discordApiUrl } from '../api-url.ts';
import { AIWATCH_COMMAND } from './commands.ts';

export interface RegisterOptions {
  applicationId: string;
  botToken: string;
  /** Register in this guild only (takes effect at once) instead of globally. */
  guildId?: string;
  /** DISCORD_API_URL; Discord's own by default. */
  apiUrl?: string;
}

export async function registerCommands(
  options: RegisterOptions,
): Promise<{ route: string; names: string[] }> {
  const rest = new REST({ version: '10', api: discordApiUrl(options.apiUrl) }).setToken(options.botToken);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  try {
    const result = (await rest.put(route, { body: [AIWATCH_COMMAND] })) as { name: string }[];
    return { route, names: result.map((c) => c.name) };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const hint =
      status === 401
        ? 'DISCORD_BOT_TOKEN was refused'
        : status === 403 || status === 404
          ? 'check DISCORD_APPLICATION_ID (and that the bot is in the guild)'
          : (error as Error).message;
    throw new UserError(`registering the Discord commands failed: ${hint}`);
  }
}
