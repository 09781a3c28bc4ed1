/**
 * Where notifications keep their state in Redis: every key under `<prefix>{notify}:`. The
 * braces are a Redis Cluster hash tag: a delivery record and the digest marks its success
 * writes (in the same script) sit in one slot.
 *
 *   delivery:<channel>:<key>   JSON record of one digest window or alert to one channel
 *   digest-mark:<channel>      hash {at, slot}: where the channel's last digest ended
 *   digest-shown:<channel>     hash event id → "<sources>|<shown at ms>"
 */
export const NOTIFY_TAG = '{notify}';

export interface NotifyKeys {
  delivery(channel: string, key: string): string;
  digestMark(channel: string): string;
  digestShown(channel: string): string;
}

export function notifyKeys(prefix: string): NotifyKeys {
  const base = `${prefix}${NOTIFY_TAG}:`;
  return {
    delivery: (channel, key) => `${base}delivery:${channel}:${key}`,
    digestMark: (channel) => `${base}digest-mark:${channel}`,
    digestShown: (channel) => `${base}digest-shown:${channel}`,
  };
}
