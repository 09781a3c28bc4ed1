import type { Command } from 'commander';
import { CHANNEL_DEFAULTS, parseChannelId, withConfigChannels } from '../../channels/registry.ts';
import { UsageError, UserError } from '../../shared/errors.ts';
import { loadApp, withApp } from '../context.ts';

/** The chat clients load only when this command runs, not for every other command. */
const notify = async () => ({
  ...(await import('../../notify/digest-run.ts')),
  ...(await import('../../notify/service.ts')),
});

const PLATFORM_NAME = { slack: 'Slack', discord: 'Discord' } as const;

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description(
      "post a channel's digest now (to the console when the platform has no token); REDIS_URL, AIWATCH_PREFIX",
    )
    .requiredOption(
      '--channel <id>',
      'slack:<channel id> or discord:<channel id>; added with defaults if new',
    )
    .option('--dry-run', 'print the digest the channel would get now; post and mark nothing')
    .option('--config <dir>', 'config directory')
    .action(async (options: { channel: string; dryRun?: boolean; config?: string }) => {
      const parsed = parseChannelId(options.channel);
      if (!parsed)
        throw new UsageError(
          `--channel expects slack:<channel id> or discord:<channel id>, not "${options.channel}"`,
        );
      const { config, core } = loadApp(options.config);
      const { createNotifyDeps, previewDigest, runDigest, seedChannels } = await notify();
      await withApp({ app: { config, core } }, async (app) => {
        const deps = await createNotifyDeps(app);
        if (options.dryRun) {
          // A dry run changes nothing: the channel as config would make it, or with the default settings.
          const registered = await deps.registry.get(options.channel);
          const channel = withConfigChannels(
            registered ? [registered] : [],
            config.channels.channels.filter((c) => c.id === options.channel),
            (name) => core.registry.resolve(name)?.id,
          )[0] ?? { id: options.channel, ...parsed, ...CHANNEL_DEFAULTS, subscriptions: [] };
          process.stdout.write(await previewDigest(channel, deps));
          return;
        }
        await seedChannels(deps, config, core);
        let channel = await deps.registry.get(options.channel);
        if (!channel) {
          channel = await deps.registry.ensure(options.channel);
          process.stderr.write(
            `aiwatch: ${options.channel} was not registered: added with default settings\n`,
          );
        }
        const poster = deps.posters[channel.platform];
        const via = poster.kind === 'console' ? 'the console (no token)' : PLATFORM_NAME[channel.platform];
        const outcome = await runDigest(channel, deps);
        switch (outcome.status) {
          case 'sent': {
            const events = outcome.digest.entries.length;
            process.stderr.write(
              `aiwatch: digest of ${channel.id} posted to ${via}: ${events ? `${events} event${events === 1 ? '' : 's'}` : '"nothing new"'} in ${outcome.messages} message${outcome.messages === 1 ? '' : 's'}\n`,
            );
            return;
          }
          case 'nothing-new':
            process.stderr.write(`aiwatch: nothing new for ${channel.id}: nothing posted\n`);
            return;
          case 'already-sent':
            process.stderr.write(`aiwatch: this digest of ${channel.id} was already posted\n`);
            return;
          case 'in-progress':
            throw new UserError(`another worker is posting the digest of ${channel.id} right now`);
          case 'failed':
            throw new UserError(
              `digest of ${channel.id} not posted: ${outcome.error.message}${outcome.error.permanent ? ' (channel marked unhealthy)' : ' (temporary: run again later)'}`,
            );
        }
      });
    });
}
