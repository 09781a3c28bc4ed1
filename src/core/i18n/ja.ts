/** 日本語: what a `language: ja` channel reads. Counts use 件 and 媒体; lists use 、 and ・. */
import type { Lang } from '../types.ts';
import type { Messages, Problem } from './messages.ts';

const NAMES: Record<Lang, string> = { en: '英語', ja: '日本語' };
const SELF: Record<Lang, string> = { en: 'English', ja: '日本語' };
const VERB_JA = { subscribe: '購読', unsubscribe: '購読解除' } as const;

function problem(p: Problem): string {
  switch (p.code) {
    case 'no-command':
      return `「${p.word}」というコマンドはありません。`;
    case 'latest-range':
      return `latest には 1〜${p.max} の数を指定してください（「${p.arg}」は使えません）。`;
    case 'search-needs-words':
      return 'search には検索語（日本語または英語）を指定してください。';
    case 'company-needs-name':
      return 'company には企業名を指定してください。';
    case 'event-needs-id':
      return 'event にはイベントIDを指定してください。';
    case 'needs-company':
      return `${p.verb}（${VERB_JA[p.verb]}）には企業名を指定してください。`;
  }
}

export const ja: Messages = {
  lang: 'ja',
  languageName: NAMES,
  reasonLabels: { 'Japanese actors': '日本の主体', AI: 'AI', Japan: '日本' },
  title: '日本AIウォッチ',
  digest: {
    kind: { new: '新着', update: '続報', alert: 'アラート' },
    tag: { new: '[新着]', update: '[続報]', alert: '[アラート]' },
    heading: (channelId) => `日本AIウォッチ（${channelId}）`,
    headingLine: (heading, counts, window) => `${heading}：${counts}（${window}）`,
    counts: (created, updated) =>
      [created ? `新着 ${created}件` : '', updated ? `続報 ${updated}件` : ''].filter(Boolean).join('、'),
    lastDays: (days) => `過去${days}日間`,
    since: (time) => `${time}以降`,
    nothingNew: (window) => `${window}の新着はありません。`,
    intro: (window) => `${window}に初めて報じられた、または続報のあったイベントです（重要な順）。`,
    omitted: (n) => `ほか${n}件は表示していません。`,
    colon: '：',
    titled: (title, rest) => `${title}：${rest}`,
    part: (index, of) => `（${index}/${of}）`,
    outlets: (n, langs) => `${n}媒体（${langs.map((l) => NAMES[l]).join('・')}）`,
    outletCount: (n) => `${n}媒体`,
    newSources: (n) => `前回のダイジェストから+${n}媒体`,
    articles: (counts) =>
      counts
        .map(({ lang, count }, i) =>
          i === 0 ? `${NAMES[lang]}記事 ${count}件` : `${SELF[lang]} ${count}${lang === 'ja' ? '件' : ''}`,
        )
        .join(' · '),
    companyList: (names, more) => names.join('、') + (more ? ` ほか${more}社` : ''),
    companies: '企業',
    firstSeen: (time) => `初出 ${time}`,
    firstSeenLine: (time) => `初出 ${time}`,
    why: '理由',
    summary: '要約（AI生成）',
    original: '原題',
    alertTitle: '日本AIウォッチ アラート',
    about: (title, about) => `${title}（${about}）`,
    alertFor: (channelId) => `日本AIウォッチ アラート（${channelId}）`,
    subscribedTo: (about) => `このチャンネルは${about}を購読しています。`,
  },
  feedDown: (name, url, since, error) =>
    `フィード ${name}（${url}）が${since}から取得に失敗しています：${error}`,
  commands: {
    discord: {
      description: '日本のソブリンAIニュース：最新、検索、企業、アラート',
      subcommands: {
        latest: '最新のイベント',
        search: '見出しにすべての語を含むイベント（日本語・英語）',
        company: '企業のイベント（英語名・日本語名どちらでも）',
        event: 'イベントの全記事と関連理由',
        subscribe: 'この企業のニュースをこのチャンネルに通知',
        unsubscribe: '企業の通知を停止',
        subscriptions: 'このチャンネルが購読している企業',
        digest: 'このチャンネルのダイジェストを今すぐ',
        help: '使い方',
      },
      options: {
        n: (max) => `件数（1〜${max}、既定は10）`,
        text: '検索語（例：生成AI、sovereign AI）',
        name: 'ソフトバンク、三菱重工など',
        id: 'イベントID（例：e-1a2b3c4d5e6f）',
        follow: '購読する企業',
        unfollow: '購読を解除する企業',
      },
    },
    helpTitle: '/aiwatch：日本のソブリンAIニュース',
    usage: {
      latest: '最新のイベント（n は100まで、既定は10）',
      search: '見出しにすべての語を含むイベント（日本語・英語）：生成AI、sovereign AI',
      company: '企業のイベント（英語名・日本語名どちらでも）：SoftBank、ソフトバンク、MHI、三菱重工',
      event: 'イベントの全記事・媒体・言語と、関連すると判断した理由',
      subscribe: 'その企業のニュースをすぐにこのチャンネルへ通知',
      unsubscribe: '通知を停止',
      subscriptions: 'このチャンネルが購読している企業',
      digest: 'このチャンネルのダイジェストを今すぐ',
      help: 'この一覧',
    },
    notUnderstood: 'コマンドを理解できませんでした',
    problem,
    didYouMean: (verb) => `「${verb}」のことですか？`,
    foreignTitle: 'ここでは利用できません',
    foreign: 'このチャンネルは別のワークスペースに登録されているため、ここから購読を確認・変更できません。',
    notAllowedTitle: '権限がありません',
    notAllowed: '購読を変更できるのは config/channels.yaml の admins に登録された管理者だけです。',
    following: (name) => ({
      title: `${name}を購読しました`,
      line: `${name}のニュースがあり次第、このチャンネルに通知します。`,
    }),
    alreadyFollowing: (name) => ({
      title: `${name}は購読済みです`,
      line: `このチャンネルはすでに${name}を購読しています。`,
    }),
    stopped: (name) => ({
      title: `${name}の購読を解除しました`,
      line: `このチャンネルには${name}の通知が届かなくなります。`,
    }),
    notFollowing: (name) => ({
      title: `${name}は購読していません`,
      line: `このチャンネルは${name}を購読していないため、解除するものはありません。`,
    }),
    followsList: (names) => `購読中：${names.join('、')}。`,
    followsNone: '購読中の企業はありません。',
    subscriptionsTitle: '購読一覧',
    noSubscriptions: '購読中の企業はありません。「subscribe <企業名>」で追加できます。',
    subscriptionsLine: (names) => `このチャンネルは${names.length}社を購読しています：${names.join('、')}。`,
    digestTitle: 'ダイジェスト',
    digestNotSetUp: 'このサーバーではまだダイジェストが設定されていません。',
    digestNothingNew: '前回のダイジェスト以降、このチャンネル向けの新着はありません。',
    failureTitle: 'エラーが発生しました',
    failure: 'サーバーが応答できませんでした。1分ほどしてからもう一度お試しください。',
    unavailable: 'aiwatch は一時的に利用できません。数分後にもう一度お試しください。',
    latestTitle: '最新のイベント',
    latestN: (n) => (n === 1 ? '最新のイベント' : `最新のイベント ${n}件`),
    noMoreEvents: 'これ以上のイベントはありません。',
    noEventsYet: 'まだイベントはありません。フィードを取得すると表示されます。',
    range: (from, to, total, atLeast) =>
      `${from}〜${to}件${total === null ? '' : `（全${total.toLocaleString('ja-JP')}${atLeast ? '件以上' : '件'}）`}`,
    searchTitle: (text) => `検索：「${text}」`,
    searchProblem: {
      empty: '検索する語を日本語か英語で入力してください。',
      'too-common':
        'ありふれた語だけでは検索できません。企業名や製品名など、より具体的な語を加えてください。',
      'too-short': '日本語の検索には2文字以上が必要です（一文字では検索できません）。',
    },
    noMoreMatches: 'これ以上の検索結果はありません。',
    nothingMatches: (text) =>
      `「${text}」に一致するイベントはありません。すべての語が見出しに含まれる（または企業名である）必要があります。語を減らしてお試しください。`,
    noEventsAbout: (name) => `${name}のイベントはまだありません。`,
    unknownCompanyTitle: '不明な企業',
    noCompanyCalled: (name) => `「${name}」という企業・機関は登録されていません。`,
    closest: (names) => `近い名前：${names.join('、')}。`,
    unknownEventTitle: '不明なイベント',
    noEventWithId: (id) =>
      `ID「${id}」のイベントはありません。イベントIDは e-1a2b3c4d5e6f のような形式です。`,
    eventFooter: (id, range) => `${id} · 記事 ${range}`,
    noArticles: 'なし',
    coverage: (outlets, langs) => `${outlets}媒体 · ${langs.map((l) => NAMES[l]).join('・')}`,
    open: '開く',
    firstSeen: '初出',
    latestArticle: '最新記事',
    outlets: (n) => `媒体（${n}）`,
    languages: '言語',
    companies: '企業',
    noneNamed: 'なし',
    whyRelevant: '関連すると判断した理由',
    articles: (n) => `記事（${n}件）`,
    previous: '‹ 前へ',
    next: '次へ ›',
    page: (page, pages) => (pages ? `${page}/${pages}ページ` : `${page}ページ目`),
  },
};
