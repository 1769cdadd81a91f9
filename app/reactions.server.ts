// Every event → every reaction, in one place. Read it top to bottom to know what happens after an
// event, in every process (web, worker, CLI, sandbox): emitting an event enqueues the jobs listed
// for it, nothing else. There is no in-process bus and no subscriber registered by importing a
// module, so a process that emits an event never depends on which other modules it loaded.
//
// Rules:
// - Emit after the change is committed (the reacting job reads the database, not the event).
// - Event payloads are ids and small values (they become job data: no PII).
// - Each reaction job's id is `<job>:<event type>:<event key>`: re-emitting the same event (a retried
//   job, a redelivered webhook recorded under the same key) enqueues nothing new while Bull still
//   remembers the job. The database still decides "processed once"; every reaction is idempotent.
// - A reaction that must only follow some events of a type says so in `when`.
// - A reaction whose job is set-based (one run for many friends) and asked for once per friend in a
//   burst is marked `batched`: emit adds the friends to the shop's pending set and one job per shop
//   and second runs them all (app/adapters/queue/friend-batches.server.ts). It runs up to a second
//   later, and once for a friend that changed many times in that second.
// - A reaction that only matters to a shop with HubSpot / Klaviyo connected is marked
//   `integration`: emit asks the database once whether the shop has a connection (one indexed
//   read, cheaper than the job it saves) and enqueues it only then. A connection made later starts
//   with a full sync, which matches every contact against the customers and friends of that time.
//
// Processors live in app/jobs/registry.server.ts (one per job name), like every other job.
import type { JobOptions } from "bull";
import { enqueue, type BatchedJob, type JobName, type JobPayloads } from "~/adapters/queue/queues.server";
import { addPendingFriends } from "~/adapters/queue/friend-batches.server";
import { hotPool } from "~/db.server";

/** The events of the app. Times are epoch milliseconds; Shopify ids are decimal strings (JSON). */
export interface Events {
  /** The app was installed (first time or again after an uninstall): Shopify's afterAuth hook. */
  "shop.installed": { shopId: number; shopDomain: string };
  /** A customer's facts were recomputed and committed (ingestion: webhook, backfill, erasure). */
  "customer.facts-changed": {
    shopId: number;
    shopifyCustomerId: string;
    /** Why: the Shopify topic ("orders/create", "checkouts/update", …), "backfill", "customers/redact". */
    cause: string;
    /** false when the customer's rows were erased (customers/delete, customers/redact). */
    exists: boolean;
    /**
     * The LINE friends linked to the customer when the facts were committed (usually none or one).
     * A friend linked or unlinked later has its own friend.linked / friend.unlinked reactions.
     */
    friendIds: number[];
  };
  /** A LINE follow event was applied (first follow or unblock). */
  "friend.followed": { shopId: number; friendId: number; isNew: boolean; at: number };
  /** A LINE unfollow (block) was applied. */
  "friend.unfollowed": { shopId: number; friendId: number };
  /** A friend was linked to a Shopify customer; `source` as in LinkHistory ("import" for CSV). */
  "friend.linked": { shopId: number; friendId: number; source: string };
  /** A friend lost its customer link (merchant, shopper, redaction, or another friend took it). */
  "friend.unlinked": { shopId: number; friendId: number };
  /** Marketing consent changed (ConsentEvent written). */
  "friend.consent-changed": { shopId: number; friendId: number; optedOut: boolean };
  /**
   * A friend entered / left a segment (SegmentMembership row inserted / deleted). `hops` counts
   * the tag rules that led here in one causation chain (0 for a fact change), so rules that undo
   * each other stop after a few hops even though each hop runs as its own job.
   */
  "segment.entered": { shopId: number; friendId: number; segmentId: number; at: number; hops: number };
  "segment.left": { shopId: number; friendId: number; segmentId: number; at: number; hops: number };
  /** A batch of abandoned-cart reminders was sent (their friends may now see the cart menu). */
  "cart.reminders-sent": { shopId: number; friendIds: number[]; switchMenu: boolean };
  /** A reminded cart was completed by an order or recovered (the cart menu goes away). */
  "cart.closed": { shopId: number; friendId: number; switchMenu: boolean };
  /**
   * A page of HubSpot contacts / Klaviyo profiles or of their list memberships was committed by the
   * sync engine; `externalIds` are the provider's ids of the contacts whose data changed.
   */
  "integration.contacts-synced": {
    shopId: number;
    provider: "hubspot" | "klaviyo";
    externalIds: string[];
    /** Friends of contacts the page deleted (a full sync's contacts gone from the provider). */
    friendIds?: number[];
  };
  /** A provider was disconnected and its rows deleted; `friendIds` were linked to its contacts. */
  "integration.disconnected": { shopId: number; provider: "hubspot" | "klaviyo"; friendIds: number[] };
}
export type EventType = keyof Events;

