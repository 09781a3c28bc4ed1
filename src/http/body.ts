/**
 * Reading a request body with a size limit. A body over the limit is refused with 413 before it is
 * read whole: at once when Content-Length says so, else as soon as the streamed bytes pass the
 * limit. Nothing past the limit is kept, so memory stays flat whatever a client sends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Slack and Discord requests are a few KB; 64 KB leaves ample room. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** How long a refused upload may keep sending (discarded) before its connection is closed. */
const DRAIN_MS = 1000;

function refuse(req: IncomingMessage, res: ServerResponse, limit: number): void {
  if (!res.headersSent)
    res
      .writeHead(413, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: `request body over ${limit} bytes` }));
  // Discard the rest for a moment so that the client can read the 413 (closing the socket at once
  // would reset the connection under a client still sending), then cut it off.
  req.removeAllListeners('data');
  req.resume();
  setTimeout(() => req.destroy(), DRAIN_MS).unref();
}

/** The body, or null once a 413 has been sent. */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    refuse(req, res, limit);
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      refuse(req, res, limit);
      resolve(null);
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : null));
    req.on('error', reject);
  });
}
