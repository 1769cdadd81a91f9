// Rule memberships for a batch of friends: does each friend satisfy each rule's condition now?
// Segment rules are evaluated live by the segments module's SQL compiler; "linked" is
// Friend.customerId; intents are evaluated on customer facts.
// Nothing here reads the friend's current menu: that is what makes loops impossible.
import type { MenuRule } from "@prisma/client";
import { db } from "~/db.server";
import { evaluateIntent, type IntentFacts } from "~/domain/rich-menus/intents";
import { ruleIntent } from "~/db/rich-menus.server";
import { assertDefinition } from "~/domain/segments/schema";
import { compileDefinition, SEGMENT_FROM, SqlParams } from "~/domain/segments/compile-sql";
import { shopTimeZone } from "~/services/segments/facts.server";

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

/** Where segment memberships come from; the segments module may plug in live evaluation. */
export type SegmentMembershipSource = (
  shopId: number,
  segmentIds: number[],
  friendIds: number[],
) => Promise<Array<{ segmentId: number; friendId: number }>>;

/**
 * Default: live, in the database — each segment's definition compiled to SQL by the segments module
 * (compileDefinition) and asked for this batch of friends in one query per segment. A definition that
 * no longer parses matches nobody (the rule is skipped rather than failing the whole sync).
 */
export const liveSegmentSource: SegmentMembershipSource = async (shopId, segmentIds, friendIds) => {
  const [segments, timeZone] = await Promise.all([
    db().segment.findMany({ where: { shopId, id: { in: segmentIds } }, select: { id: true, definition: true } }),
    shopTimeZone(shopId),
  ]);
  const out: Array<{ segmentId: number; friendId: number }> = [];
  const now = new Date();
  for (const seg of segments) {
    let compiled: { sql: string; params: unknown[] };
    try {
      compiled = compileDefinition(assertDefinition(seg.definition), { now, timeZone, shopId });
    } catch {
      continue;
    }
    const p = new SqlParams(compiled.params);
    const rows = await db().$queryRawUnsafe<Array<{ id: number }>>(
      `SELECT f.id FROM ${SEGMENT_FROM} WHERE f."shopId" = $1::int AND f.id = ANY(${p.add(friendIds, "int[]")}) AND ${compiled.sql}`,
      ...p.values,
    );
    for (const r of rows) out.push({ segmentId: seg.id, friendId: r.id });
  }
  return out;
};

let segmentSource: SegmentMembershipSource = liveSegmentSource;

export function setSegmentMembershipSource(source: SegmentMembershipSource): void {
  segmentSource = source;
}

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
    const rows = await segmentSource(shop.id, segmentIds, friendIds);
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
