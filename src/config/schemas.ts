/** The shape of every file under config/, with defaults declared once here. */
import { z } from 'zod';
import { scheduleProblem } from './cron.ts';

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id like "sb-intuitions"');

export const entitySchema = z
  .object({
    id: kebab,
    name: z.string().min(1),
    kind: z.enum(['company', 'government', 'research', 'university', 'investor', 'place']),
    /** ISO 3166 alpha-2; JP marks a Japanese actor. */
    country: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code like "JP"'),
    /** An organisation whose news is about AI by nature (a model developer). */
    aiFocus: z.boolean().default(false),
    /** The organisation this one belongs to (METI → government-of-japan, SB Intuitions → softbank). */
    parent: kebab.optional(),
    aliases: z
      .object({
        en: z.array(z.string().min(1)).default([]),
        ja: z.array(z.string().min(1)).default([]),
        contextual: z.array(z.string().min(1)).default([]),
      })
      .strict(),
  })
  .strict();

export const entitiesFileSchema = z
  .object({ entities: z.array(entitySchema).min(1, 'expected at least one entity') })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.entities.forEach((entity, index) => {
      if (seen.has(entity.id))
        ctx.addIssue({
          code: 'custom',
          path: ['entities', index, 'id'],
          message: `duplicate id "${entity.id}"`,
        });
      seen.add(entity.id);
    });
    file.entities.forEach((entity, index) => {
      if (entity.parent && !seen.has(entity.parent))
        ctx.addIssue({
          code: 'custom',
          path: ['entities', index, 'parent'],
          message: `unknown entity "${entity.parent}"`,
        });
    });
  });

const termList = z.array(z.string().min(1));

/** Lexicon families the classifier reads; each term is a phrase in either script. */
export const lexiconFileSchema = z
  .object({
    ai: z.object({ strong: termList, weak: termList }).strict(),
    japan: z.object({ place: termList, domestic: termList, language: termList }).strict(),
    foreign: termList,
    invest: termList,
    build: termList,
    negative: z.object({ survey: termList, earnings: termList, availability: termList }).strict(),
    dependence: z
      .object({ use: termList, own: termList, supply: termList })
      .strict()
      .default({ use: [], own: [], supply: [] }),
    /** Bilingual topics (law, subsidy, supercomputer…) that let reports in two languages meet. */
    concepts: z.record(kebab, termList).default({}),
    weights: z
      .object({
        title: z.number().positive().default(2),
        bodyCap: z.number().positive().default(6),
        threshold: z.number().default(3.5),
      })
      .strict()
      .default({}),
  })
  .strict();

export const outletsFileSchema = z.object({ japanese: z.array(z.string().min(1)).default([]) }).strict();

export const feedSchema = z
  .object({
    url: z.string().url(),
    name: z.string().min(1),
    lang: z.enum(['en', 'ja']),
    intervalMinutes: z.number().int().positive().optional(),
    /** A headline-only feed: read each new item's linked article for its lead (robots.txt honoured). */
    fetchArticle: z.boolean().optional(),
  })
  .strict();

export const feedsFileSchema = z
  .object({
    defaults: z
      .object({ intervalMinutes: z.number().int().positive().default(10) })
      .strict()
      .default({}),
    feeds: z.array(feedSchema),
  })
  .strict();

/** "slack:C0123" or "discord:123456789": the one spelling of a channel everywhere. */
export const CHANNEL_ID = /^(slack|discord):([A-Za-z0-9_-]+)$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const channelSchema = z
  .object({
    id: z.string().regex(CHANNEL_ID, 'expected "slack:<channel>" or "discord:<channel>"'),
    // Whose channel it is: commands from any other workspace are refused, and nothing is claimed by first use.
    workspace: z
      .string({
        required_error:
          'required: add `workspace:` with the Slack team id (T0123…) or Discord server (guild) id the channel belongs to',
      })
      .regex(/^[A-Za-z0-9_-]+$/, 'expected a Slack team id (T0123…) or a Discord guild id'),
    schedule: z.string().min(1).default('0 9 * * *'),
    timezone: z
      .string()
      .refine(isTimeZone, 'expected an IANA time zone like "Asia/Tokyo"')
      .default('Asia/Tokyo'),
    language: z.enum(['en', 'ja']).default('en'),
    subscriptions: z.array(z.string().min(1)).default([]),
    nothingNewMessage: z.boolean().default(false),
    operations: z.boolean().default(false),
  })
  .strict()
  .superRefine((channel, ctx) => {
    const problem = scheduleProblem(channel.schedule, channel.timezone);
    // The channel is named: the path alone (channels[3]) makes the reader count entries.
    if (problem) ctx.addIssue({ code: 'custom', path: ['schedule'], message: `${channel.id}: ${problem}` });
  });

