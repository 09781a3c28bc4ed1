/** The one error a feed poll fails with: a short code for logs and health, the URL, a readable reason. */
export type FeedErrorCode =
  | 'timeout'
  | 'network'
  | 'http'
  | 'too-large'
  | 'too-many-redirects'
  | 'empty'
  | 'not-a-feed'
  | 'malformed'
  | 'undecodable';

export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    readonly url: string,
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`${code}: ${reason} (${url})`);
  }
}
