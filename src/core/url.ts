/** URL normalisation for exact-duplicate detection across feeds and polls. */

const TRACKING_PARAMS =
  /^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$|ref$|ref_src$|cmpid$|icid$|ncid$|rss$|from$|n_cid$)/i;

export function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return raw.trim();
  }
  url.hash = '';
  url.hostname = url.hostname.toLowerCase().replace(/^www\./, '');
  const kept = [...url.searchParams.entries()].filter(([key]) => !TRACKING_PARAMS.test(key));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  const path = url.pathname.replace(/\/+$/, '');
  // Scheme is dropped: the same article is often linked over http and https.
  return `${url.hostname}${url.port ? `:${url.port}` : ''}${path}${url.search}`;
}
