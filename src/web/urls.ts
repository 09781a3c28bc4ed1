/** Links of the web archive: its own paths, the public event URL, and which outside links may be shown. */
import type { Lang } from '../core/types.ts';

/** The URL of an event's page when the archive has a public address (PUBLIC_URL), else null. */
export function eventUrl(id: string, publicUrl: string | undefined = process.env.PUBLIC_URL): string | null {
  const base = publicBase(publicUrl);
  return base ? `${base}/events/${encodeURIComponent(id)}` : null;
}

/** PUBLIC_URL without a trailing slash, when it is an http(s) URL. */
export function publicBase(publicUrl: string | undefined): string | null {
  if (!publicUrl) return null;
  const url = safeHttpUrl(publicUrl);
  return url ? url.replace(/\/+$/, '') : null;
}

/** The URL when it is absolute http(s), else null: no javascript:, data: or relative links. */
export function safeHttpUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export const paths = {
  event: (id: string) => `/events/${encodeURIComponent(id)}`,
  company: (id: string) => `/companies/${encodeURIComponent(id)}`,
  companyFeed: (id: string, kind: 'json' | 'atom') => `/companies/${encodeURIComponent(id)}/feed.${kind}`,
};

/** A path with query parameters; empty values are left out, `lang` added when the visitor chose one. */
export function withQuery(
  path: string,
  params: Record<string, string | number | undefined | null>,
  lang?: Lang,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  if (lang) search.set('lang', lang);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
