// Poison segments: a definition that cannot be evaluated is refused before it is saved, and one
// stored anyway (saved by an older version, or broken by a later fault) fails alone: the shop's
// other segments keep their memberships current and the failing one shows its error to the merchant.
import { describe, expect, it } from "vitest";
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { uniqueShop } from "../support/shopify";
import { createSegment, listSegments, SegmentError, updateSegment } from "~/services/segments/segments.server";
import { refreshFriendMemberships, refreshSegment, refreshShopSegments } from "~/services/segments/memberships.server";
import { InvalidDefinitionError } from "~/domain/segments/schema";

const NOW = new Date("2026-03-10T03:00:00Z");
const one = (c: unknown) => ({ groups: [{ conditions: [c] }] });

async function shopWithBuyer(timezone = "Asia/Tokyo") {
  const shop = await db().shop.create({ data: { domain: uniqueShop("poison"), timezone } });
  const customer = await db().customer.create({
    data: {
      shopId: shop.id,
      shopifyCustomerId: BigInt(shop.id) * 1000n + 1n,
      purchaseCount: 4,
      lastPurchaseAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
  const friend = await db().friend.create({
    data: { shopId: shop.id, lineUserId: `Upoison${shop.id}`, followedAt: new Date("2025-01-01T00:00:00Z"), customerId: customer.id },
  });
  return { shop, friend };
}

/** A definition as an older version of the app could store it (no validation on the way in). */
function storeRaw(shopId: number, name: string, definition: unknown) {
  return db().segment.create({ data: { shopId, name, definition: definition as Prisma.InputJsonValue } });
}

const members = async (segmentId: number) => (await db().segmentMembership.findMany({ where: { segmentId } })).map((m) => m.friendId);

describe("poison segments", () => {
  it.each([
    [{ field: "daysSinceLastPurchase", op: "lte", value: 200_000_000 }],
    [{ field: "purchaseCount", op: "gte", value: 3_000_000_000 }],
  ])("refuses %j and saves nothing", async (c) => {
    const { shop } = await shopWithBuyer();
    await expect(createSegment(shop.id, { name: "Huge", definition: one(c) }, NOW, { refresh: "inline" })).rejects.toBeInstanceOf(
      InvalidDefinitionError,
    );
    expect(await db().segment.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("values at the limits are saved and counted against PostgreSQL", async () => {
    const { shop, friend } = await shopWithBuyer();
    const seg = await createSegment(
      shop.id,
      {
        name: "Limits",
        definition: {
          groups: [
            { conditions: [{ field: "daysSinceLastPurchase", op: "lte", value: 36_500 }] },
            { conditions: [{ field: "purchaseCount", op: "gte", value: 1_000_000_000 }] },
            { conditions: [{ field: "linkClicked", op: "lt", value: 1_000_000_000, linkId: 2_147_483_647, withinDays: 36_500 }] },
            { conditions: [{ field: "productPurchased", op: "hasAny", value: ["9223372036854775807"], withinDays: 36_500 }] },
            { conditions: [{ field: "abandonedCart", op: "is", value: false, minHours: 876_000, maxHours: 876_000 }] },
            { conditions: [{ field: "amountSpent", op: "gte", value: 999_999_999_999.99 }] },
          ],
        },
      },
      NOW,
      { refresh: "inline" },
    );
    expect(seg.memberCount).toBe(1);
    expect(await members(seg.id)).toEqual([friend.id]);
  });

  it("evaluates before saving: a definition the shop cannot evaluate is refused with the reason, nothing stored", async () => {
    // The shop's stored time zone is not one the runtime knows: every date bound fails to compute.
    const { shop } = await shopWithBuyer("Mars/Olympus_Mons");
    const err = await createSegment(
      shop.id,
      { name: "Recent", definition: one({ field: "daysSinceLastPurchase", op: "lte", value: 30 }) },
      NOW,
      { refresh: "inline" },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SegmentError);
    expect(err).toMatchObject({ field: "definition" });
    expect((err as Error).message).toMatch(/could not be evaluated/i);
    // The editor words it in the merchant's language from the code, not from this English message.
    expect(err).toMatchObject({ code: "notEvaluated" });
    expect(await db().segment.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("a stored poison segment fails alone: the others refresh, its error is recorded and shown, a fix clears it", async () => {
    const { shop, friend } = await shopWithBuyer();
    const poison = await storeRaw(shop.id, "Poison", one({ field: "daysSinceLastPurchase", op: "lte", value: 200_000_000 }));
    const overflow = await storeRaw(shop.id, "Overflow", one({ field: "purchaseCount", op: "gte", value: 3_000_000_000 }));
    const good = await createSegment(shop.id, { name: "Buyers", definition: one({ field: "purchaseCount", op: "gte", value: 1 }) }, NOW, {
      refresh: "inline",
    });
    const later = await storeRaw(shop.id, "Later", one({ field: "hasPurchased", op: "is", value: true }));

    // Whole-shop re-evaluation (the midnight sweep, a segment save): segments after the poison ones still refresh.
    const r = await refreshShopSegments(shop.id, undefined, NOW);
    expect(r.failed).toEqual([poison.id, overflow.id]);
    expect(await members(good.id)).toEqual([friend.id]);
    expect(await members(later.id)).toEqual([friend.id]);

    // Per-friend re-evaluation (facts changed) too.
    await db().segmentMembership.deleteMany({ where: { shopId: shop.id } });
    const f = await refreshFriendMemberships(shop.id, friend.id, NOW);
    expect(f.entered.sort()).toEqual([good.id, later.id].sort());

    // The list shows why a segment failed (recorded by the refreshes above).
    const rows = await listSegments(shop.id);
    const byId = new Map(rows.map((s) => [s.id, s]));
    expect(byId.get(good.id)).toMatchObject({ evaluationError: null });
    expect(byId.get(later.id)).toMatchObject({ evaluationError: null });
    expect(byId.get(poison.id)!.evaluationError).toMatch(/groups\[0\]\.conditions\[0\]\.value: At most 36,500 days/);
    expect(byId.get(overflow.id)!.evaluationError).toMatch(/At most 1,000,000,000/);
    expect(byId.get(poison.id)!.evaluationErrorAt).toEqual(NOW);
    // For the admin: codes and params (worded per language by segments.issue.*), no English.
    expect(byId.get(poison.id)!.evaluationIssues).toEqual({
      code: "invalidDefinition",
      issues: [{ path: "groups[0].conditions[0].value", code: expect.any(String), params: { max: 36_500 } }],
    });
    expect(JSON.stringify(byId.get(overflow.id)!.evaluationIssues)).not.toMatch(/At most/);
    expect(byId.get(good.id)!.evaluationIssues).toBeNull();

    // The merchant fixes it: saving a valid definition clears the error.
    await updateSegment(
      shop.id,
      poison.id,
      { name: "Poison", definition: one({ field: "daysSinceLastPurchase", op: "lte", value: 200 }) },
      NOW,
      {
        refresh: "inline",
      },
    );
    expect(await db().segment.findUniqueOrThrow({ where: { id: poison.id } })).toMatchObject({
      evaluationError: null,
      evaluationIssues: null,
    });
    expect(await members(poison.id)).toEqual([friend.id]);
  });

  it("a fault while evaluating is recorded as a code the admin words, without the database's English text", async () => {
    // A time zone the runtime does not know: the day-based bound cannot be computed.
    const { shop } = await shopWithBuyer("Mars/Olympus_Mons");
    const seg = await storeRaw(shop.id, "Recent", one({ field: "daysSinceLastPurchase", op: "lte", value: 30 }));
    expect(await refreshSegment(shop.id, seg.id, NOW)).toMatchObject({ failed: true });
    const row = await db().segment.findUniqueOrThrow({ where: { id: seg.id } });
    expect(row.evaluationError).toMatch(/Could not be evaluated/);
    expect(row.evaluationIssues).toEqual({ code: "failed" });
  });
});
