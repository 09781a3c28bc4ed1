/**
 * The BullMQ key prefix of a deployment: `<AIWATCH_PREFIX>{bull}`, so a queue's keys read
 * `aiwatch:{bull}:items:wait`. The braces are a Redis Cluster hash tag: every key of every
 * queue lands in one slot, which BullMQ's scripts need (a flow's decide job and its item
 * jobs live in two queues, and one script touches both). On one Redis the braces are just
 * characters; the prefix still isolates a deployment, a demo or a test completely.
 */
export const QUEUE_TAG = '{bull}';

export function bullPrefix(prefix: string): string {
  return `${prefix}${QUEUE_TAG}`;
}
