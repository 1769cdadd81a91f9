// Job name → payload schema + processor. Processors are as thin as routes: parse, call a service.
// Which events enqueue the reaction jobs below is declared in app/reactions.server.ts.
import { z } from "zod";
import type { Job } from "bull";
import { PROVIDERS } from "~/domain/integrations/types";
import { currentJobName, type JobName, type JobPayloads } from "~/adapters/queue/queues.server";
import { BATCH_MAX, enqueueStrandedBatches, forFriendsOrPending } from "~/adapters/queue/friend-batches.server";
import { processDelivery } from "~/services/shopify-webhook-processing.server";
import { sweepUnprocessedDeliveries } from "~/services/webhook-deliveries.server";
import { sweepUnqueuedLineEvents } from "~/services/line-events/receive.server";
import { purgeExpiredLineEvents } from "~/services/ingestion/compliance.server";
import { env } from "~/config/env.server";
import { requestCustomerMenuSync, syncFriendMenu, syncFriendMenus } from "~/services/rich-menus/sync.server";
import { failApplyRun, runApply } from "~/services/rich-menus/apply.server";
import { reconcileAllShops, reconcileShop } from "~/services/rich-menus/reconcile.server";
import { runBackfillPoll, runBackfillStart, startBackfill } from "~/services/ingestion/backfill.server";
import { syncShopSettings } from "~/services/shops.server";

import { pickAbWinner } from "~/services/broadcasts/broadcasts.server";
import { prepareBroadcast, resumeStalledBroadcasts, sendBatch } from "~/services/broadcasts/delivery.server";
import { onFriendFollowed, onSegmentEntered, runLifecycleScan, sendLifecycleReminder } from "~/services/automations/lifecycle.server";
import {
  failReminder,
  onFriendLinked,
  reconcileCustomerCarts,
  reconcileFriendsCarts,
  sendAbandonedCartReminder,
  sendDueCartReminders,
  sweepOverdueReminders,
} from "~/services/automations/abandoned-cart.server";
import {
  refreshCustomerMemberships,
  refreshFriendMemberships,
  refreshFriendsMemberships,
  refreshShopSegments,
} from "~/services/segments/memberships.server";
import { attributeCustomerOrders } from "~/services/roi/attribution.server";
import { mirrorShopifyConsent } from "~/services/consent/consent.server";
import { applyTagRules } from "~/services/tags/tags.server";
import { processLineEvent } from "~/services/line-events/process.server";
import { refreshFriendProfile } from "~/services/line-events/profile.server";
import { runIntegrationSync, sweepIntegrationSyncs } from "~/services/integrations/sync.server";
import { drainWriteBack, queueFriendWriteBack } from "~/services/integrations/write-back.server";
import { sweepLineEvents } from "~/services/integrations/line-events.server";
import { matchCustomerContacts, matchFriendContacts, matchSyncedContacts, reevaluateFriends } from "~/services/integrations/match.server";

type Processor<N extends JobName> = {
  schema: z.ZodType<JobPayloads[N]>;
  run: (data: JobPayloads[N], job: Job) => Promise<unknown>;
};

const id = z.number().int().positive();
const shopifyId = z.string().regex(/^\d+$/);
const customerRef = z.object({ shopId: id, shopifyCustomerId: shopifyId });
const friendRef = z.object({ shopId: id, friendId: id });
const epochMs = z.number().int().nonnegative();
/** A batched job's payload (app/adapters/queue/friend-batches.server.ts): the friends, or the shop's pending ones. */
const friendsOrPending = z.union([
  z.object({ shopId: id, friendIds: z.array(id).min(1).max(BATCH_MAX) }),
  z.object({ shopId: id, pending: z.literal(true) }),
]);

