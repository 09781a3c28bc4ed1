/** A local HTTP server for feed tests: routes by path, each a handler; records requests. */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { FIXTURES } from './fixtures.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  base: string;
  url(path: string): string;
  route(path: string, handler: Handler): void;
  /** Requests seen per path, with their headers. */
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export const feedFixture = (name: string) => readFileSync(join(FIXTURES, 'feeds', name), 'utf8');

/** The fixture re-encoded in a legacy Japanese charset (the file itself is UTF-8 for reading). */
export const encodedFixture = (name: string, charset: string) => iconv.encode(feedFixture(name), charset);

export const send =
  (body: string | Buffer, headers: Record<string, string> = {}, status = 200): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/xml', ...headers }).end(body);
  };

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Handler>();
  const requests: FeedServer['requests'] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ path, headers: req.headers });
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path) => `${base}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
