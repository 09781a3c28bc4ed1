/** What Slack sends for /aiwatch: the form body of a slash command and its request signature. */
import { createHmac } from 'node:crypto';

let triggers = 0;

/** Slack gives every invocation its own trigger id, so no two requests are signed alike. */
export const nextTriggerId = () => `1.2.${++triggers}`;

/** A /aiwatch invocation's form body, with its own trigger id. */
export function slackCommandForm(
  text: string,
  responseUrl: string,
  over: Record<string, string> = {},
): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T0TEAM1',
    team_domain: 'acme',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: 'U0USER1',
    user_name: 'aki',
    command: '/aiwatch',
    text,
    api_app_id: 'A0APP',
    response_url: responseUrl,
    trigger_id: nextTriggerId(),
    ...over,
  }).toString();
}

/** The headers Slack signs a request with (v0 HMAC-SHA256 of `v0:<timestamp>:<body>`). */
export function slackSignature(
  secret: string,
  body: string,
  { ageSeconds = 0 }: { ageSeconds?: number } = {},
): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000) - ageSeconds);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
}
