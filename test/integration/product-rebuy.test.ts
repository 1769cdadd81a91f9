// The shop-wide re-buy median per product (ProductRebuy), computed by PostgreSQL from the customers'
// own intervals (app/db/customers.server.ts refreshProductRebuy).
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { refreshProductRebuy } from "~/db/customers.server";
import { installDevShop } from "~/services/shops.server";
import { uniqueShop } from "../support/shopify";

async function shopWithIntervals(byProduct: Record<string, Array<number | null>>) {
  const { shop } = await installDevShop({ domain: uniqueShop("rebuy") });
  let customer = 1n;
  for (const [productId, intervals] of Object.entries(byProduct))
    await db().customerProduct.createMany({
      data: intervals.map((rebuyIntervalDays) => ({
        shopId: shop.id,
        shopifyCustomerId: customer++,
        productId: BigInt(productId),
        firstPurchasedAt: new Date("2026-01-01T00:00:00Z"),
        lastPurchasedAt: new Date("2026-03-01T00:00:00Z"),
        orderCount: rebuyIntervalDays === null ? 1 : 2,
        quantity: 1,
        rebuyIntervalDays,
      })),
    });
  return shop.id;
}

const rebuys = (shopId: number) =>
  db()
    .productRebuy.findMany({
      where: { shopId },
      orderBy: { productId: "asc" },
      select: { productId: true, medianIntervalDays: true, sampleSize: true },
    })
    .then((rows) => rows.map((r) => ({ ...r, productId: String(r.productId) })));

describe("refreshProductRebuy", () => {
  it("is the middle interval, or the mean of the two middle ones; customers who bought once do not count", async () => {
    const shopId = await shopWithIntervals({ "1": [10, null, 30, 20], "2": [10, 20], "3": [7.5] });
    await refreshProductRebuy(shopId, [1n, 2n, 3n]);
    expect(await rebuys(shopId)).toEqual([
      { productId: "1", medianIntervalDays: 20, sampleSize: 3 },
      { productId: "2", medianIntervalDays: 15, sampleSize: 2 },
      { productId: "3", medianIntervalDays: 7.5, sampleSize: 1 },
    ]);
  });

  it("updates a stored median and removes the one of a product no customer re-bought any more; other products and shops stay", async () => {
    const shopId = await shopWithIntervals({ "1": [10, 40], "2": [null, null], "4": [3] });
    const other = await shopWithIntervals({ "1": [99] });
    const stale = { medianIntervalDays: 1, sampleSize: 9 };
    for (const productId of [1n, 2n, 4n]) await db().productRebuy.create({ data: { shopId, productId, ...stale } });
    await refreshProductRebuy(other, [1n]);
    await refreshProductRebuy(shopId, [1n, 2n, 5n]);
    expect(await rebuys(shopId)).toEqual([
      { productId: "1", medianIntervalDays: 25, sampleSize: 2 },
      { productId: "4", ...stale }, // not asked for
    ]);
    expect(await rebuys(other)).toEqual([{ productId: "1", medianIntervalDays: 99, sampleSize: 1 }]);
  });
});
