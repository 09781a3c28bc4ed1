/** The poster used when a platform has no token: digests and alerts printed as plain text. */
import { textAlert, textDigest } from '../core/digest-text.ts';
import type { ChatPoster } from './poster.ts';

export function createConsolePoster(
  write: (text: string) => void = (text) => void process.stdout.write(text),
): ChatPoster<string> {
  return {
    kind: 'console',
    renderDigest: (digest) => [textDigest(digest)],
    renderAlert: (alert) => [textAlert(alert)],
    renderNotice: (text) => [text],
    async post(_channelId, message) {
      write(message.endsWith('\n') ? message : `${message}\n`);
    },
    idempotentResend: () => false,
    async verify() {
      return 'console (no token configured)';
    },
  };
}
