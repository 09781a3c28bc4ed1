/**
 * Structured logs on stderr, secrets redacted. LOG_LEVEL sets the level (info); LOG_FORMAT
 * the form: `json` (one JSON object a line, for collectors) or `pretty` (one readable line
 * an event). Unset, logs are pretty when stderr is a terminal and JSON otherwise, so a
 * container or a pipe gets JSON and a person at a terminal can read them.
 */
import { createRequire } from 'node:module';
import { destination, pino, type DestinationStream } from 'pino';

export type LogFormat = 'json' | 'pretty';

export function logFormat(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stderr.isTTY),
): LogFormat {
  const wanted = env.LOG_FORMAT?.trim().toLowerCase();
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  return isTTY ? 'pretty' : 'json';
}

/**
 * pino-pretty in this thread, writing synchronously (no transport worker: a command's last
 * lines are not lost when it exits), and loaded only when used: it costs 0.2 s to load.
 */
function prettyStream(colorize: boolean): DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as (options: object) => DestinationStream;
  return pretty({
    destination: 2,
    sync: true,
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
  });
}

function createLogger(format: LogFormat) {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? 'info',
      base: { service: 'japan-ai-watch' },
      redact: {
        paths: [
          'token',
          '*.token',
          'headers.authorization',
          '*.headers.authorization',
          'secret',
          '*.secret',
          'botToken',
        ],
        censor: '[redacted]',
      },
    },
    format === 'pretty' ? prettyStream(Boolean(process.stderr.isTTY)) : destination(2),
  );
}

export const logger = createLogger(logFormat());

export type Logger = typeof logger;
