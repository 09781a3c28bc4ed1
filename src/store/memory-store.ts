/** In-process store with the same semantics as the Redis one, for replay and tests. */
import type { EventRecord, StoredItem } from '../core/types.ts';
import { selectCandidates } from './candidates.ts';
import {
  versionKey,
  type CandidateSnapshot,
  type CommitOutcome,
  type CommitPlan,
  type EventStore,
} from './types.ts';

export function createMemoryStore(): EventStore {
  const items = new Map<string, StoredItem>();
  const byUrl = new Map<string, string>();
  const byGuid = new Map<string, string>();
  const events = new Map<string, EventRecord>();
  const index = new Map<string, Map<string, number>>();
  const versions = new Map<string, number>();
  /** Merged event id → the event it was merged into. */
  const aliases = new Map<string, string>();

  const bump = (key: string) => versions.set(key, (versions.get(key) ?? 0) + 1);

  return {
    async findDuplicate(urlKey, guidKey) {
      return byUrl.get(urlKey) ?? (guidKey ? byGuid.get(guidKey) : undefined) ?? null;
    },

    async findCandidates(keys, at, windowMs, perKey, max, exact): Promise<CandidateSnapshot> {
      const snapshot: CandidateSnapshot = { candidates: [], versions: {}, counts: {} };
      const duplicate =
        exact && (byUrl.get(exact.urlKey) ?? (exact.guidKey ? byGuid.get(exact.guidKey) : undefined));
      if (duplicate) return { ...snapshot, duplicate };
      const ranges = keys.map((key) => {
        snapshot.versions[versionKey.index(key)] = versions.get(versionKey.index(key)) ?? 0;
        // Same order as Redis ZREVRANGEBYSCORE: score descending, then member descending.
        return [...(index.get(key) ?? new Map<string, number>()).entries()]
          .filter(([, score]) => score >= at - windowMs && score <= at + windowMs)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))
          .slice(0, perKey)
          .map(([id]) => id);
      });
      keys.forEach((key, i) => (snapshot.counts[key] = ranges[i]!.length));
      for (const id of selectCandidates(ranges, max)) {
        const record = events.get(id);
        if (!record) continue;
        snapshot.versions[versionKey.event(id)] = versions.get(versionKey.event(id)) ?? 0;
        snapshot.candidates.push({
          id,
          profile: record.profile,
          lastSeen: Date.parse(record.lastSeen),
          record,
        });
      }
      return snapshot;
    },

    async commit(plan: CommitPlan): Promise<CommitOutcome> {
      const existing = byUrl.get(plan.urlKey) ?? (plan.guidKey ? byGuid.get(plan.guidKey) : undefined);
      if (existing) return { status: 'duplicate', itemId: existing };
      for (const [key, version] of Object.entries(plan.versions ?? {}))
        if ((versions.get(key) ?? 0) !== version) return { status: 'conflict' };
      if (plan.event) {
        const eventVersion = versionKey.event(plan.event.id);
        if (!(eventVersion in (plan.versions ?? {})) && events.has(plan.event.id))
          return { status: 'conflict' };
      }
      for (const gone of plan.absorbed ?? []) {
        // As in the Redis script: out of every index, its articles and aliases to the survivor.
        const survivor = plan.event!.id;
        events.delete(gone.id);
        bump(versionKey.event(gone.id));
        for (const key of gone.indexKeys) index.get(key)?.delete(gone.id);
        for (const id of [gone.id, ...gone.mergedFrom]) aliases.set(id, survivor);
        for (const itemId of gone.itemIds) {
          const item = items.get(itemId);
          if (item) items.set(itemId, { ...item, event: survivor });
        }
      }
      items.set(plan.item.id, plan.item);
      byUrl.set(plan.urlKey, plan.item.id);
      if (plan.guidKey) byGuid.set(plan.guidKey, plan.item.id);
      if (plan.event) {
        events.set(plan.event.id, plan.event);
        bump(versionKey.event(plan.event.id));
        const score = Date.parse(plan.event.lastSeen);
        for (const key of plan.indexKeys ?? []) {
          let entries = index.get(key);
          if (!entries) index.set(key, (entries = new Map()));
          // As in the Redis script: a key is pruned, and its version bumped, when it gains an event.
          const added = !entries.has(plan.event.id);
          entries.set(plan.event.id, score);
          if (added) {
            bump(versionKey.index(key));
            if (plan.expireBefore !== undefined)
              for (const [id, s] of entries) if (s < plan.expireBefore) entries.delete(id);
          }
        }
      }
      return { status: 'ok' };
    },

    async getEvent(id) {
      return events.get(id) ?? events.get(aliases.get(id) ?? '') ?? null;
    },

    async getItems(ids) {
      return ids.map((id) => items.get(id)).filter((item): item is StoredItem => item !== undefined);
    },

    async listEvents(options = {}) {
      const since = options.since ? Date.parse(options.since) : -Infinity;
      return [...events.values()]
        .filter((e) => Date.parse(e.updatedAt) >= since)
        .filter((e) => !options.company || e.companies.includes(options.company))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.lastSeen.localeCompare(a.lastSeen))
        .slice(0, options.limit ?? Infinity);
    },

    async countEvents() {
      return events.size;
    },
  };
}
