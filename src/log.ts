/** Structured logs: one JSON line per event on stderr, secrets redacted. */
import { destination, pino } from 'pino';

export const logger = pino(
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
  destination(2),
);

export type Logger = typeof logger;
