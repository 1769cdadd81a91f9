// Customer rows and their derived facts. Facts are recomputed from the order/checkout rows inside the
// caller's transaction, after the caller took the customer's advisory lock (lockKeys), so two
// deliveries for one customer processed in parallel serialize instead of overwriting each other.
import type { Prisma } from "@prisma/client";
import { computeCustomerFacts } from "~/domain/customers/facts";
import { db } from "~/db.server";

export type Tx = Prisma.TransactionClient;

export const TX_OPTIONS = { timeout: 30_000, maxWait: 15_000 } as const;

/** The advisory locks each open transaction holds (they are released only when it ends). */
const HELD = new WeakMap<Tx, Set<string>>();

/**
 * Transaction-scoped advisory locks, taken in a sorted order so handlers that lock several keys
 * (order + checkout + customer) cannot deadlock each other. A key the transaction already holds is
 * not asked for again (no statement).
 */
export async function lockKeys(tx: Tx, keys: Array<string | null | undefined>) {
  let held = HELD.get(tx);
  if (!held) HELD.set(tx, (held = new Set()));
  const unique = [...new Set(keys.filter((k): k is string => typeof k === "string" && k !== "" && !held.has(k)))].sort();
  for (const key of unique) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
    held.add(key);
  }
}

export const customerLockKey = (shopId: number, customerId: bigint | null | undefined) =>
  customerId == null ? null : `customer:${shopId}:${customerId}`;

/** Recomputes one customer's facts and CustomerProduct rows; returns the product ids whose shop-wide median may change. */
export async function recomputeCustomerFacts(tx: Tx, shop: { id: number; timezone: string }, shopifyCustomerId: bigint, now: Date) {
  const [orders, checkouts, before] = await Promise.all([
    tx.order.findMany({
      where: { shopId: shop.id, shopifyCustomerId },
      select: {
        shopifyOrderId: true,
        processedAt: true,
        cancelledAt: true,
        test: true,
        totalPrice: true,
        sourceName: true,
        deliveredAt: true,
        lines: { select: { productId: true, quantity: true } },
      },
    }),
    tx.checkout.findMany({
      where: { shopId: shop.id, shopifyCustomerId },
      select: { token: true, shopifyUpdatedAt: true, completedAt: true, abandonedAt: true },
    }),
    tx.customerProduct.findMany({ where: { shopId: shop.id, shopifyCustomerId }, select: { productId: true } }),
  ]);
  const { facts, products } = computeCustomerFacts({
    orders: orders.map((o) => ({ ...o, totalPrice: o.totalPrice.toFixed(2) })),
    checkouts,
    timeZone: shop.timezone,
  });
  await tx.customer.upsert({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    create: { shopId: shop.id, shopifyCustomerId, ...facts, factsUpdatedAt: now },
    update: { ...facts, factsUpdatedAt: now },
  });
  if (before.length) await tx.customerProduct.deleteMany({ where: { shopId: shop.id, shopifyCustomerId } });
  if (products.length) await tx.customerProduct.createMany({ data: products.map((p) => ({ shopId: shop.id, shopifyCustomerId, ...p })) });
  return [...new Set([...before.map((p) => p.productId), ...products.map((p) => p.productId)])];
}

/**
 * ProductRebuy = median of the customers' own re-buy intervals (CustomerProduct.rebuyIntervalDays,
 * days; customers who bought once have none) for each of `productIds`; a product without any loses
 * its row. Run after the customer transaction commits, under the products' locks: the last refresh to
 * take a lock starts after every committed customer change, so concurrent deliveries still converge.
 *
 * The median is computed by PostgreSQL (`percentile_cont(0.5)`: the middle value, or the mean of
 * the two middle values) from `CustomerProduct_product_rebuy_idx` — an index-only scan of the
 * product's intervals. An order's cost does not depend on how many customers bought its products
 * before (a best-seller at 221k buyers: 5 ms instead of 0.4–0.7 s reading every row into the worker;
 * docs/benchmarks.md).
 */
export async function refreshProductRebuy(shopId: number, productIds: bigint[], now = new Date()) {
  if (!productIds.length) return;
  await db().$transaction(async (tx) => {
    await lockKeys(
      tx,
      productIds.map((p) => `product:${shopId}:${p}`),
    );
    await tx.$executeRawUnsafe(
      `WITH m AS (
         SELECT p."productId", s.median, s.n
         FROM unnest($2::bigint[]) AS p("productId")
         CROSS JOIN LATERAL (
           SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cp."rebuyIntervalDays") AS median, count(*)::int AS n
           FROM "CustomerProduct" cp
           WHERE cp."shopId" = $1 AND cp."productId" = p."productId" AND cp."rebuyIntervalDays" IS NOT NULL
         ) s
       ), gone AS (
         DELETE FROM "ProductRebuy" r USING m WHERE r."shopId" = $1 AND r."productId" = m."productId" AND m.n = 0
       )
       INSERT INTO "ProductRebuy" ("shopId", "productId", "medianIntervalDays", "sampleSize", "updatedAt")
       SELECT $1, m."productId", m.median, m.n, $3::timestamp(3) FROM m WHERE m.n > 0
       ON CONFLICT ("shopId", "productId") DO UPDATE
         SET "medianIntervalDays" = EXCLUDED."medianIntervalDays", "sampleSize" = EXCLUDED."sampleSize", "updatedAt" = EXCLUDED."updatedAt"`,
      shopId,
      productIds.map(String),
      now.toISOString().slice(0, 23),
    );
  }, TX_OPTIONS);
}
