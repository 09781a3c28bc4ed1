/**
 * The feed worker's one outgoing port: what it tells the rest of the service.
 * The App plugs in the notify queue, where the notifications part (`start`)
 * finds the jobs, whichever process polled; so the worker never imports the
 * notifications it feeds. A test may plug in a recorder.
 */
import type { Queue } from 'bullmq';
import type { OnFeedDown } from '../feeds/poll.ts';
import type { Logger } from '../shared/log.ts';
import type { ItemResult } from '../queue/jobs.ts';
import { queueAlertsAfterItem, queueFeedDown } from '../queue/notify.ts';

export interface Notices {
  /** After each item is stored: alerts for an event it created or joined (`backlog`: a feed's first poll). */
  itemDone(result: ItemResult, backlog?: boolean): Promise<void>;
  /** A feed down longer than worker.feedFailureAlertHours; throws when the report could not be queued. */
  feedDown: OnFeedDown;
}

/** Notices as jobs on the notify queue: an alert per item that created or joined an event, a report per failure streak. */
export function queuedNotices(queue: () => Promise<Queue>, log: Logger): Notices {
  return {
    itemDone: async (result, backlog) => queueAlertsAfterItem(await queue())(result, backlog),
    feedDown: async (feed, health) => queueFeedDown(await queue(), log)(feed, health),
  };
}
