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

/** Job name → payload (ids only; no PII in job data). */
export interface JobPayloads {
  // Broadcasts & lifecycle automations (app/services/broadcasts, app/services/automations/lifecycle*).
  "broadcast.prepare": { broadcastId: number; resume?: string };
  "broadcast.send-batch": { batchId: number };
  "broadcast.sweep": Record<string, never>;
  "broadcast.pick-winner": { broadcastId: number };
  "automations.lifecycle-scan": { shopId?: number };
  "automations.lifecycle-send": { reminderId: number };
  // Messaging & abandoned cart (app/services/automations/abandoned-cart.server.ts).
  "reminder.send": { reminderId: number };
  "automation.abandoned-cart.check": { shopId: number; shopifyCustomerId: string };
  "shopify.webhook": { deliveryId: number };
  "line.event": { eventId: number };
  // Linking / LINE events: fetch a friend's LINE profile (displayName, picture, language).
  "line.profile": { shopId: number; friendId: number };
  "webhooks.sweep": Record<string, never>;
  "rich-menu.sync-friend": { shopId: number; friendId: number };
  "menu.apply-rules": { shopId: number; runId: number };
  "menu.reconcile": { shopId?: number };
  "backfill.start": { runId: number };
  // Shop settings from Admin GraphQL when the read at install failed (app/services/shops.server.ts).
  "shop.sync-settings": { shopDomain: string };
  "backfill.poll": { runId: number };
  "segments.reevaluate-friend": { shopId: number; friendId: number };
  "segments.refresh": { shopId: number; segmentId?: number };
  // Reactions to events (app/reactions.server.ts).
  "backfill.request": { shopDomain: string };
  "segments.reevaluate-customer": { shopId: number; shopifyCustomerId: string };
  "rich-menu.sync-customer": { shopId: number; shopifyCustomerId: string };
  "roi.attribute-orders": { shopId: number; shopifyCustomerId: string };
  "consent.mirror-shopify": { shopId: number; shopifyCustomerId: string };
  "automation.abandoned-cart.check-friend": { shopId: number; friendId: number };
  "automations.welcome": { shopId: number; friendId: number; at: number };
  "automations.win-back": { shopId: number; friendId: number; segmentId: number; at: number };
  // Integrations (app/services/integrations): sync runs, their schedule, the write-back outbox.
  "integrations.sync": {
    shopId: number;
    provider: "hubspot" | "klaviyo";
    kind?: "full" | "incremental";
    runId?: number;
    requestedAt?: number;
  };
  "integrations.sync-sweep": Record<string, never>;
  "integrations.write-back": { shopId: number; provider: "hubspot" | "klaviyo" };
  "integrations.queue-write-back": { shopId: number; friendId: number; source: string };
  // Klaviyo events for LINE sends and clicks (app/services/integrations/line-events.server.ts).
  "integrations.line-events": Record<string, never>;
  // HubSpot / Klaviyo matching (app/services/integrations/match.server.ts), reactions to events.
  "integrations.match-contacts": { shopId: number; provider: "hubspot" | "klaviyo"; externalIds: string[] };
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
  "broadcast.prepare": "scheduled",
  "broadcast.send-batch": "line-outbound",
  "broadcast.sweep": "scheduled",
  "broadcast.pick-winner": "scheduled",
  "automations.lifecycle-scan": "scheduled",
  "automations.lifecycle-send": "line-outbound",
  "reminder.send": "line-outbound",
  "automation.abandoned-cart.check": "inbound",
  "shopify.webhook": "inbound",
  "line.event": "inbound",
  "line.profile": "line-outbound",
  "webhooks.sweep": "scheduled",
  "rich-menu.sync-friend": "line-outbound",
  "menu.apply-rules": "line-outbound",
  "menu.reconcile": "scheduled",
  "backfill.start": "inbound",
  "shop.sync-settings": "inbound",
  "backfill.poll": "scheduled",
  "segments.reevaluate-friend": "scheduled",
  "integrations.match-contacts": "inbound",
  "integrations.match-friend": "inbound",
  "integrations.match-customer": "inbound",
  "integrations.reevaluate-friends": "inbound",
  "segments.refresh": "scheduled",
  "backfill.request": "inbound",
  "segments.reevaluate-customer": "inbound",
  "rich-menu.sync-customer": "inbound",
  "roi.attribute-orders": "inbound",
  "consent.mirror-shopify": "inbound",
  "automation.abandoned-cart.check-friend": "inbound",
  "automations.welcome": "inbound",
  "automations.win-back": "inbound",
  "tags.apply-rules": "inbound",
  "integrations.sync": "scheduled",
  "integrations.sync-sweep": "scheduled",
  "integrations.write-back": "scheduled",
  "integrations.queue-write-back": "inbound",
  "integrations.line-events": "scheduled",
};

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

export async function enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts: JobOptions = {}) {
  return queue(JOB_QUEUE[name]).add(name, data, opts);
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
