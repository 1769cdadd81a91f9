// Linking a LINE friend to a Shopify customer (rules: docs/linking.md). One friend ↔ one customer
// per shop (unique Friend(shopId, customerId)); the last link wins and every change is recorded in
// LinkHistory. All link changes of a shop take one advisory lock, so two links racing for the same
// customer or friend serialize instead of tripping the unique constraint.
import type { Friend } from "@prisma/client";
import { db } from "~/db.server";
import { lockKeys, TX_OPTIONS, type Tx } from "~/db/customers.server";
import { planLink, type LinkSource } from "~/domain/linking/linking";
import { childLogger } from "~/adapters/logger.server";

export type LinkOutcome = "linked" | "relinked" | "unchanged";
export type UnlinkSource = "merchant" | "shopper" | "redact";

export const linkLockKey = (shopId: number) => `links:${shopId}`;

/** A link may name a customer we have not ingested yet: a bare row, facts filled by ingestion later. */
export async function ensureCustomer(tx: Tx, shopId: number, shopifyCustomerId: bigint) {
  return tx.customer.upsert({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    create: { shopId, shopifyCustomerId },
    update: {},
  });
}

export interface LinkInput {
  shopId: number;
  lineUserId: string;
  shopifyCustomerId: bigint;
  source: LinkSource;
  shopifyOrderId?: bigint | null;
  now?: Date;
}

export interface LinkResult {
  outcome: LinkOutcome;
  friendId: number;
  customerId: number;
  /** Friend that held the customer before and was unlinked (last link wins). */
  unlinkedFriendId: number | null;
}

/** Inside the caller's transaction (which must hold linkLockKey). */
export async function linkInTx(tx: Tx, input: LinkInput): Promise<LinkResult> {
  const now = input.now ?? new Date();
  const { shopId } = input;
  const customer = await ensureCustomer(tx, shopId, input.shopifyCustomerId);
  // A friend we have not seen a follow for yet (login before the follow webhook, CSV import).
  const friend = await tx.friend.upsert({
    where: { shopId_lineUserId: { shopId, lineUserId: input.lineUserId } },
    create: {
      shopId,
      lineUserId: input.lineUserId,
      following: input.source !== "import",
      ...(input.source === "import" ? { importedAt: now } : {}),
    },
    update: {},
  });
  const holder = await tx.friend.findUnique({ where: { shopId_customerId: { shopId, customerId: customer.id } }, select: { id: true } });
  const plan = planLink(friend.id, customer.id, { friendCustomerId: friend.customerId, customerHolderFriendId: holder?.id ?? null });
  if (plan.outcome === "unchanged") return { outcome: "unchanged", friendId: friend.id, customerId: customer.id, unlinkedFriendId: null };

  if (plan.unlinkHolderFriendId !== null) {
    await tx.friend.update({ where: { id: plan.unlinkHolderFriendId }, data: { customerId: null, linkedAt: null, linkSource: null } });
    await tx.linkHistory.create({
      data: {
        shopId,
        friendId: plan.unlinkHolderFriendId,
        shopifyCustomerId: input.shopifyCustomerId,
        action: "moved_away",
        source: input.source,
        at: now,
      },
    });
  }
  await tx.friend.update({ where: { id: friend.id }, data: { customerId: customer.id, linkedAt: now, linkSource: input.source } });
  await tx.linkHistory.create({
    data: { shopId, friendId: friend.id, shopifyCustomerId: input.shopifyCustomerId, action: "linked", source: input.source, at: now },
  });
  if (input.source !== "import")
    await tx.linkFunnelEvent.create({
      data: { shopId, kind: "linked", source: input.source, shopifyOrderId: input.shopifyOrderId ?? null, at: now },
    });
  return { outcome: plan.outcome, friendId: friend.id, customerId: customer.id, unlinkedFriendId: plan.unlinkHolderFriendId };
}

export async function linkFriendToCustomer(input: LinkInput): Promise<LinkResult> {
  const result = await db().$transaction(async (tx) => {
    await lockKeys(tx, [linkLockKey(input.shopId)]);
    return linkInTx(tx, input);
  }, TX_OPTIONS);
  if (result.outcome !== "unchanged") await afterLinkChange(input.shopId, [result.friendId, result.unlinkedFriendId], "account_linked");
  return result;
}

