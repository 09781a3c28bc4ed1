/**
 * Where the HTTP side keeps its state in Redis: every key under `<prefix>{http}:`, one Redis
 * Cluster hash tag.
 *
 *   seen-request:<key>   a signed request already answered (replay guard), until its signature expires
 */
export const HTTP_TAG = '{http}';

export interface HttpKeys {
  seenRequest(key: string): string;
}

export function httpKeys(prefix: string): HttpKeys {
  const base = `${prefix}${HTTP_TAG}:`;
  return {
    seenRequest: (key) => `${base}seen-request:${key}`,
  };
}
