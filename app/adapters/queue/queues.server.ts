// Bull queues, split by what limits them (docs/decisions/004-queues.md):
//   inbound        – recorded Shopify deliveries and LINE events → facts (limited by our database)
//   line-outbound  – calls to LINE (limited by LINE's per-endpoint rate limits)
//   scheduled      – delayed work (reminders, time-based segment transitions) and periodic sweeps
// Jobs may run more than once: the database (unique keys) guarantees "processed once"; job ids only
// spare duplicate work.
import Bull from "bull";
import type { JobOptions, Queue } from "bull";
import { env } from "~/config/env.server";

export const QUEUE_NAMES = ["inbound", "line-outbound", "scheduled"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * Jobs a reaction may batch (app/adapters/queue/friend-batches.server.ts): their payload names the
 * friends, or `pending: true` for the friends gathered in the shop's pending set.
 */
export const BATCHED_JOBS = ["segments.reevaluate-friends", "rich-menus.sync-friends", "automations.check-friends-carts"] as const;
export type BatchedJob = (typeof BATCHED_JOBS)[number];
export type FriendsOrPending = { shopId: number; friendIds: number[] } | { shopId: number; pending: true };

/** Job name → payload (ids only; no PII in job data). */
export interface JobPayloads {
  // Broadcasts & lifecycle automations (app/services/broadcasts, app/services/automations/lifecycle*).
  "broadcasts.prepare": { broadcastId: number; resume?: string };
  "broadcasts.send-batch": { batchId: number };
  "broadcasts.resume-stalled": Record<string, never>;
  "broadcasts.pick-winner": { broadcastId: number };
  "automations.scan-lifecycle": { shopId?: number };
  "automations.send-lifecycle-reminder": { reminderId: number };
  // Messaging & abandoned cart (app/services/automations/abandoned-cart.server.ts).
  "automations.send-cart-reminder": { reminderId: number };
  "automations.send-due-cart-reminders": { shopId: number; dueBy?: number };
  "automations.check-friends-carts": FriendsOrPending;
  // No longer enqueued (automations.check-friends-carts batches it since 2026-12-02): kept so a job of
  // this name still in Redis at the deploy is processed. Remove after a release.
  "automations.check-customer-carts": { shopId: number; shopifyCustomerId: string };
  "webhooks.process-delivery": { deliveryId: number };
  "line-events.process-event": { eventId: number };
  // Linking / LINE events: fetch a friend's LINE profile (displayName, picture, language).
  "line-events.refresh-profile": { shopId: number; friendId: number };
  "webhooks.sweep-unprocessed": Record<string, never>;
  "rich-menus.sync-friend": { shopId: number; friendId: number };
  "rich-menus.sync-friends": FriendsOrPending;
  "rich-menus.apply-rules": { shopId: number; runId: number };
  "rich-menus.reconcile": { shopId?: number };
  "ingestion.start-backfill": { runId: number };
  // Shop settings from Admin GraphQL when the read at install failed (app/services/shops.server.ts).
  "shops.sync-settings": { shopDomain: string };
  "ingestion.poll-backfill": { runId: number };
  "segments.reevaluate-friend": { shopId: number; friendId: number };
  "segments.reevaluate-friends": FriendsOrPending;
  "segments.refresh-memberships": { shopId: number; segmentId?: number };
  // Reactions to events (app/reactions.server.ts).
  "ingestion.request-backfill": { shopDomain: string };
  // No longer enqueued (customer.facts-changed carries the linked friends since 2026-12-02): kept so a
  // job of these names still in Redis at the deploy is processed. Remove after a release.
  "segments.reevaluate-customer": { shopId: number; shopifyCustomerId: string };
  "rich-menus.sync-customer": { shopId: number; shopifyCustomerId: string };
  "roi.attribute-orders": { shopId: number; shopifyCustomerId: string };
  "consent.mirror-shopify": { shopId: number; shopifyCustomerId: string };
  "automations.check-friend-carts": { shopId: number; friendId: number };
  "automations.welcome-friend": { shopId: number; friendId: number; at: number };
  "automations.win-back-friend": { shopId: number; friendId: number; segmentId: number; at: number };
  // Integrations (app/services/integrations): sync runs, their schedule, the write-back outbox.
  "integrations.sync": {
    shopId: number;
    provider: "hubspot" | "klaviyo";
    kind?: "full" | "incremental";
    runId?: number;
    requestedAt?: number;
  };
  "integrations.sweep-syncs": Record<string, never>;
  "integrations.write-back": { shopId: number; provider: "hubspot" | "klaviyo" };
  "integrations.queue-write-back": { shopId: number; friendId: number; source: string };
  // Klaviyo events for LINE sends and clicks (app/services/integrations/line-events.server.ts).
  "integrations.queue-line-events": Record<string, never>;
  // HubSpot / Klaviyo matching (app/services/integrations/match.server.ts), reactions to events.
  "integrations.match-contacts": { shopId: number; provider: "hubspot" | "klaviyo"; externalIds: string[]; friendIds?: number[] };
  "integrations.match-friend": { shopId: number; friendId: number };
  "integrations.match-customer": { shopId: number; shopifyCustomerId: string };
  "integrations.reevaluate-friends": { shopId: number; friendIds: number[] };
  "tags.apply-rules": {
    shopId: number;
    friendId: number;
    kind: "segment_enter" | "segment_leave" | "account_linked";
    values: string[];
    hops: number;
  };
}
export type JobName = keyof JobPayloads;

const JOB_QUEUE: Record<JobName, QueueName> = {
  "broadcasts.prepare": "scheduled",
  "broadcasts.send-batch": "line-outbound",
  "broadcasts.resume-stalled": "scheduled",
  "broadcasts.pick-winner": "scheduled",
  "automations.scan-lifecycle": "scheduled",
  "automations.send-lifecycle-reminder": "line-outbound",
  "automations.send-cart-reminder": "line-outbound",
  "automations.send-due-cart-reminders": "line-outbound",
  "automations.check-friends-carts": "inbound",
  "automations.check-customer-carts": "inbound",
  "webhooks.process-delivery": "inbound",
  "line-events.process-event": "inbound",
  "line-events.refresh-profile": "line-outbound",
  "webhooks.sweep-unprocessed": "scheduled",
  "rich-menus.sync-friend": "line-outbound",
  "rich-menus.sync-friends": "line-outbound",
  "rich-menus.apply-rules": "line-outbound",
  "rich-menus.reconcile": "scheduled",
  "ingestion.start-backfill": "inbound",
  "shops.sync-settings": "inbound",
  "ingestion.poll-backfill": "scheduled",
  "segments.reevaluate-friend": "scheduled",
  "integrations.match-contacts": "inbound",
  "integrations.match-friend": "inbound",
  "integrations.match-customer": "inbound",
  "integrations.reevaluate-friends": "inbound",
  "segments.refresh-memberships": "scheduled",
  "ingestion.request-backfill": "inbound",
  "segments.reevaluate-friends": "inbound",
  "segments.reevaluate-customer": "inbound",
  "rich-menus.sync-customer": "inbound",
  "roi.attribute-orders": "inbound",
  "consent.mirror-shopify": "inbound",
  "automations.check-friend-carts": "inbound",
  "automations.welcome-friend": "inbound",
  "automations.win-back-friend": "inbound",
  "tags.apply-rules": "inbound",
  "integrations.sync": "scheduled",
  "integrations.sweep-syncs": "scheduled",
  "integrations.write-back": "scheduled",
  "integrations.queue-write-back": "inbound",
  "integrations.queue-line-events": "scheduled",
};

/**
 * Names jobs had before job names followed `<area>.<verb-object>` (docs/architecture.md "Job names").
 * A job enqueued under one before the deploy that renamed it (waiting, delayed — reminders wait for
 * days — or retrying in Redis) is still processed under its current name, and the worker drops
 * repeatable schedules kept under an old name (removeRenamedRepeatables). Remove an entry only when
 * no job under it can remain.
 */
export const JOB_ALIASES: Readonly<Record<string, JobName>> = {
  "broadcast.prepare": "broadcasts.prepare",
  "broadcast.send-batch": "broadcasts.send-batch",
  "broadcast.sweep": "broadcasts.resume-stalled",
  "broadcast.pick-winner": "broadcasts.pick-winner",
  "automations.lifecycle-scan": "automations.scan-lifecycle",
  "automations.lifecycle-send": "automations.send-lifecycle-reminder",
  "reminder.send": "automations.send-cart-reminder",
  "automation.abandoned-cart.check": "automations.check-customer-carts",
  "automation.abandoned-cart.check-friend": "automations.check-friend-carts",
  "automations.welcome": "automations.welcome-friend",
  "automations.win-back": "automations.win-back-friend",
  "shopify.webhook": "webhooks.process-delivery",
  "webhooks.sweep": "webhooks.sweep-unprocessed",
  "line.event": "line-events.process-event",
  "line.profile": "line-events.refresh-profile",
  "rich-menu.sync-friend": "rich-menus.sync-friend",
  "rich-menu.sync-customer": "rich-menus.sync-customer",
  "menu.apply-rules": "rich-menus.apply-rules",
  "menu.reconcile": "rich-menus.reconcile",
  "backfill.start": "ingestion.start-backfill",
  "backfill.poll": "ingestion.poll-backfill",
  "backfill.request": "ingestion.request-backfill",
  "shop.sync-settings": "shops.sync-settings",
  "segments.refresh": "segments.refresh-memberships",
  "integrations.sync-sweep": "integrations.sweep-syncs",
  "integrations.line-events": "integrations.queue-line-events",
};

/** The current name of a job found in Redis (its own name, or the one an old name was renamed to). */
export function currentJobName(name: string): string {
  return Object.hasOwn(JOB_ALIASES, name) ? JOB_ALIASES[name]! : name;
}

/** Drops repeatable schedules stored under an old job name (their current name is scheduled anew). */
export async function removeRenamedRepeatables(): Promise<number> {
  let removed = 0;
  for (const name of QUEUE_NAMES)
    for (const r of await queue(name).getRepeatableJobs())
      if (Object.hasOwn(JOB_ALIASES, r.name)) {
        await queue(name).removeRepeatableByKey(r.key);
        removed++;
      }
  return removed;
}

const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: 2000,
  removeOnFail: 10000,
};

