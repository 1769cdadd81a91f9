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
  if (!unique.length) return;
  // One statement for all the keys, taken in the array's (sorted) order: WITH ORDINALITY numbers the
  // elements and the sub-query's ORDER BY fixes the order the locks are taken in.
  await tx.$executeRawUnsafe(
    `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
     FROM (SELECT k FROM unnest($1::text[]) WITH ORDINALITY AS t(k, i) ORDER BY i) s`,
    unique,
  );
  for (const key of unique) held.add(key);
}

export const customerLockKey = (shopId: number, customerId: bigint | null | undefined) =>
  customerId == null ? null : `customer:${shopId}:${customerId}`;

/**
 * SQL boolean: the customer `customer` of shop `shop` was erased at or after `updatedAt` (a payload
 * with that updated_at predates the erasure). Arguments are placeholders ("$1"), `updatedAt` a
 * sqlTimestamp; false when `customer` is NULL. Shared by the ingestion reads (checkouts, orders, erasedSince).
 */
export const erasedSinceSql = (shop: string, customer: string, updatedAt: string) =>
  `EXISTS (SELECT 1 FROM "ErasedCustomer" e WHERE e."shopId" = ${shop} AND e."shopifyCustomerId" = ${customer} AND e."erasedAt" >= ${updatedAt}::timestamp(3))`;

/** erasedSinceSql on its own, for a delivery with nothing else to read first (customers/*). */
export async function erasedSince(tx: Tx, shopId: number, shopifyCustomerId: bigint | null, updatedAt: Date): Promise<boolean> {
  if (shopifyCustomerId === null) return false;
  const [row] = await tx.$queryRawUnsafe<Array<{ erased: boolean }>>(
    `SELECT ${erasedSinceSql("$1", "$2", "$3")} AS erased`,
    shopId,
    shopifyCustomerId,
    sqlTimestamp(updatedAt),
  );
  return row!.erased;
}

/** A timestamp(3) column as epoch milliseconds in JSON (a JSON timestamp would lose its UTC zone). */
const epochMs = (col: string) => `(extract(epoch FROM ${col}) * 1000)::bigint`;
const fromMs = (ms: number | null) => (ms === null ? null : new Date(ms));
/** A Date as the parameter of a timestamp(3) column (UTC wall time, as Prisma stores DateTime). */
export const sqlTimestamp = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 23));

interface FactsRows {
  orders: Array<{
    id: string;
    processedAt: number;
    cancelledAt: number | null;
    test: boolean;
    totalPrice: string;
    sourceName: string | null;
    deliveredAt: number | null;
    lines: Array<[string | null, number]>;
  }>;
  checkouts: Array<{ token: string; updatedAt: number; completedAt: number | null; abandonedAt: number | null }>;
  products: string[];
}

/**
 * Recomputes one customer's facts (Customer columns) and CustomerProduct rows from its orders and
 * checkouts; returns the product ids whose shop-wide median may change. Runs on every ingested
 * order, checkout and customer, so it reads everything in one statement (orders with their lines and
 * the checkouts as JSON, the stored product ids) and writes the facts in one upsert: each statement
 * through Prisma's query compiler costs ≈ 1.5 ms of CPU against ≈ 0.5 ms raw (docs/decisions/015).
 */