/** Unlink one friend (merchant from the Friends page / CLI, or the shopper from LINE). */
export async function unlinkFriend(
  shopId: number,
  friendId: number,
  source: UnlinkSource,
  now = new Date(),
): Promise<"unlinked" | "not-linked"> {
  const outcome = await db().$transaction(async (tx) => {
    await lockKeys(tx, [linkLockKey(shopId)]);
    const friend = await tx.friend.findFirst({ where: { id: friendId, shopId } });
    if (!friend?.customerId) return "not-linked" as const;
    await unlinkRow(tx, friend, source, now);
    return "unlinked" as const;
  }, TX_OPTIONS);
  if (outcome === "unlinked") await afterLinkChange(shopId, [friendId], null);
  return outcome;
}

/**
 * customers/redact and customers/delete: the customer's link goes (the friend stays a friend).
 * Called by the Shopify ingestion side; a no-op when nobody is linked.
 */
export async function unlinkCustomer(
  shopId: number,
  shopifyCustomerId: bigint,
  now = new Date(),
): Promise<{ unlinkedFriendId: number | null }> {
  const friendId = await db().$transaction((tx) => unlinkCustomerInTx(tx, shopId, shopifyCustomerId, now), TX_OPTIONS);
  if (friendId) await afterLinkChange(shopId, [friendId], null);
  return { unlinkedFriendId: friendId };
}

/**
 * The same inside the caller's transaction (customers/redact erases facts and link together). Takes
 * the shop's link lock; link code never takes customer locks, so callers holding one cannot deadlock.
 * Returns the unlinked friend's id; the caller should run afterLinkChange for it after commit.
 */
export async function unlinkCustomerInTx(tx: Tx, shopId: number, shopifyCustomerId: bigint, now = new Date()): Promise<number | null> {
  await lockKeys(tx, [linkLockKey(shopId)]);
  // The redacted customer id must not survive in our history either.
  await tx.linkHistory.updateMany({ where: { shopId, shopifyCustomerId }, data: { shopifyCustomerId: null } });
  const customer = await tx.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    select: { id: true },
  });
  if (!customer) return null;
  const friend = await tx.friend.findUnique({ where: { shopId_customerId: { shopId, customerId: customer.id } } });
  if (!friend) return null;
  await tx.friend.update({ where: { id: friend.id }, data: { customerId: null, linkedAt: null, linkSource: null } });
  await tx.linkHistory.create({
    data: { shopId, friendId: friend.id, shopifyCustomerId: null, action: "unlinked", source: "redact", at: now },
  });
  return friend.id;
}

async function unlinkRow(tx: Tx, friend: Friend, source: UnlinkSource, now: Date) {
  const customer = friend.customerId
    ? await tx.customer.findUnique({ where: { id: friend.customerId }, select: { shopifyCustomerId: true } })
    : null;
  await tx.friend.update({ where: { id: friend.id }, data: { customerId: null, linkedAt: null, linkSource: null } });
  await tx.linkHistory.create({
    data: {
      shopId: friend.shopId,
      friendId: friend.id,
      shopifyCustomerId: customer?.shopifyCustomerId ?? null,
      action: "unlinked",
      source,
      at: now,
    },
  });
}

/**
 * Facts of the friends changed (they gained or lost a customer): menus, segments, tag rules and open
 * carts follow. Best effort after the commit — the link itself is what must not be lost; the hourly
 * menu reconciliation and segment refreshes repair a missed follow-up.
 */
export async function afterLinkChange(shopId: number, friendIds: Array<number | null>, tagTrigger: "account_linked" | null) {
  const log = childLogger({ shopId });
  const ids = friendIds.filter((id): id is number => id !== null);
  for (const friendId of ids) {
    try {
      const [{ requestMenuSync }, { enqueue }] = await Promise.all([
        import("~/services/rich-menus/sync.server"),
        import("~/adapters/queue/queues.server"),
      ]);
      await requestMenuSync(shopId, friendId);
      await enqueue(
        "segments.reevaluate-friend",
        { shopId, friendId },
        { jobId: `segments.reevaluate:${shopId}:${friendId}:link:${Date.now()}` },
      );
    } catch (err) {
      log.warn({ friendId, err: err instanceof Error ? err.message : String(err) }, "follow-up after link change failed");
    }
  }
  if (tagTrigger && ids[0] !== undefined) {
    try {
      const { applyTagRules } = await import("~/services/tags/tags.server");
      await applyTagRules({ shopId, friendId: ids[0], kind: tagTrigger, values: [] });
      const { onFriendLinked } = await import("~/services/automations/abandoned-cart.server");
      await onFriendLinked(shopId, ids[0]);
    } catch (err) {
      log.warn({ friendId: ids[0], err: err instanceof Error ? err.message : String(err) }, "link tag rules / carts failed");
    }
  }
}
