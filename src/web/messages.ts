/** The web archive's words, in English and Japanese. Plain text only: the renderer escapes it. */
import type { Lang } from '../core/types.ts';

export interface WebMessages {
  siteName: string;
  timeline: string;
  companies: string;
  feeds: string;
  otherLanguage: string;
  filters: string;
  company: string;
  anyCompany: string;
  language: string;
  anyLanguage: string;
  langName: Record<Lang, string>;
  from: string;
  to: string;
  search: string;
  searchPlaceholder: string;
  apply: string;
  clear: string;
  firstSeen: string;
  lastUpdated: string;
  outlets: string;
  articles: string;
  reasons: string;
  headlines: string;
  published: string;
  chartTitle: (weeks: number) => string;
  chartNote: string;
  chartEmpty: string;
  eventsFound: (total: number, atLeast: boolean) => string;
  noEvents: string;
  searchProblem: Record<'empty' | 'too-common' | 'too-short', string>;
  newest: string;
  older: string;
  previous: string;
  notFound: string;
  notFoundEvent: (id: string) => string;
  notFoundCompany: (name: string) => string;
  didYouMean: string;
  companyEvents: (name: string) => string;
  eventCount: (n: number) => string;
  aliases: string;
  findCompany: string;
  merged: (id: string) => string;
  feedTitle: string;
  feedFor: (name: string) => string;
  atom: string;
  jsonFeed: string;
  badRequest: string;
}

const en: WebMessages = {
  siteName: 'Japan AI Watch',
  timeline: 'Timeline',
  companies: 'Companies',
  feeds: 'Feeds',
  otherLanguage: '日本語',
  filters: 'Filters',
  company: 'Company',
  anyCompany: 'Any company',
  language: 'Language',
  anyLanguage: 'Any language',
  langName: { en: 'English', ja: 'Japanese' },
  from: 'From',
  to: 'To',
  search: 'Search',
  searchPlaceholder: 'Words, e.g. sovereign AI or 生成AI',
  apply: 'Show',
  clear: 'Clear',
  firstSeen: 'First seen',
  lastUpdated: 'Last updated',
  outlets: 'Outlets',
  articles: 'Articles',
  reasons: 'Why it is relevant',
  headlines: 'Headlines',
  published: 'Published',
  chartTitle: (weeks) => `Events per week, last ${weeks} weeks`,
  chartNote: 'Most active companies; an event counts in the week it was last updated.',
  chartEmpty: 'No events in these weeks yet.',
  eventsFound: (n, atLeast) => `${n.toLocaleString('en-US')}${atLeast ? '+' : ''} events`,
  noEvents: 'No events match.',
  searchProblem: {
    empty: 'Type a word to search for.',
    'too-common': 'Those words are too common to search for.',
    'too-short': 'A single Japanese character is too short to search for.',
  },
  newest: 'Newest',
  older: 'Older',
  previous: 'Newer',
  notFound: 'Not found',
  notFoundEvent: (id) => `There is no event ${id}.`,
  notFoundCompany: (name) => `No company is called "${name}".`,
  didYouMean: 'Did you mean:',
  companyEvents: (name) => `Events about ${name}`,
  eventCount: (n) => `${n.toLocaleString('en-US')} event${n === 1 ? '' : 's'}`,
  aliases: 'Also known as',
  findCompany: 'Find a company by any name',
  merged: (id) => `Event ${id} was merged into this one.`,
  feedTitle: 'Japan AI Watch: Japanese sovereign-AI events',
  feedFor: (name) => `Japan AI Watch: ${name}`,
  atom: 'Atom',
  jsonFeed: 'JSON Feed',
  badRequest: 'That address is not valid.',
};

const ja: WebMessages = {
  siteName: 'ジャパンAIウォッチ',
  timeline: 'タイムライン',
  companies: '企業',
  feeds: 'フィード',
  otherLanguage: 'English',
  filters: '絞り込み',
  company: '企業',
  anyCompany: 'すべての企業',
  language: '言語',
  anyLanguage: 'すべての言語',
  langName: { en: '英語', ja: '日本語' },
  from: '開始日',
  to: '終了日',
  search: '検索',
  searchPlaceholder: '例: 生成AI、sovereign AI',
  apply: '表示',
  clear: 'クリア',
  firstSeen: '初出',
  lastUpdated: '最終更新',
  outlets: '媒体',
  articles: '記事',
  reasons: '関連と判断した理由',
  headlines: '見出し',
  published: '公開',
  chartTitle: (weeks) => `週ごとのイベント数(直近${weeks}週)`,
  chartNote: '最も動きの多い企業。イベントは最終更新の週に数えます。',
  chartEmpty: 'この期間のイベントはまだありません。',
  eventsFound: (n, atLeast) => `${n.toLocaleString('ja-JP')}${atLeast ? '件以上' : '件'}のイベント`,
  noEvents: '該当するイベントはありません。',
  searchProblem: {
    empty: '検索する語を入力してください。',
    'too-common': 'その語は一般的すぎて検索できません。',
    'too-short': '日本語1文字では検索できません。',
  },
  newest: '最新',
  older: 'さらに古いイベント',
  previous: '新しいイベント',
  notFound: '見つかりません',
  notFoundEvent: (id) => `イベント ${id} はありません。`,
  notFoundCompany: (name) => `「${name}」という企業は登録されていません。`,
  didYouMean: 'もしかして:',
  companyEvents: (name) => `${name}のイベント`,
  eventCount: (n) => `${n.toLocaleString('ja-JP')}件`,
  aliases: '別名',
  findCompany: '企業名で探す(英語・日本語)',
  merged: (id) => `イベント ${id} はこのイベントに統合されました。`,
  feedTitle: 'ジャパンAIウォッチ: 日本のソブリンAI',
  feedFor: (name) => `ジャパンAIウォッチ: ${name}`,
  atom: 'Atom',
  jsonFeed: 'JSON Feed',
  badRequest: 'このアドレスは正しくありません。',
};

export function webMessages(lang: Lang): WebMessages {
  return lang === 'ja' ? ja : en;
}
