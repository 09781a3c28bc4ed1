/**
 * The message catalogue: every word a channel reads, one typed object per language (en.ts,
 * ja.ts). Formatters and command answers take their text from here, never from literals of
 * their own, so a Japanese channel reads Japanese everywhere and a missing translation is a
 * type error. Plain text only: the platform formatters escape what they insert.
 */
import type { Lang } from '../types.ts';
import { en } from './en.ts';
import { ja } from './ja.ts';

export type EntryKindName = 'new' | 'update' | 'alert';

/** A parse problem, kept as data until the channel's language is known. */
export type Problem =
  | { code: 'no-command'; word: string }
  | { code: 'latest-range'; arg: string; max: number }
  | { code: 'search-needs-words' }
  | { code: 'company-needs-name' }
  | { code: 'event-needs-id' }
  | { code: 'needs-company'; verb: 'subscribe' | 'unsubscribe' };

export type SearchProblem = 'empty' | 'too-common' | 'too-short';

export interface Messages {
  lang: Lang;
  /** Each language as this language names it ("Japanese" / "日本語"). */
  languageName: Record<Lang, string>;
  /** The classifier's reason labels ("Japanese actors: SoftBank") as this language says them. */
  reasonLabels: Readonly<Record<string, string>>;
  /** The product's name as the channel reads it. */
  title: string;
  digest: {
    /** "New", "Update", "Alert": the entry's label in Slack and Discord. */
    kind: Record<EntryKindName, string>;
    /** "[NEW]" in plain text. */
    tag: Record<EntryKindName, string>;
    heading(channelId: string): string;
    /** The plain-text digest's first line. */
    headingLine(heading: string, counts: string, window: string): string;
    counts(created: number, updated: number): string;
    lastDays(days: number): string;
    since(time: string): string;
    nothingNew(window: string): string;
    intro(window: string): string;
    omitted(n: number): string;
    /** Between a label and its text: ": " / "：". */
    colon: string;
    /** "Japan AI watch: 2 new" / "日本AIウォッチ：新着 2件": a title and what follows it. */
    titled(title: string, rest: string): string;
    /** " (2/3)" after a digest split into several messages (with its leading space, if any). */
    part(index: number, of: number): string;
    outlets(n: number, langs: readonly Lang[]): string;
    /** "3 outlets" */
    outletCount(n: number): string;
    newSources(n: number): string;
    /** The channel's language first, the other named in its own language: "日本語記事 3件 · English 2". */
    articles(counts: readonly { lang: Lang; count: number }[]): string;
    /** "SoftBank, NEC +3 more" */
    companyList(names: readonly string[], more: number): string;
    companies: string;
    /** Inline, after the outlets: "first seen 2026-04-15 11:00 JST". */
    firstSeen(time: string): string;
    /** As a line of its own (Discord). */
    firstSeenLine(time: string): string;
    why: string;
    /** Label of the model-written summary, so a reader knows a machine wrote it. */
    summary: string;
    /** Label of the article's own headline under a model-written one. */
    original: string;
    alertTitle: string;
    /** "Japan AI watch alert (SoftBank)" */
    about(title: string, about: string): string;
    alertFor(channelId: string): string;
    subscribedTo(about: string): string;
  };
  commands: CommandMessages;
  /** The operations channel's one-line report of a feed failing too long. */
  feedDown(name: string, url: string, since: string, error: string): string;
}

/** The /aiwatch definition registered with Discord (at most 100 characters each). */
export interface DiscordCommandTexts {
  description: string;
  subcommands: Record<
    | 'latest'
    | 'search'
    | 'company'
    | 'event'
    | 'subscribe'
    | 'unsubscribe'
    | 'subscriptions'
    | 'digest'
    | 'help',
    string
  >;
  options: {
    n(max: number): string;
    text: string;
    name: string;
    id: string;
    follow: string;
    unfollow: string;
  };
}

export interface CommandMessages {
  discord: DiscordCommandTexts;
  helpTitle: string;
  usage: Record<
    | 'latest'
    | 'search'
    | 'company'
    | 'event'
    | 'subscribe'
    | 'unsubscribe'
    | 'subscriptions'
    | 'digest'
    | 'help',
    string
  >;
  notUnderstood: string;
  problem(problem: Problem): string;
  didYouMean(verb: string): string;
  foreignTitle: string;
  foreign: string;
  notAllowedTitle: string;
  notAllowed: string;
  following(name: string): { title: string; line: string };
  alreadyFollowing(name: string): { title: string; line: string };
  stopped(name: string): { title: string; line: string };
  notFollowing(name: string): { title: string; line: string };
  followsList(names: readonly string[]): string;
  followsNone: string;
  subscriptionsTitle: string;
  noSubscriptions: string;
  subscriptionsLine(names: readonly string[]): string;
  digestTitle: string;
  digestNotSetUp: string;
  digestNothingNew: string;
  failureTitle: string;
  failure: string;
  unavailable: string;
  latestTitle: string;
  latestN(n: number): string;
  noMoreEvents: string;
  noEventsYet: string;
  range(from: number, to: number, total: number | null, atLeast: boolean): string;
  searchTitle(text: string): string;
  searchProblem: Record<SearchProblem, string>;
  noMoreMatches: string;
  nothingMatches(text: string): string;
  noEventsAbout(name: string): string;
  unknownCompanyTitle: string;
  noCompanyCalled(name: string): string;
  closest(names: readonly string[]): string;
  unknownEventTitle: string;
  noEventWithId(id: string): string;
  eventFooter(id: string, range: string): string;
  noArticles: string;
  /** "3 outlets · English, Japanese" */
  coverage(outlets: number, langs: readonly Lang[]): string;
  open: string;
  firstSeen: string;
  latestArticle: string;
  outlets(n: number): string;
  languages: string;
  companies: string;
  noneNamed: string;
  whyRelevant: string;
  articles(n: number): string;
  previous: string;
  next: string;
  page(page: number, pages: number | null): string;
}

const CATALOGUE: Record<Lang, Messages> = { en, ja };

export function messages(lang: Lang): Messages {
  return CATALOGUE[lang];
}

/** Each language named in itself, for the article counts a reader of that language scans for. */
export const SELF_NAME: Record<Lang, string> = { en: 'English', ja: '日本語' };