export async function recomputeCustomerFacts(tx: Tx, shop: { id: number; timezone: string }, shopifyCustomerId: bigint, now: Date) {
  const [rows] = await tx.$queryRawUnsafe<FactsRows[]>(
    `SELECT
       coalesce((SELECT json_agg(json_build_object(
           'id', o."shopifyOrderId"::text,
           'processedAt', ${epochMs(`o."processedAt"`)},
           'cancelledAt', ${epochMs(`o."cancelledAt"`)},
           'test', o.test,
           'totalPrice', o."totalPrice"::text,
           'sourceName', o."sourceName",
           'deliveredAt', ${epochMs(`o."deliveredAt"`)},
           'lines', (SELECT coalesce(json_agg(json_build_array(l."productId"::text, l.quantity)), '[]')
                     FROM "OrderLine" l WHERE l."orderId" = o.id)))
         FROM "Order" o WHERE o."shopId" = $1 AND o."shopifyCustomerId" = $2), '[]') AS orders,
       coalesce((SELECT json_agg(json_build_object(
           'token', c.token,
           'updatedAt', ${epochMs(`c."shopifyUpdatedAt"`)},
           'completedAt', ${epochMs(`c."completedAt"`)},
           'abandonedAt', ${epochMs(`c."abandonedAt"`)}))
         FROM "Checkout" c WHERE c."shopId" = $1 AND c."shopifyCustomerId" = $2), '[]') AS checkouts,
       ARRAY(SELECT p."productId"::text FROM "CustomerProduct" p WHERE p."shopId" = $1 AND p."shopifyCustomerId" = $2) AS products`,
    shop.id,
    shopifyCustomerId,
  );
  const { orders, checkouts } = rows!;
  const before = rows!.products.map(BigInt);
  const { facts, products } = computeCustomerFacts({
    orders: orders.map((o) => ({
      shopifyOrderId: BigInt(o.id),
      processedAt: new Date(o.processedAt),
      cancelledAt: fromMs(o.cancelledAt),
      test: o.test,
      totalPrice: o.totalPrice,
      sourceName: o.sourceName,
      deliveredAt: fromMs(o.deliveredAt),
      lines: o.lines.map(([productId, quantity]) => ({ productId: productId === null ? null : BigInt(productId), quantity })),
    })),
    checkouts: checkouts.map((c) => ({
      token: c.token,
      shopifyUpdatedAt: new Date(c.updatedAt),
      completedAt: fromMs(c.completedAt),
      abandonedAt: fromMs(c.abandonedAt),
    })),
    timeZone: shop.timezone,
  });
  const at = sqlTimestamp(now);
  await tx.$executeRawUnsafe(
    `INSERT INTO "Customer" ("shopId", "shopifyCustomerId", "purchaseCount", "firstPurchaseAt", "lastPurchaseAt", "amountSpent",
       "firstPurchaseChannel", "abandonedCheckoutAt", "lastDeliveredAt", "factsUpdatedAt", "updatedAt")
     VALUES ($1, $2, $3, $4::timestamp(3), $5::timestamp(3), $6::numeric, $7, $8::timestamp(3), $9::timestamp(3), $10::timestamp(3), $10::timestamp(3))
     ON CONFLICT ("shopId", "shopifyCustomerId") DO UPDATE SET
       "purchaseCount" = EXCLUDED."purchaseCount", "firstPurchaseAt" = EXCLUDED."firstPurchaseAt",
       "lastPurchaseAt" = EXCLUDED."lastPurchaseAt", "amountSpent" = EXCLUDED."amountSpent",
       "firstPurchaseChannel" = EXCLUDED."firstPurchaseChannel", "abandonedCheckoutAt" = EXCLUDED."abandonedCheckoutAt",
       "lastDeliveredAt" = EXCLUDED."lastDeliveredAt", "factsUpdatedAt" = EXCLUDED."factsUpdatedAt", "updatedAt" = EXCLUDED."updatedAt"`,
    shop.id,
    shopifyCustomerId,
    facts.purchaseCount,
    sqlTimestamp(facts.firstPurchaseAt),
    sqlTimestamp(facts.lastPurchaseAt),
    facts.amountSpent,
    facts.firstPurchaseChannel,
    sqlTimestamp(facts.abandonedCheckoutAt),
    sqlTimestamp(facts.lastDeliveredAt),
    at,
  );
  // The customer's CustomerProduct rows become `products`: the others deleted, these upserted.
  if (before.length || products.length)
    await tx.$executeRawUnsafe(
      `WITH gone AS (
         DELETE FROM "CustomerProduct" WHERE "shopId" = $1 AND "shopifyCustomerId" = $2 AND NOT ("productId" = ANY($3::bigint[]))
       )
       INSERT INTO "CustomerProduct" ("shopId", "shopifyCustomerId", "productId", "firstPurchasedAt", "lastPurchasedAt", "orderCount", "quantity", "rebuyIntervalDays")
       SELECT $1, $2, p.* FROM unnest($3::bigint[], $4::timestamp(3)[], $5::timestamp(3)[], $6::int[], $7::int[], $8::float8[]) AS p
       ON CONFLICT ("shopId", "shopifyCustomerId", "productId") DO UPDATE SET
         "firstPurchasedAt" = EXCLUDED."firstPurchasedAt", "lastPurchasedAt" = EXCLUDED."lastPurchasedAt",
         "orderCount" = EXCLUDED."orderCount", "quantity" = EXCLUDED."quantity", "rebuyIntervalDays" = EXCLUDED."rebuyIntervalDays"`,
      shop.id,
      shopifyCustomerId,
      products.map((p) => String(p.productId)),
      products.map((p) => sqlTimestamp(p.firstPurchasedAt)),
      products.map((p) => sqlTimestamp(p.lastPurchasedAt)),
      products.map((p) => p.orderCount),
      products.map((p) => p.quantity),
      products.map((p) => p.rebuyIntervalDays),
    );
  return [...new Set([...before, ...products.map((p) => p.productId)])];
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
      sqlTimestamp(now),
    );
  }, TX_OPTIONS);
}
