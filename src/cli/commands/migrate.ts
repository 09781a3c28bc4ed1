import type { Command } from 'commander';
import { UserError } from '../../shared/errors.ts';
import { quitRedis } from '../../shared/lifecycle.ts';
import { isCluster } from '../../redis/client.ts';
import { DEFAULT_PREFIX } from '../context.ts';
import { migrateLayout, movedCount, type MigrationReport } from '../migrate-layout.ts';

interface MigrateOptions {
  dryRun?: boolean;
  dropOldQueues?: boolean;
  json?: boolean;
}

export function formatReport(report: MigrationReport, prefix: string): string {
  const verb = report.dryRun ? 'would move' : 'moved';
  const families = Object.entries(report.moved).sort(([a], [b]) => a.localeCompare(b));
  const lines = [
    `${prefix}: ${verb} ${movedCount(report)} keys of the previous layout to the hash-tagged one` +
      (report.dryRun ? ' (dry run: nothing written)' : ''),
    ...families.map(([family, count]) => `  ${family.padEnd(18)} ${count}`),
    ...(report.merged.length
      ? [`  ${report.merged.length} sets merged into a new key that existed already`]
      : []),
    ...(report.rewritten
      ? [
          `  ${report.rewritten} delivery records ${report.dryRun ? 'to rewrite' : 'rewritten'} (their effects' keys)`,
        ]
      : []),
    ...report.conflicts.map((c) => `  conflict, left in place: ${c.old} (${c.new} exists)`),
    ...(report.oldQueueKeys
      ? [
          report.oldQueueKeysRemoved
            ? `  ${report.oldQueueKeysRemoved} BullMQ keys of the previous version removed`
            : `  ${report.oldQueueKeys} BullMQ keys of the previous version left (not moved; --drop-old-queues removes them)`,
        ]
      : []),
    ...(report.unknown.count
      ? [`  ${report.unknown.count} keys of no known family left, e.g. ${report.unknown.examples.join(', ')}`]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(
      'move the Redis keys of the previous version to the hash-tagged layout (start, serve and poll do it too); safe to repeat (REDIS_URL, AIWATCH_PREFIX)',
    )
    .option('--dry-run', 'print what would move; write nothing')
    .option('--drop-old-queues', "remove the previous version's BullMQ keys (their jobs are not moved)")
    .option('--json', 'print the report as one JSON object')
    .action(async (options: MigrateOptions) => {
      const { connectRedis } = await import('../../redis/connect.ts');
      const redis = await connectRedis();
      try {
        if (isCluster(redis))
          throw new UserError(
            'nothing to migrate on a Redis Cluster: the previous key layout ran on one Redis only',
          );
        const report = await migrateLayout(redis, DEFAULT_PREFIX, {
          dryRun: options.dryRun === true,
          dropOldQueues: options.dropOldQueues === true,
        });
        process.stdout.write(
          options.json ? `${JSON.stringify(report)}\n` : formatReport(report, DEFAULT_PREFIX),
        );
      } finally {
        await quitRedis(redis);
      }
    });
}
