/**
 * A local stand-in for an OpenAI-compatible chat-completions endpoint. It answers with
 * structured output written from the request (the language asked for and the first title),
 * or as scripted: a 429, a 500, a hang, a body that is not JSON, an answer that tries to ping
 * and to link a script. It records every request, so tests can see what the model was sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mode = 'ok' | '429' | '500' | 'hang' | 'malformed' | 'inject';

export interface ModelRequest {
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format: { type: string; json_schema: { name: string; schema: unknown } };
  };
}

export interface ModelServer {
  url: string;
  requests: ModelRequest[];
  mode: Mode;
  close(): Promise<void>;
}

export const INJECTION = '@everyone <!channel> <@U123> [click](javascript:alert(1)) **bold** `code`';

function answer(req: ModelRequest, mode: Mode): string {
  const system = req.body.messages[0]?.content ?? '';
  const japanese = system.includes('Japanese (日本語)');
  const articles = JSON.parse(req.body.messages[1]!.content.replace(/^[^\n]*\n/, '')) as { title: string }[];
  const first = articles[0]?.title ?? '';
  const text =
    mode === 'inject'
      ? { headline: `${INJECTION} headline`, summary: `${INJECTION} summary.` }
      : japanese
        ? {
            headline: `モデルの見出し：${first.slice(0, 30)}`,
            summary: `${articles.length}本の記事の要約です。`,
          }
        : {
            headline: `Model headline: ${first.slice(0, 40)}`,
            summary: `A summary of ${articles.length} articles.`,
          };
  return JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    choices: [
      { index: 0, message: { role: 'assistant', content: JSON.stringify(text) }, finish_reason: 'stop' },
    ],
    usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
  });
}

export async function startModelServer(): Promise<ModelServer> {
  const requests: ModelRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const state = { mode: 'ok' as Mode };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
    const recorded: ModelRequest = {
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    };
    requests.push(recorded);
    const json = { 'content-type': 'application/json' };
    switch (state.mode) {
      case '429':
        return void res
          .writeHead(429, { ...json, 'retry-after': '30' })
          .end('{"error":{"message":"Rate limit"}}');
      case '500':
        return void res.writeHead(500, json).end('{"error":{"message":"boom"}}');
      case 'hang':
        hanging.add(res);
        return;
      case 'malformed':
        return void res.writeHead(200, json).end('{"choices": [ {"message": ');
      default:
        return void res.writeHead(200, json).end(answer(recorded, state.mode));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(mode: Mode) {
      state.mode = mode;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
