/**
 * SLACK_API_URL and DISCORD_API_URL, normalised once for every client: a base URL
 * given with or without a trailing slash (or with spaces around it) means the same.
 */

export const SLACK_DEFAULT_API_URL = 'https://slack.com/api/';
export const DISCORD_DEFAULT_API_URL = 'https://discord.com/api';

/** Slack's Web API client appends the method name (`chat.postMessage`): the base ends with one slash. */
export function slackApiUrl(url?: string): string {
  return (url?.trim() || SLACK_DEFAULT_API_URL).replace(/\/*$/, '/');
}

/** discord.js's REST client appends `/v10/<route>`: the base ends without a slash. */
export function discordApiUrl(url?: string): string {
  return (url?.trim() || DISCORD_DEFAULT_API_URL).replace(/\/+$/, '');
}