declare global {
  var __queues: Map<QueueName, Queue> | undefined;
}

export function queue(name: QueueName, opts: { limiter?: Bull.RateLimiter } = {}): Queue {
  globalThis.__queues ??= new Map();
  let q = globalThis.__queues.get(name);
  if (!q) {
    const e = env();
    const url = e.REDIS_URL ?? process.env.REDIS_URL;
    if (!url) throw new Error("REDIS_URL is not set (entry points start a private redis-server when it is unset)");
    q = new Bull(name, url, { prefix: e.QUEUE_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS, limiter: opts.limiter });
    globalThis.__queues.set(name, q);
  }
  return q;
}

/**
 * Jobs taken before the rest of their queue (Bull priority 1; unprioritised jobs wait behind them).
 * A shopper's due reminder, and the check that schedules it, must not wait behind a flash sale's
 * backlog of fact updates and menu syncs: those only make the facts fresher, a late reminder is a
 * lost sale (docs/benchmarks.md, abandoned cart). Keep this list to small, time-critical jobs.
 */
const PRIORITY_JOBS: ReadonlySet<JobName> = new Set<JobName>([
  "automations.send-cart-reminder",
  "automations.send-due-cart-reminders",
  "automations.send-lifecycle-reminder",
  "automations.check-friends-carts",
  "automations.check-customer-carts",
]);