interface Reaction<E> {
  job: JobName;
  data: (e: E) => unknown;
  when?: (e: E) => boolean;
  /** Only for shops with a HubSpot / Klaviyo connection. */
  integration?: boolean;
  /** Gathered per shop for a second and run as one job (friend-batches.server.ts). */
  batched?: boolean;
}

function react<N extends JobName, E>(job: N, data: (e: NoInfer<E>) => JobPayloads[N], when?: (e: E) => boolean): Reaction<E> {
  return { job, data, when };
}

/** A set-based reaction run once for the friends that asked for it within a second (see the rules above). */
function reactBatched<N extends BatchedJob, E>(
  job: N,
  data: (e: NoInfer<E>) => { shopId: number; friendIds: number[] },
  when?: (e: E) => boolean,
): Reaction<E> {
  return { job, data, when, batched: true };
}

/** A reaction that only a shop with a HubSpot / Klaviyo connection needs (contacts to match or write back to). */
function reactIfIntegrated<N extends JobName, E>(job: N, data: (e: NoInfer<E>) => JobPayloads[N]): Reaction<E> {
  return { job, data, integration: true };
}

const friend = (e: { shopId: number; friendId: number }) => ({ shopId: e.shopId, friendId: e.friendId });
const friendList = (e: { shopId: number; friendId: number }) => ({ shopId: e.shopId, friendIds: [e.friendId] });
// Write-back of LINE status to the CRM contacts the friend is matched to (app/services/integrations).
const writeBack = (source: string) => (e: { shopId: number; friendId: number }) => ({ ...friend(e), source });
const customer = (e: Events["customer.facts-changed"]) => ({ shopId: e.shopId, shopifyCustomerId: e.shopifyCustomerId });
const linkedFriends = (e: Events["customer.facts-changed"]) => ({ shopId: e.shopId, friendIds: e.friendIds });
// Most of a shop's customers are not LINE friends: their fact changes need no segment or menu work.
const hasLinkedFriends = (e: Events["customer.facts-changed"]) => e.friendIds.length > 0;
const ordersOrCheckouts = (e: Events["customer.facts-changed"]) => e.exists && /^(orders\/|checkouts\/|order$|checkout$)/.test(e.cause);
const tagRule = (kind: "segment_enter" | "segment_leave") => (e: Events["segment.entered"]) => ({
  shopId: e.shopId,
  friendId: e.friendId,
  kind,
  values: [String(e.segmentId)],
  hops: e.hops,
});

/** The map. Order within a list does not matter: each reaction is its own job. */
export const REACTIONS: { [T in EventType]: Array<Reaction<Events[T]>> } = {
  "shop.installed": [
    // Pull the shop's history (customers, orders, abandoned checkouts) through bulk operations.
    react("ingestion.request-backfill", (e) => ({ shopDomain: e.shopDomain })),
  ],
  "customer.facts-changed": [
    // Segment memberships of the friends linked to the customer (an erased customer's friend was
    // unlinked first and left its segments through friend.unlinked).
    // Batched: a flash sale's orders ask for these once per customer, and one run serves many friends.
    reactBatched("segments.reevaluate-friends", linkedFriends, hasLinkedFriends),
    // Their rich menus (menu rules read facts directly, e.g. "purchased within 30 days").
    reactBatched("rich-menus.sync-friends", linkedFriends, hasLinkedFriends),
    // Abandoned-cart reminders: schedule, move, cancel, mark recovered. Reminders are the linked
    // friend's (a friend linked later is checked by friend.linked → automations.check-friend-carts).
    // Batched: a flash sale's checkouts are one run per shop and second.
    reactBatched("automations.check-friends-carts", linkedFriends, (e) => hasLinkedFriends(e) && ordersOrCheckouts(e)),
    // ROI: attribute new orders to the messages and links that led to them.
    react("roi.attribute-orders", customer, (e) => e.exists && (e.cause.startsWith("orders/") || e.cause === "order")),
    // HubSpot / Klaviyo contacts carrying this customer's email/phone hash (or matched to it before).
    reactIfIntegrated("integrations.match-customer", customer),
    // Mirror Shopify's marketing consent onto the linked friend (when the shop turned it on).
    react("consent.mirror-shopify", customer, (e) => hasLinkedFriends(e) && e.exists && e.cause.startsWith("customers/")),
  ],
  "friend.followed": [
    reactBatched("segments.reevaluate-friends", friendList), // friendAddedAt / following conditions
    reactBatched("rich-menus.sync-friends", friendList),
    react(
      "automations.welcome-friend",
      (e) => ({ ...friend(e), at: e.at }),
      (e) => e.isNew,
    ),
    reactIfIntegrated("integrations.queue-write-back", writeBack("line_follow")),
  ],
  "friend.unfollowed": [
    reactBatched("segments.reevaluate-friends", friendList), // `following` conditions and send exclusions
    reactIfIntegrated("integrations.queue-write-back", writeBack("line_unfollow")),
  ],
  "friend.linked": [
    reactBatched("segments.reevaluate-friends", friendList),
    reactBatched("rich-menus.sync-friends", friendList),
    // Linking by the shopper (not a merchant's CSV import) fires account_linked tag rules and picks
    // up the customer's open carts.
    react(
      "tags.apply-rules",
      (e) => ({ ...friend(e), kind: "account_linked", values: [], hops: 0 }),
      (e) => e.source !== "import",
    ),
    react("automations.check-friend-carts", friend, (e) => e.source !== "import"),
    reactIfIntegrated("integrations.queue-write-back", writeBack("linked")),
    // Contacts matched through the customer follow it to this friend.
    reactIfIntegrated("integrations.match-friend", friend),
  ],
  "friend.unlinked": [
    reactBatched("segments.reevaluate-friends", friendList),
    reactBatched("rich-menus.sync-friends", friendList),
    reactIfIntegrated("integrations.match-friend", friend),
  ],
  "friend.consent-changed": [
    reactBatched("segments.reevaluate-friends", friendList), // marketingConsent conditions and send exclusions
    reactIfIntegrated("integrations.queue-write-back", writeBack("consent")),
  ],
  "segment.entered": [
    react("tags.apply-rules", tagRule("segment_enter")),
    reactBatched("rich-menus.sync-friends", friendList),
    // Win-back when the segment is the shop's dormant segment.
    react("automations.win-back-friend", (e) => ({ ...friend(e), segmentId: e.segmentId, at: e.at })),
  ],
  "segment.left": [react("tags.apply-rules", tagRule("segment_leave")), reactBatched("rich-menus.sync-friends", friendList)],
  "cart.reminders-sent": [
    react(
      "rich-menus.sync-friends",
      (e) => ({ shopId: e.shopId, friendIds: e.friendIds }),
      (e) => e.switchMenu,
    ),
  ],
  "cart.closed": [reactBatched("rich-menus.sync-friends", friendList, (e) => e.switchMenu)],
  "integration.contacts-synced": [
    // Hashes, customer and friend of each contact, then the segments of their friends.
    react("integrations.match-contacts", (e) => ({
      shopId: e.shopId,
      provider: e.provider,
      externalIds: e.externalIds,
      ...(e.friendIds?.length ? { friendIds: e.friendIds } : {}),
    })),
  ],
  "integration.disconnected": [react("integrations.reevaluate-friends", (e) => ({ shopId: e.shopId, friendIds: e.friendIds }))],
};

