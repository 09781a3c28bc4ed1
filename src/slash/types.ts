/**
 * The command core's vocabulary: what a user asked (Command), who asked where
 * (Invocation), and the platform-neutral answer (Answer) that the Slack and
 * Discord adapters render. Every string in an Answer is plain text: adapters
 * escape all of it, so nothing a user or a feed wrote can become markup or a mention.
 */
import type { ChannelRegistry, Platform } from '../channels/registry.ts';
import type { Channel } from '../channels/registry.ts';
import type { Digest } from '../core/digest.ts';
import type { EntityRegistry } from '../core/entities.ts';
import type { Problem } from '../core/i18n/messages.ts';
import type { Lang } from '../core/types.ts';
import type { SearchIndex } from '../search/index.ts';
import type { EventStore } from '../store/types.ts';

export const VERBS = [
  'latest',
  'search',
  'company',
  'event',
  'subscribe',
  'unsubscribe',
  'subscriptions',
  'digest',
  'help',
] as const;
export type Verb = (typeof VERBS)[number];

export type Command =
  | { verb: 'latest'; n: number; page: number }
  | { verb: 'search'; text: string; page: number }
  | { verb: 'company'; name: string; page: number }
  | { verb: 'event'; id: string; page: number }
  | { verb: 'subscribe' | 'unsubscribe'; company: string }
  | { verb: 'subscriptions' | 'digest' | 'help' }
  /** Input the parser could not make sense of: answered with what went wrong and the usage. */
  | { verb: 'invalid'; problem: Problem; suggestion?: Verb };

export interface Invocation {
  platform: Platform;
  /** The platform's own channel id (C0123…, or a Discord snowflake). */
  channelId: string;
  /** Slack team id, Discord guild id, or "dm:<user>" for a direct message. */
  workspace: string;
  userId: string;
}

export interface EventLine {
  id: string;
  title: string;
  /** Latest article's publication time, formatted in the channel's time zone. */
  when: string;
  /** The same time as ISO, for platforms that show dates in each reader's zone. */
  at: string;
  outlets: string[];
  langs: Lang[];
  companies: string[];
  /** The earliest article, to click through. */
  link: { url: string; outlet: string } | null;
  /** The event's page in the web archive (PUBLIC_URL set). */
  page?: string;
}

export interface Article {
  title: string;
  url: string;
  outlet: string;
  lang: Lang;
  when: string;
  at: string;
}

export interface EventDetail {
  id: string;
  /** The event's page in the web archive (PUBLIC_URL set). */
  page?: string;
  title: string;
  /** The headline in the other language, when there is one. */
  otherTitle?: string;
  firstSeen: string;
  lastSeen: string;
  firstSeenAt: string;
  lastSeenAt: string;
  outlets: string[];
  langs: Lang[];
  companies: string[];
  reasons: string[];
  /** This page's articles, earliest first. */
  articles: Article[];
  articleCount: number;
}

export interface Pager {
  page: number;
  /** Unknown when only "there is more" is known. */
  pages: number | null;
  /** Opaque tokens for the previous and next page buttons (see tokens.ts). */
  prev?: string;
  next?: string;
}

export interface Answer {
  /** The channel's language: the adapters label everything around the answer in it. */
  lang: Lang;
  /** Query answers are seen by the asker only; subscription changes and digests by the channel. */
  visibility: 'ephemeral' | 'channel';
  tone: 'info' | 'ok' | 'warn' | 'error';
  title: string;
  lines: string[];
  usage?: { syntax: string; text: string }[];
  events?: EventLine[];
  detail?: EventDetail;
  footer?: string;
  pager?: Pager;
  /** A digest built by the digest module, rendered by its own formatters. */
  digest?: Digest;
}

/** Builds this channel's digest now (the digest module's function, when wired); null when nothing is new. */
export type DigestNow = (channel: Channel) => Promise<Digest | null>;

export interface CommandDeps {
  store: EventStore;
  search: SearchIndex;
  channels: ChannelRegistry;
  entities: EntityRegistry;
  /** config/channels.yaml `admins`: who may change subscriptions. */
  admins: 'anyone' | readonly string[];
  digestNow?: DigestNow;
  /** False while the store is unreachable (Redis down): commands answer "temporarily unavailable" at once. */
  available?: () => boolean;
  /** How long a command may take before it answers "temporarily unavailable" (run.ts COMMAND_TIMEOUT_MS). */
  timeoutMs?: number;
  /**
   * Each channel's language as last read, so "temporarily unavailable" (when the registry
   * itself cannot be read) is still said in the channel's language. Filled by execute().
   */
  languages?: Map<string, Lang>;
}

export const PAGE_SIZE = 10;
export const MAX_LATEST = 100;
