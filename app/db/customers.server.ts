// Customer rows and their derived facts. Facts are recomputed from the order/checkout rows inside the
// caller's transaction, after the caller took the customer's advisory lock (lockKeys), so two
// deliveries for one customer processed in parallel serialize instead of overwriting each other.
import type { Prisma } from "@prisma/client";
import { computeCustomerFacts } from "~/domain/customers/facts";
import { productRebuyMedian } from "~/domain/customers/facts";
import { db } from "~/db.server";

export type Tx = Prisma.TransactionClient;

export const TX_OPTIONS = { timeout: 30_000, maxWait: 15_000 } as const;

/**
 * Transaction-scoped advisory locks, taken in a sorted order so handlers that lock several keys
 * (order + checkout + customer) cannot deadlock each other.
 */
export async function lockKeys(tx: Tx, keys: Array<string | null | undefined>) {
  const unique = [...new Set(keys.filter((k): k is string => Boolean(k)))].sort();
  for (const key of unique) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
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
  await tx.customerProduct.deleteMany({ where: { shopId: shop.id, shopifyCustomerId } });
  if (products.length) await tx.customerProduct.createMany({ data: products.map((p) => ({ shopId: shop.id, shopifyCustomerId, ...p })) });
  return [...new Set([...before.map((p) => p.productId), ...products.map((p) => p.productId)])];
}

/**
 * ProductRebuy = median of the customers' own intervals for the product. Run after the customer
 * transaction commits, under a per-product lock: the last refresh to take the lock starts after every
 * committed customer change, so concurrent deliveries still converge.
 */
export async function refreshProductRebuy(shopId: number, productIds: bigint[]) {
  for (const productId of productIds) {
    await db().$transaction(async (tx) => {
      await lockKeys(tx, [`product:${shopId}:${productId}`]);
      const rows = await tx.customerProduct.findMany({ where: { shopId, productId }, select: { rebuyIntervalDays: true } });
      const m = productRebuyMedian(rows.map((r) => r.rebuyIntervalDays));
      if (m) {
        await tx.productRebuy.upsert({
          where: { shopId_productId: { shopId, productId } },
          create: { shopId, productId, ...m },
          update: m,
        });
      } else {
        await tx.productRebuy.deleteMany({ where: { shopId, productId } });
      }
    }, TX_OPTIONS);
  }
}
