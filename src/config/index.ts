/** Loads and validates every config file of a directory once, at start-up. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { PACKAGE_ROOT } from '../shared/paths.ts';
import { ConfigError, loadConfigFile } from './load.ts';
import {
  channelsFileSchema,
  entitiesFileSchema,
  feedsFileSchema,
  lexiconFileSchema,
  outletsFileSchema,
  settingsFileSchema,
  type ChannelsConfig,
  type EntityConfig,
  type FeedsConfig,
  type LexiconConfig,
  type OutletsConfig,
  type Settings,
} from './schemas.ts';

export interface AppConfig {
  dir: string;
  entities: EntityConfig[];
  lexicon: LexiconConfig;
  outlets: OutletsConfig;
  feeds: FeedsConfig;
  channels: ChannelsConfig;
  settings: Settings;
}

export const DEFAULT_CONFIG_DIR = join(PACKAGE_ROOT, 'config');

export function loadConfig(dir: string = process.env.AIWATCH_CONFIG ?? DEFAULT_CONFIG_DIR): AppConfig {
  if (!existsSync(dir)) throw new ConfigError(`${dir}: config directory not found`);
  // Every file is read and every problem reported at once, one line per file.
  const problems: string[] = [];
  function file<S extends z.ZodTypeAny>(name: string, schema: S, missing?: z.output<S>): z.output<S> {
    const path = join(dir, name);
    if (missing !== undefined && !existsSync(path)) return missing;
    try {
      return loadConfigFile(path, schema);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      // Never used: the problems are thrown below before the config is returned.
      return undefined as z.output<S>;
    }
  }
  const config: AppConfig = {
    dir,
    entities: file('entities.yaml', entitiesFileSchema)?.entities,
    lexicon: file('lexicon.yaml', lexiconFileSchema),
    outlets: file('outlets.yaml', outletsFileSchema, { japanese: [] }),
    feeds: file('feeds.yaml', feedsFileSchema, { defaults: { intervalMinutes: 10 }, feeds: [] }),
    channels: file('channels.yaml', channelsFileSchema, { channels: [], admins: 'anyone' }),
    settings: file('settings.yaml', settingsFileSchema, settingsFileSchema.parse({})),
  };
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return Object.freeze(config);
}

export { ConfigError } from './load.ts';
export type * from './schemas.ts';