export const channelsFileSchema = z
  .object({
    channels: z.array(channelSchema).default([]),
    /** Who may subscribe/unsubscribe: anyone, or the listed user ids. */
    admins: z.union([z.literal('anyone'), z.array(z.string())]).default('anyone'),
  })
  .strict();

export const settingsFileSchema = z
  .object({
    dedupe: z
      .object({
        /** Days an event stays a candidate for new items. */
        windowDays: z.number().positive().default(7),
        threshold: z.number().positive().default(2.5),
        /** Most recent events read per index key. */
        perKey: z.number().int().positive().default(30),
        /** Events scored per item: those found under the most keys. */
        maxCandidates: z.number().int().positive().default(5),
      })
      .strict()
      .default({}),
    worker: z
      .object({
        concurrency: z.number().int().positive().default(8),
        fetchTimeoutMs: z.number().int().positive().default(15000),
        connectTimeoutMs: z.number().int().positive().default(5000),
        maxFeedBytes: z
          .number()
          .int()
          .positive()
          .default(5 * 1024 * 1024),
        maxRedirects: z.number().int().min(0).default(5),
        feedFailureAlertHours: z.number().positive().default(24),
        /** Entries taken from one feed document, newest first; the rest are dropped (and logged). */
        maxItemsPerPoll: z.number().int().positive().default(500),
        /** A job whose worker stops renewing its lock this long is taken over (crash recovery). */
        lockDurationMs: z.number().int().positive().default(30000),
        /** How often workers look for jobs left behind by a crashed worker. */
        stalledIntervalMs: z.number().int().positive().default(30000),
        /** Pause between two article requests to one host (feeds with fetchArticle). */
        articleDelayMs: z.number().int().min(0).default(1000),
      })
      .strict()
      .default({}),
    digest: z
      .object({
        /** Items older than this are stored but never alerted or digested as new. */
        maxAgeDays: z.number().positive().default(3),
        maxEvents: z.number().int().positive().default(20),
      })
      .strict()
      .default({}),
    server: z
      .object({
        port: z.number().int().positive().default(3000),
        /** Request bodies over this many bytes get 413 before they are read (Slack's and Discord's are a few KB). */
        maxBodyBytes: z.number().int().positive().default(65536),
      })
      .strict()
      .default({}),
    retention: z
      .object({
        /** Irrelevant items, with their URL/GUID markers, are kept this many days after first seen; null: for good. */
        irrelevantItemsDays: z.number().positive().nullable().default(30),
        /** Events and their articles are kept this many days after their last update; null: for good. */
        eventsDays: z.number().positive().nullable().default(null),
      })
      .strict()
      .default({}),
    /** The optional model (AIWATCH_LLM_URL, AIWATCH_LLM_MODEL): how much it may be asked and waited for. */
    llm: z
      .object({
        /** Calls per hour across every process; over it, posts use the articles' own headlines. */
        maxCallsPerHour: z.number().int().min(0).default(120),
        /** No digest or alert waits longer than this for the model (each call and each batch). */
        timeoutMs: z.number().int().positive().default(20000),
        /** Calls in flight at once. */
        concurrency: z.number().int().positive().max(16).default(4),
      })
      .strict()
      .default({}),
  })
  .strict();

export type EntityConfig = z.output<typeof entitySchema>;
export type LexiconConfig = z.output<typeof lexiconFileSchema>;
export type OutletsConfig = z.output<typeof outletsFileSchema>;
export type FeedConfig = z.output<typeof feedSchema>;
export type FeedsConfig = z.output<typeof feedsFileSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
export type ChannelsConfig = z.output<typeof channelsFileSchema>;
export type Settings = z.output<typeof settingsFileSchema>;
