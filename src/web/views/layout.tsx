/** The page frame shared by every page: head, navigation, language switch, feed links. */
import type { ComponentChildren } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import type { Lang } from '../../core/types.ts';
import { webMessages } from '../messages.ts';

/** What every page knows about the request. */
export interface PageContext {
  lang: Lang;
  /** The language the visitor chose with ?lang (kept in links), if any. */
  chosen?: Lang;
  /** This page's path and query, with the other language: the switch link. */
  switchHref: string;
  /** Current time (ms), for "last 12 weeks". */
  now: number;
}

export interface FeedLinks {
  atom: string;
  json: string;
  title: string;
}

interface LayoutProps {
  ctx: PageContext;
  title: string;
  feeds?: FeedLinks;
  children: ComponentChildren;
}

export function Layout({ ctx, title, feeds, children }: LayoutProps) {
  const m = webMessages(ctx.lang);
  const home = ctx.chosen ? `/?lang=${ctx.chosen}` : '/';
  const companies = ctx.chosen ? `/companies?lang=${ctx.chosen}` : '/companies';
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${m.siteName}`}</title>
        <link rel="stylesheet" href="/assets/style.css" />
        {/* No icon: browsers would otherwise ask for /favicon.ico. */}
        <link rel="icon" href="data:," />
        {feeds && <link rel="alternate" type="application/atom+xml" title={feeds.title} href={feeds.atom} />}
        {feeds && <link rel="alternate" type="application/feed+json" title={feeds.title} href={feeds.json} />}
      </head>
      <body>
        <header class="site">
          <a class="brand" href={home}>
            {m.siteName}
          </a>
          <nav>
            <a href={home}>{m.timeline}</a>
            <a href={companies}>{m.companies}</a>
            <a href={ctx.switchHref} hreflang={ctx.lang === 'ja' ? 'en' : 'ja'} class="lang-switch">
              {m.otherLanguage}
            </a>
          </nav>
        </header>
        <main>{children}</main>
        {feeds && (
          <footer>
            {m.feeds}: <a href={feeds.atom}>{m.atom}</a> · <a href={feeds.json}>{m.jsonFeed}</a>
          </footer>
        )}
      </body>
    </html>
  );
}

/** A whole page as HTML text: every string in it was escaped by the renderer. */
export function renderPage(page: preact.VNode): string {
  return `<!doctype html>\n${renderToStaticMarkup(page)}`;
}
