// Linking a LINE friend to a Shopify customer (rules: docs/linking.md). One friend ↔ one customer
// per shop (unique Friend(shopId, customerId)); the last link wins and every change is recorded in
// LinkHistory. All link changes of a shop take one advisory lock, so two links racing for the same
// customer or friend serialize instead of tripping the unique constraint.
import type { Friend } from "@prisma/client";
import { db } from "~/db.server";
import { lockKeys, TX_OPTIONS, type Tx } from "~/db/customers.server";
import { linkReplacesExisting, planLink, type LinkPlan, type LinkSource } from "~/domain/linking/linking";
import { childLogger } from "~/adapters/logger.server";
import { emit } from "~/reactions.server";

export type LinkOutcome = "linked" | "relinked" | "unchanged";
export type UnlinkSource = "merchant" | "shopper" | "redact";

export const linkLockKey = (shopId: number) => `links:${shopId}`;

/** A link may name a customer we have not ingested yet: a bare row, facts filled by ingestion later. */
async function ensureCustomer(tx: Tx, shopId: number, shopifyCustomerId: bigint) {
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
  /**
   * What the link may replace, decided under the link lock (so a link made after the caller looked
   * counts too); otherwise LinkReplaceRefused is thrown and nothing changes. "any" (default: imports,
   * confirmed flows); "nothing": neither take the customer from another LINE user nor move the LINE
   * user off another customer; "own-link": the LINE user may leave its previous customer, but no
   * other LINE user loses this customer (a guest checkout after confirmation).
   */
  replace?: "any" | "nothing" | "own-link";
  now?: Date;
}

/** Thrown by linkInTx when `allowReplace: false` and the link would replace an existing one. */
export class LinkReplaceRefused extends Error {
  constructor(readonly plan: LinkPlan) {
    super("the link would replace an existing link");
  }
}

/**
 * What linking would do now (read-only, no lock): the caller decides whether to ask the LINE user
 * to confirm a replacement first. The link itself re-plans under the lock.
 */
export async function previewLink(shopId: number, lineUserId: string, shopifyCustomerId: bigint): Promise<LinkPlan> {
  const [friend, customer] = await Promise.all([
    db().friend.findUnique({ where: { shopId_lineUserId: { shopId, lineUserId } }, select: { id: true, customerId: true } }),
    db().customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } }, select: { id: true } }),
  ]);
  const holder = customer
    ? await db().friend.findUnique({ where: { shopId_customerId: { shopId, customerId: customer.id } }, select: { id: true } })
    : null;
  // -1 / -2 stand for rows that do not exist yet: a new friend, a customer nobody holds.
  return planLink(friend?.id ?? -1, customer?.id ?? -2, {
    friendCustomerId: friend?.customerId ?? null,
    customerHolderFriendId: holder?.id ?? null,
  });
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
  if (input.replace === "nothing" && linkReplacesExisting(plan)) throw new LinkReplaceRefused(plan);
  if (input.replace === "own-link" && plan.unlinkHolderFriendId !== null) throw new LinkReplaceRefused(plan);

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
  if (result.outcome !== "unchanged")
    await afterLinkChange(
      input.shopId,
      { linked: { friendId: result.friendId, source: input.source }, unlinked: [result.unlinkedFriendId] },
      input.now,
    );
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
  if (outcome === "unlinked") await afterLinkChange(shopId, { unlinked: [friendId] }, now);
  return outcome;
}

/**
 * customers/redact and customers/delete: the customer's link goes (the friend stays a friend), in
 * the caller's transaction (the facts are erased with it); a no-op when nobody is linked. Takes
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
 * After the commit: emit friend.linked / friend.unlinked (their reactions — segments, menus,
 * account_linked tag rules, open carts — are in app/reactions.server.ts). Best effort: the link is
 * what must not be lost, and a request that linked must not fail on the queue; the hourly menu
 * reconciliation and segment refreshes repair a missed follow-up.
 */
export async function afterLinkChange(
  shopId: number,
  change: { linked?: { friendId: number; source: LinkSource }; unlinked?: Array<number | null> },
  now = new Date(),
) {
  const log = childLogger({ shopId });
  const events: Array<() => Promise<void>> = [];
  if (change.linked) {
    const { friendId, source } = change.linked;
    events.push(() => emit("friend.linked", { shopId, friendId, source }, `${friendId}:${now.getTime()}`));
  }
  for (const friendId of change.unlinked ?? [])
    if (friendId !== null) events.push(() => emit("friend.unlinked", { shopId, friendId }, `${friendId}:${now.getTime()}`));
  for (const e of events)
    try {
      await e();
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, "follow-up after link change failed");
    }
}
