// Rule memberships for a batch of friends: does each friend satisfy each rule's condition now?
// Segment rules read the membership the segments module maintains (SegmentMembership: the one
// answer to "is this friend in this segment?", kept current by its reactions and time jobs; every
// change emits segment.entered / segment.left, whose reaction syncs the friend's menu); "linked" is
// Friend.customerId; intents are evaluated on customer facts.
// Nothing here reads the friend's current menu: that is what makes loops impossible.
import type { MenuRule } from "@prisma/client";
import { db } from "~/db.server";
import { evaluateIntent, type IntentFacts } from "~/domain/rich-menus/intents";
import { ruleIntent } from "~/db/rich-menus.server";
import { segmentMembersAmong } from "~/services/segments/memberships.server";

export interface MenuFriend {
  id: number;
  lineUserId: string;
  customerId: number | null;
  following: boolean;
  richMenuId: number | null;
  richMenuAssignedAt: Date | null;
  richMenuRuleId: number | null;
}

export const MENU_FRIEND_SELECT = {
  id: true,
  lineUserId: true,
  customerId: true,
  following: true,
  richMenuId: true,
  richMenuAssignedAt: true,
  richMenuRuleId: true,
} as const;

export interface Memberships {
  byFriend: Map<number, Map<number, boolean>>;
  /** Earliest time an intent answer flips by itself, per friend. */
  changesAt: Map<number, Date>;
}

export async function loadMemberships(
  shop: { id: number; timezone: string },
  rules: MenuRule[],
  friends: MenuFriend[],
  now: Date,
): Promise<Memberships> {
  const byFriend = new Map<number, Map<number, boolean>>(friends.map((f) => [f.id, new Map()]));
  const changesAt = new Map<number, Date>();
  const enabled = rules.filter((r) => r.enabled);
  const friendIds = friends.map((f) => f.id);

  const segmentIds = [...new Set(enabled.filter((r) => r.kind === "segment" && r.segmentId !== null).map((r) => r.segmentId as number))];
  if (segmentIds.length && friendIds.length) {
    const rows = await segmentMembersAmong(shop.id, segmentIds, friendIds);
    const members = new Set(rows.map((r) => `${r.segmentId}:${r.friendId}`));
    for (const r of enabled.filter((x) => x.kind === "segment"))
      for (const f of friends) byFriend.get(f.id)!.set(r.id, members.has(`${r.segmentId}:${f.id}`));
  }
  for (const r of enabled.filter((x) => x.kind === "linked")) for (const f of friends) byFriend.get(f.id)!.set(r.id, f.customerId !== null);

  const intentRules = enabled.filter((r) => r.kind === "intent" && ruleIntent(r));
  if (intentRules.length) {
    const customerIds = friends.map((f) => f.customerId).filter((x): x is number => x !== null);
    const customers = customerIds.length
      ? await db().customer.findMany({
          where: { shopId: shop.id, id: { in: customerIds } },
          select: { id: true, shopifyCustomerId: true, abandonedCheckoutAt: true, lastDeliveredAt: true, tags: true, birthMonth: true },
        })
      : [];
    const byCustomer = new Map(customers.map((c) => [c.id, c]));
    const rebuys = new Map<bigint, IntentFacts["rebuys"]>();
    if (intentRules.some((r) => ruleIntent(r)?.type === "reorderDue") && customers.length) {
      const cps = await db().customerProduct.findMany({
        where: { shopId: shop.id, shopifyCustomerId: { in: customers.map((c) => c.shopifyCustomerId) } },
        select: { shopifyCustomerId: true, productId: true, lastPurchasedAt: true, rebuyIntervalDays: true },
      });
      const medians = cps.length
        ? new Map(
            (
              await db().productRebuy.findMany({ where: { shopId: shop.id, productId: { in: [...new Set(cps.map((c) => c.productId))] } } })
            ).map((p) => [p.productId, p.medianIntervalDays]),
          )
        : new Map<bigint, number>();
      for (const cp of cps) {
        const list = rebuys.get(cp.shopifyCustomerId) ?? [];
        list.push({ lastPurchasedAt: cp.lastPurchasedAt, intervalDays: cp.rebuyIntervalDays ?? medians.get(cp.productId) ?? null });
        rebuys.set(cp.shopifyCustomerId, list);
      }
    }
    for (const f of friends) {
      const c = f.customerId !== null ? byCustomer.get(f.customerId) : undefined;
      const facts: IntentFacts = {
        linked: f.customerId !== null,
        abandonedCheckoutAt: c?.abandonedCheckoutAt ?? null,
        lastDeliveredAt: c?.lastDeliveredAt ?? null,
        tags: c?.tags ?? [],
        birthMonth: c?.birthMonth ?? null,
        rebuys: c ? (rebuys.get(c.shopifyCustomerId) ?? []) : [],
        timezone: shop.timezone,
      };
      for (const r of intentRules) {
        const res = evaluateIntent(ruleIntent(r)!, facts, now);
        byFriend.get(f.id)!.set(r.id, res.matches);
        if (res.changesAt && (!changesAt.has(f.id) || res.changesAt < changesAt.get(f.id)!)) changesAt.set(f.id, res.changesAt);
      }
    }
  }
  return { byFriend, changesAt };
}
