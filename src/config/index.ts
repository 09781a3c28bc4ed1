/** Loads and validates every config file of a directory once, at start-up. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

export const DEFAULT_CONFIG_DIR = resolve(import.meta.dirname, '..', '..', 'config');

function optional<T>(file: string, load: (file: string) => T, fallback: T): T {
  return existsSync(file) ? load(file) : fallback;
}

export function loadConfig(dir: string = process.env.AIWATCH_CONFIG ?? DEFAULT_CONFIG_DIR): AppConfig {
  if (!existsSync(dir)) throw new ConfigError(`${dir}: config directory not found`);
  const config: AppConfig = {
    dir,
    entities: loadConfigFile(join(dir, 'entities.yaml'), entitiesFileSchema).entities,
    lexicon: loadConfigFile(join(dir, 'lexicon.yaml'), lexiconFileSchema),
    outlets: optional(join(dir, 'outlets.yaml'), (f) => loadConfigFile(f, outletsFileSchema), {
      japanese: [],
    }),
    feeds: optional(join(dir, 'feeds.yaml'), (f) => loadConfigFile(f, feedsFileSchema), {
      defaults: { intervalMinutes: 10 },
      feeds: [],
    }),
    channels: optional(join(dir, 'channels.yaml'), (f) => loadConfigFile(f, channelsFileSchema), {
      channels: [],
      admins: 'anyone',
    }),
    settings: optional(
      join(dir, 'settings.yaml'),
      (f) => loadConfigFile(f, settingsFileSchema),
      settingsFileSchema.parse({}),
    ),
  };
  return Object.freeze(config);
}

export { ConfigError } from './load.ts';
export type * from './schemas.ts';