export const processors: { [N in JobName]: Processor<N> } = {
  "broadcasts.prepare": {
    schema: z.object({ broadcastId: id, resume: z.string().max(40).optional() }),
    run: ({ broadcastId, resume }) => prepareBroadcast(broadcastId, new Date(), resume),
  },
  "broadcasts.send-batch": {
    schema: z.object({ batchId: id }),
    run: ({ batchId }) => sendBatch(batchId),
  },
  "broadcasts.resume-stalled": {
    schema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    run: () => resumeStalledBroadcasts(),
  },
  "broadcasts.pick-winner": {
    schema: z.object({ broadcastId: id }),
    run: ({ broadcastId }) => pickAbWinner(broadcastId),
  },
  "automations.scan-lifecycle": {
    schema: z.object({ shopId: id.optional() }),
    run: ({ shopId }) => runLifecycleScan({ shopId }),
  },
  "automations.send-lifecycle-reminder": {
    schema: z.object({ reminderId: id }),
    run: ({ reminderId }) => sendLifecycleReminder(reminderId),
  },
  "automations.send-cart-reminder": {
    schema: z.object({ reminderId: id }),
    run: async ({ reminderId }, job) => {
      try {
        return await sendAbandonedCartReminder(reminderId);
      } catch (err) {
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
          await failReminder(reminderId, err instanceof Error ? err.message : String(err));
        throw err;
      }
    },
  },
  "automations.send-due-cart-reminders": {
    schema: z.object({ shopId: id, dueBy: epochMs.optional() }),
    run: ({ shopId, dueBy }) => sendDueCartReminders(shopId, new Date(), dueBy),
  },
  "automations.check-friends-carts": {
    schema: friendsOrPending,
    run: (d) => forFriendsOrPending("automations.check-friends-carts", d, (ids) => reconcileFriendsCarts(d.shopId, ids)),
  },
  "automations.check-customer-carts": {
    schema: customerRef,
    run: ({ shopId, shopifyCustomerId }) => reconcileCustomerCarts(shopId, BigInt(shopifyCustomerId)),
  },
  "webhooks.process-delivery": {
    schema: z.object({ deliveryId: id }),
    run: ({ deliveryId }) => processDelivery(deliveryId),
  },
  "line-events.process-event": {
    schema: z.object({ eventId: id }),
    run: ({ eventId }) => processLineEvent(eventId),
  },
  "line-events.refresh-profile": {
    schema: z.object({ shopId: id, friendId: id }),
    run: ({ shopId, friendId }) => refreshFriendProfile(shopId, friendId),
  },
  "webhooks.sweep-unprocessed": {
    schema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    run: async () => {
      const now = new Date();
      const shopify = await sweepUnprocessedDeliveries(now);
      const line = await sweepUnqueuedLineEvents(now);
      const reminders = await sweepOverdueReminders(now);
      const lineEventsPurged = await purgeExpiredLineEvents(now, env().LINE_EVENT_RETENTION_DAYS);
      const friendBatchesRequeued = await enqueueStrandedBatches(now.getTime());
      return { ...shopify, lineEventsRequeued: line, remindersRequeued: reminders, lineEventsPurged, friendBatchesRequeued };
    },
  },
  "rich-menus.sync-friends": {
    schema: friendsOrPending,
    run: (d) =>
      forFriendsOrPending("rich-menus.sync-friends", d, async (ids) => {
        const out = await syncFriendMenus(d.shopId, ids);
        // A batch of pending friends answers counts by outcome (the job's return value stays small).
        if (!("pending" in d)) return Object.fromEntries(out);
        const counts: Record<string, number> = {};
        for (const { outcome } of out.values()) counts[outcome] = (counts[outcome] ?? 0) + 1;
        return counts;
      }),
  },
  "rich-menus.sync-friend": {
    schema: z.object({ shopId: id, friendId: id }),
    run: ({ shopId, friendId }) => syncFriendMenu(shopId, friendId),
  },
  "rich-menus.apply-rules": {
    schema: z.object({ shopId: id, runId: id }),
    run: async ({ shopId, runId }, job) => {
      try {
        return await runApply(shopId, runId);
      } catch (err) {
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await failApplyRun(runId, err instanceof Error ? err.message : String(err));
        throw err;
      }
    },
  },
  "rich-menus.reconcile": {
    schema: z.object({ shopId: id.optional() }),
    run: ({ shopId }) => (shopId ? reconcileShop(shopId) : reconcileAllShops()),
  },
  "shops.sync-settings": {
    schema: z.object({ shopDomain: z.string().min(1) }),
    run: ({ shopDomain }) => syncShopSettings(shopDomain),
  },
  "ingestion.start-backfill": {
    schema: z.object({ runId: id }),
    run: ({ runId }) => runBackfillStart(runId),
  },
  "ingestion.poll-backfill": {
    schema: z.object({ runId: id }),
    run: ({ runId }) => runBackfillPoll(runId),
  },
  "segments.reevaluate-friend": {
    schema: z.object({ shopId: id, friendId: id }),
    run: ({ shopId, friendId }) => refreshFriendMemberships(shopId, friendId),
  },
  "segments.refresh-memberships": {
    schema: z.object({ shopId: id, segmentId: id.optional() }),
    run: ({ shopId, segmentId }) => refreshShopSegments(shopId, segmentId),
  },
  // Reactions (app/reactions.server.ts).
  "ingestion.request-backfill": {
    schema: z.object({ shopDomain: z.string().min(1).max(255) }),
    run: ({ shopDomain }) => startBackfill(shopDomain),
  },
  "integrations.match-contacts": {
    schema: z.object({
      shopId: id,
      provider: z.enum(PROVIDERS),
      externalIds: z.array(z.string().min(1).max(255)).max(10_000),
      friendIds: z.array(id).max(10_000).optional(),
    }),
    run: ({ shopId, provider, externalIds, friendIds }) => matchSyncedContacts(shopId, provider, externalIds, friendIds),
  },
  "integrations.match-friend": {
    schema: z.object({ shopId: id, friendId: id }),
    run: ({ shopId, friendId }) => matchFriendContacts(shopId, friendId),
  },
  "integrations.match-customer": {
    schema: customerRef,
    run: ({ shopId, shopifyCustomerId }) => matchCustomerContacts(shopId, BigInt(shopifyCustomerId)),
  },
  "integrations.reevaluate-friends": {
    schema: z.object({ shopId: id, friendIds: z.array(id).max(1_000_000) }),
    run: ({ shopId, friendIds }) => reevaluateFriends(shopId, friendIds),
  },
  "segments.reevaluate-friends": {
    schema: friendsOrPending,
    run: (d) => forFriendsOrPending("segments.reevaluate-friends", d, (ids) => refreshFriendsMemberships(d.shopId, ids)),
  },
  // Jobs of the next two names are no longer enqueued (queues.server.ts); processed if still queued.
  "segments.reevaluate-customer": {
    schema: customerRef,
    run: ({ shopId, shopifyCustomerId }) => refreshCustomerMemberships(shopId, BigInt(shopifyCustomerId)),
  },
  "rich-menus.sync-customer": {
    schema: customerRef,
    run: ({ shopId, shopifyCustomerId }) => requestCustomerMenuSync(shopId, BigInt(shopifyCustomerId)),
  },
  "roi.attribute-orders": {
    schema: customerRef,
    run: ({ shopId, shopifyCustomerId }) => attributeCustomerOrders(shopId, BigInt(shopifyCustomerId)),
  },
  "consent.mirror-shopify": {
    schema: customerRef,
    run: ({ shopId, shopifyCustomerId }) => mirrorShopifyConsent(shopId, BigInt(shopifyCustomerId)),
  },
  "automations.check-friend-carts": {
    schema: friendRef,
    run: ({ shopId, friendId }) => onFriendLinked(shopId, friendId),
  },
  "automations.welcome-friend": {
    schema: friendRef.extend({ at: epochMs }),
    run: ({ shopId, friendId, at }) => onFriendFollowed(shopId, friendId, new Date(at)),
  },
  "automations.win-back-friend": {
    schema: friendRef.extend({ segmentId: id, at: epochMs }),
    run: ({ shopId, friendId, segmentId, at }) => onSegmentEntered({ shopId, friendId, segmentId, kind: "entered", at: new Date(at) }),
  },
  "tags.apply-rules": {
    schema: friendRef.extend({
      kind: z.enum(["segment_enter", "segment_leave", "account_linked"]),
      values: z.array(z.string().max(100)).max(10),
      hops: z.number().int().min(0).max(100),
    }),
    run: (e) => applyTagRules(e),
  },
  "integrations.sync": {
    schema: z.object({
      shopId: id,
      provider: z.enum(PROVIDERS),
      kind: z.enum(["full", "incremental"]).optional(),
      runId: id.optional(),
      requestedAt: epochMs.optional(),
    }),
    run: (e) => runIntegrationSync(e),
  },
  "integrations.sweep-syncs": {
    schema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    run: () => sweepIntegrationSyncs(),
  },
  "integrations.write-back": {
    schema: z.object({ shopId: id, provider: z.enum(PROVIDERS) }),
    run: ({ shopId, provider }) => drainWriteBack(shopId, provider),
  },
  "integrations.queue-write-back": {
    schema: friendRef.extend({ source: z.string().max(40) }),
    run: (e) => queueFriendWriteBack(e),
  },
  "integrations.queue-line-events": {
    schema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    run: () => sweepLineEvents(new Date()),
  },
};

/** Runs a job by its name; a job stored under an old name (JOB_ALIASES) runs as its current name. */
export async function dispatch(job: Job): Promise<unknown> {
  const processor = processors[currentJobName(job.name) as JobName] as Processor<JobName> | undefined;
  if (!processor) throw new Error(`No processor for job ${job.name}`);
  const parsed = processor.schema.safeParse(job.data);
  if (!parsed.success) {
    // A malformed job can never succeed: fail it without retries.
    await job.discard();
    throw new Error(`Invalid payload for ${job.name}: ${parsed.error.message}`);
  }
  return processor.run(parsed.data, job);
}