/**
 * Bull's `delay` for a job that should run at `at`: Bull counts it from when the job is added, so it
 * is measured against the clock now, not a `now` the caller took earlier (a job that took 500 ms to
 * get here would otherwise run 500 ms late). Never negative.
 */
export function delayUntil(at: Date | number): number {
  return Math.max(0, (typeof at === "number" ? at : at.getTime()) - Date.now());
}

/** Adds a job to its queue (JOB_QUEUE); time-critical jobs (PRIORITY_JOBS) go first unless opts say otherwise. */
export async function enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts: JobOptions = {}) {
  return queue(JOB_QUEUE[name]).add(name, data, PRIORITY_JOBS.has(name) ? { priority: 1, ...opts } : opts);
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  paused: number;
}

export async function queueDepths(): Promise<Record<QueueName, QueueDepth>> {
  const entries = await Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const c = await queue(name).getJobCounts();
      const paused = await queue(name)
        .getPausedCount?.()
        .catch(() => 0);
      return [name, { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed, paused: paused ?? 0 }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<QueueName, QueueDepth>;
}

export async function closeQueues(): Promise<void> {
  const qs = [...(globalThis.__queues?.values() ?? [])];
  globalThis.__queues = undefined;
  await Promise.all(qs.map((q) => q.close()));
}
