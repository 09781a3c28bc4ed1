/**
 * Who may read the archive. WEB_AUTH unset: loopback clients only (the archive is open on the
 * machine itself; a request a proxy forwarded, with X-Forwarded-For or Forwarded, is not one). WEB_AUTH=user:password: HTTP Basic for everyone. WEB_AUTH=<token> (no colon):
 * `Authorization: Bearer <token>`, `?token=<token>` (feed readers) or Basic with the token as
 * password. WEB_AUTH=open: anyone (behind a proxy that does its own checks).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type WebAuth =
  | { kind: 'loopback' }
  | { kind: 'open' }
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'token'; token: string };

export function webAuthFromEnv(env: NodeJS.ProcessEnv = process.env): WebAuth {
  const value = env.WEB_AUTH?.trim();
  if (!value) return { kind: 'loopback' };
  if (value === 'open') return { kind: 'open' };
  const colon = value.indexOf(':');
  if (colon > 0) return { kind: 'basic', user: value.slice(0, colon), password: value.slice(colon + 1) };
  return { kind: 'token', token: value };
}

/** Equal strings, in time that does not depend on where they differ. */
function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** A reverse proxy on this machine connects from loopback on behalf of anyone. */
function proxied(req: IncomingMessage): boolean {
  return ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => req.headers[h] !== undefined);
}

export type AccessVerdict = 'ok' | 'unauthorized' | 'forbidden';

export function checkAccess(auth: WebAuth, req: IncomingMessage, query: URLSearchParams): AccessVerdict {
  switch (auth.kind) {
    case 'open':
      return 'ok';
    case 'loopback':
      return isLoopback(req.socket.remoteAddress) && !proxied(req) ? 'ok' : 'forbidden';
    case 'basic': {
      const given = basicCredentials(req.headers.authorization);
      // Both compared, always: no early answer says which one was wrong.
      const userOk = same(given?.user ?? '', auth.user);
      const passwordOk = same(given?.password ?? '', auth.password);
      return given && userOk && passwordOk ? 'ok' : 'unauthorized';
    }
    case 'token': {
      const header = req.headers.authorization ?? '';
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      const candidate = bearer ?? basicCredentials(header)?.password ?? query.get('token') ?? '';
      return same(candidate, auth.token) ? 'ok' : 'unauthorized';
    }
  }
}
