/** English: the wording the service always had, with times in JST rather than GMT+9. */
import type { Lang } from '../types.ts';
import type { Messages, Problem } from './messages.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const NAMES: Record<Lang, string> = { en: 'English', ja: 'Japanese' };
const SELF: Record<Lang, string> = { en: 'English', ja: '日本語' };

function problem(p: Problem): string {
  switch (p.code) {
    case 'no-command':
      return `There is no command “${p.word}”.`;
    case 'latest-range':
      return `latest takes a number from 1 to ${p.max}, not “${p.arg}”.`;
    case 'search-needs-words':
      return 'search needs some words, in English or Japanese.';
    case 'company-needs-name':
      return 'company needs a name.';
    case 'event-needs-id':
      return 'event needs an event id.';
    case 'needs-company':
      return `${p.verb} needs a company name.`;
  }
}

export const en: Messages = {
  lang: 'en',
  languageName: NAMES,
  reasonLabels: {},
  title: 'Japan AI watch',
  digest: {
    kind: { new: 'New', update: 'Update', alert: 'Alert' },
    tag: { new: '[NEW]', update: '[UPDATE]', alert: '[ALERT]' },
    heading: (channelId) => `Japan AI watch for ${channelId}`,
    headingLine: (heading, counts, window) => `${heading}: ${counts} (${window})`,
    counts: (created, updated) =>
      [created ? `${created} new` : '', updated ? `${updated} updated` : ''].filter(Boolean).join(', '),
    lastDays: (days) => `in the last ${plural(days, 'day')}`,
    since: (time) => `since ${time}`,
    nothingNew: (window) => `nothing new ${window}.`,
    intro: (window) => `Events first seen or updated ${window}, most important first.`,
    omitted: (n) => `…and ${plural(n, 'more event', 'more events')} not shown.`,
    colon: ': ',
    titled: (title, rest) => `${title}: ${rest}`,
    part: (index, of) => ` (${index}/${of})`,
    outlets: (n, langs) => `${plural(n, 'outlet')} (${langs.map((l) => NAMES[l]).join(', ')})`,
    outletCount: (n) => plural(n, 'outlet'),
    newSources: (n) => `+${n} since the last digest`,
    articles: (counts) =>
      counts
        .map(({ lang, count }, i) =>
          i === 0
            ? `${plural(count, `${NAMES[lang]} article`)}`
            : `${SELF[lang]} ${count}${lang === 'ja' ? '件' : ''}`,
        )
        .join(' · '),
    companyList: (names, more) => names.join(', ') + (more ? ` +${more} more` : ''),
    companies: 'Companies',
    firstSeen: (time) => `first seen ${time}`,
    firstSeenLine: (time) => `First seen ${time}`,
    why: 'Why',
    summary: 'Summary (machine-written)',
    original: 'Original',
    alertTitle: 'Japan AI watch alert',
    about: (title, about) => `${title} (${about})`,
    alertFor: (channelId) => `Japan AI watch alert for ${channelId}`,
    subscribedTo: (about) => `you subscribe to ${about}.`,
  },
  feedDown: (name, url, since, error) => `Feed ${name} (${url}) has been failing since ${since}: ${error}`,
  commands: {
    discord: {
      description: 'Japanese sovereign-AI news: latest events, search, companies, alerts',
      subcommands: {
        latest: 'The newest events',
        search: 'Events whose headlines contain every word (English or Japanese)',
        company: 'Events of one company (any name, either script)',
        event: 'One event with all its articles and why it is relevant',
        subscribe: 'Alert this channel as soon as a company has news',
        unsubscribe: 'Stop the alerts for a company',
        subscriptions: 'The companies this channel follows',
        digest: "This channel's digest, now",
        help: 'What /aiwatch can do',
      },
      options: {
        n: (max) => `How many (1–${max}, default 10)`,
        text: 'Words, e.g. 生成AI or sovereign AI',
        name: 'SoftBank, ソフトバンク, MHI, 三菱重工…',
        id: 'Event id, e.g. e-1a2b3c4d5e6f',
        follow: 'The company to follow',
        unfollow: 'The company to stop following',
      },
    },
    helpTitle: '/aiwatch: Japanese sovereign-AI news',
    usage: {
      latest: 'the newest events (n up to 100, 10 by default)',
      search: 'events whose headlines contain every word, English or Japanese: 生成AI, sovereign AI',
      company: 'events of one company, by any name in either script: SoftBank, ソフトバンク, MHI, 三菱重工',
      event: 'one event with all its articles, outlets, languages and why it is relevant',
      subscribe: 'alert this channel as soon as that company has news',
      unsubscribe: 'stop those alerts',
      subscriptions: 'the companies this channel follows',
      digest: "this channel's digest, now",
      help: 'this list',
    },
    notUnderstood: 'Not understood',
    problem,
    didYouMean: (verb) => `Did you mean “${verb}”?`,
    foreignTitle: 'Not available here',
    foreign:
      'This channel is registered to another workspace, so its subscriptions cannot be read or changed from here.',
    notAllowedTitle: 'Not allowed',
    notAllowed: 'Only the admins listed in config/channels.yaml can change what this channel follows.',
    following: (name) => ({
      title: `Following ${name}`,
      line: `This channel now gets an alert as soon as ${name} has news.`,
    }),
    alreadyFollowing: (name) => ({
      title: `Already following ${name}`,
      line: `This channel already follows ${name}.`,
    }),
    stopped: (name) => ({
      title: `Stopped following ${name}`,
      line: `This channel no longer gets alerts for ${name}.`,
    }),
    notFollowing: (name) => ({
      title: `Not following ${name}`,
      line: `This channel does not follow ${name}, so there was nothing to stop.`,
    }),
    followsList: (names) => `It follows: ${names.join(', ')}.`,
    followsNone: 'It follows no company.',
    subscriptionsTitle: 'Subscriptions',
    noSubscriptions: 'This channel follows no company. Add one with “subscribe <company>”.',
    subscriptionsLine: (names) =>
      `This channel follows ${names.length === 1 ? 'one company' : `${names.length} companies`}: ${names.join(', ')}.`,
    digestTitle: 'Digest',
    digestNotSetUp: 'Digests are not set up on this server yet.',
    digestNothingNew: 'Nothing new for this channel since its last digest.',
    failureTitle: 'Something went wrong',
    failure: 'The server could not answer just now. Please try again in a minute.',
    unavailable: 'aiwatch is temporarily unavailable: please try again in a few minutes.',
    latestTitle: 'Latest events',
    latestN: (n) => (n === 1 ? 'The latest event' : `The latest ${n} events`),
    noMoreEvents: 'There are no more events.',
    noEventsYet: 'No events yet: they appear as the feeds are polled.',
    range: (from, to, total, atLeast) =>
      `${from}–${to}${total === null ? '' : ` of ${total.toLocaleString('en-US')}${atLeast ? '+' : ''}`}`,
    searchTitle: (text) => `Search: “${text}”`,
    searchProblem: {
      empty: 'Type some words to search for, in English or Japanese.',
      'too-common':
        'Those words are too common to search for: add a company, a product or a more specific word.',
      'too-short': 'Japanese searches need at least two characters (一文字では検索できません).',
    },
    noMoreMatches: 'There are no more matches.',
    nothingMatches: (text) =>
      `Nothing matches “${text}”. Every word must appear in a headline (or name a company); try fewer words.`,
    noEventsAbout: (name) => `No events about ${name} yet.`,
    unknownCompanyTitle: 'Unknown company',
    noCompanyCalled: (name) => `No company or institution is called “${name}”.`,
    closest: (names) => `Closest known names: ${names.join(', ')}.`,
    unknownEventTitle: 'Unknown event',
    noEventWithId: (id) => `No event has the id “${id}”. Event ids look like e-1a2b3c4d5e6f.`,
    eventFooter: (id, range) => `${id} · articles ${range}`,
    noArticles: 'none',
    coverage: (outlets, langs) => `${plural(outlets, 'outlet')} · ${langs.map((l) => NAMES[l]).join(', ')}`,
    open: 'Open',
    firstSeen: 'First seen',
    latestArticle: 'Latest article',
    outlets: (n) => `Outlets (${n})`,
    languages: 'Languages',
    companies: 'Companies',
    noneNamed: 'none named',
    whyRelevant: 'Why it is relevant',
    articles: (n) => `Articles (${n})`,
    previous: '‹ Previous',
    next: 'Next ›',
    page: (page, pages) => (pages ? `page ${page} of ${pages}` : `page ${page}`),
  },
};