/**
 * The jobs an event leads to (after `when`), with their data and job ids. Pure; used by emit and
 * tests. `integrated: false` (the shop has no HubSpot / Klaviyo connection) drops the reactions
 * marked `integration`. A `batched` one is not enqueued under `jobId`: emit adds its friends to the
 * shop's pending set instead.
 */
export function reactionsTo<T extends EventType>(
  type: T,
  event: Events[T],
  key: string,
  ctx: { integrated?: boolean } = {},
): Array<{ job: JobName; data: unknown; jobId: string; batched?: true }> {
  const list = REACTIONS[type] as Array<Reaction<Events[T]>>;
  return list
    .filter((r) => (!r.when || r.when(event)) && (!r.integration || ctx.integrated !== false))
    .map((r) => ({ job: r.job, data: r.data(event), jobId: `${r.job}:${type}:${key}`, ...(r.batched ? { batched: true as const } : {}) }));
}

/**
 * Whether the shop has a HubSpot / Klaviyo connection (any status: its contacts are still stored).
 * Asked on every customer fact change: a named statement on the hot-path pool (no query compiler).
 */
async function hasIntegration(shopId: number): Promise<boolean> {
  const { rows } = await hotPool().query<{ integrated: boolean }>({
    name: "shop-has-integration",
    text: `SELECT EXISTS (SELECT 1 FROM "IntegrationConnection" WHERE "shopId" = $1) AS integrated`,
    values: [shopId],
  });
  return rows[0]!.integrated;
}

/**
 * Emit an event: enqueue every reaction job (durable in Redis before this resolves). Call it after
 * the change is committed. `key` identifies this occurrence of the event (e.g. the LINE event row id,
 * the segment and instant of a transition) and makes re-emitting it harmless. Throws when Redis is
 * unreachable, so the caller's job fails and is retried instead of losing the reactions.
 */
export async function emit<T extends EventType>(type: T, event: Events[T], key: string, opts: JobOptions = {}): Promise<void> {
  const needsCheck = (REACTIONS[type] as Array<Reaction<Events[T]>>).some((r) => r.integration);
  const integrated = needsCheck ? await hasIntegration((event as { shopId: number }).shopId) : undefined;
  for (const r of reactionsTo(type, event, key, { integrated })) {
    if (r.batched) {
      const { shopId, friendIds } = r.data as { shopId: number; friendIds: number[] };
      await addPendingFriends(r.job as BatchedJob, shopId, friendIds);
    } else await enqueue(r.job, r.data as never, { ...opts, jobId: r.jobId });
  }
}
