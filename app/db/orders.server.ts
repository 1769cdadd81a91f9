// Orders, their lines and fulfillments. Every write happens inside the caller's transaction, after the
// caller locked the order (lockKeys). Staleness: a version older than the stored shopifyUpdatedAt is
// dropped; an equal one is re-applied (a retried delivery must redo its work).
import type { OrderInput, FulfillmentInput } from "~/domain/customers/inputs";
import { erasedSinceSql, sqlTimestamp, type Tx } from "~/db/customers.server";

export async function upsertFulfillment(tx: Tx, shopId: number, f: FulfillmentInput): Promise<"processed" | "stale"> {
  const existing = await tx.fulfillment.findUnique({
    where: { shopId_shopifyFulfillmentId: { shopId, shopifyFulfillmentId: f.shopifyFulfillmentId } },
    select: { shopifyUpdatedAt: true },
  });
  if (existing && f.updatedAt < existing.shopifyUpdatedAt) return "stale";
  // Fields the payload did not carry (undefined) keep their stored value, deliveredAt included.
  const data = {
    shopifyOrderId: f.shopifyOrderId,
    status: f.status,
    shipmentStatus: f.shipmentStatus,
    shopifyUpdatedAt: f.updatedAt,
    ...(f.shipmentStatus !== undefined ? { deliveredAt: f.shipmentStatus === "delivered" ? f.updatedAt : null } : {}),
  };
  await tx.fulfillment.upsert({
    where: { shopId_shopifyFulfillmentId: { shopId, shopifyFulfillmentId: f.shopifyFulfillmentId } },
    create: { shopId, shopifyFulfillmentId: f.shopifyFulfillmentId, ...data },
    update: data,
  });
  return "processed";
}

/**
 * Order.deliveredAt from the stored fulfillment rows: the earliest delivery (shipment_status
 * "delivered"), whichever fulfillment brought it first; null without one. One statement (min skips
 * the fulfillments not delivered): it runs for every ingested order.
 */
export async function refreshOrderDelivered(tx: Tx, shopId: number, shopifyOrderId: bigint) {
  await tx.$executeRawUnsafe(
    `UPDATE "Order" SET "deliveredAt" = (
       SELECT min(f."deliveredAt") FROM "Fulfillment" f WHERE f."shopId" = $1 AND f."shopifyOrderId" = $2)
     WHERE "shopId" = $1 AND "shopifyOrderId" = $2`,
    shopId,
    shopifyOrderId,
  );
}

/**
 * What ingesting order `o` needs to know, read in one statement (it runs for every order webhook of a
 * flash sale): whether its customer was erased at or after `o.updatedAt` (the payload predates the
 * erasure; false without a customer), and the stored order (null: new). Call after locking the order.
 */
export async function readOrderContext(
  tx: Tx,
  shopId: number,
  o: Pick<OrderInput, "shopifyOrderId" | "shopifyCustomerId" | "updatedAt">,
): Promise<{ erased: boolean; existing: { shopifyUpdatedAt: Date; shopifyCustomerId: bigint | null } | null }> {
  const [row] = await tx.$queryRawUnsafe<Array<{ erased: boolean; shopifyUpdatedAt: Date | null; shopifyCustomerId: bigint | null }>>(
    `SELECT
       ${erasedSinceSql("$1", "$2", "$3")} AS erased,
       o."shopifyUpdatedAt", o."shopifyCustomerId"
     FROM (SELECT 1) AS one
     LEFT JOIN "Order" o ON o."shopId" = $1 AND o."shopifyOrderId" = $4`,
    shopId,
    o.shopifyCustomerId ?? null,
    sqlTimestamp(o.updatedAt),
    o.shopifyOrderId,
  );
  // shopifyUpdatedAt is NOT NULL in "Order": null means no stored order.
  const { erased, shopifyUpdatedAt, shopifyCustomerId } = row!;
  return { erased, existing: shopifyUpdatedAt === null ? null : { shopifyUpdatedAt, shopifyCustomerId } };
}

export function findOrderForLock(tx: Tx, shopId: number, shopifyOrderId: bigint) {
  return tx.order.findUnique({
    where: { shopId_shopifyOrderId: { shopId, shopifyOrderId } },
    select: { id: true, shopifyUpdatedAt: true, shopifyCustomerId: true },
  });
}

/**
 * Writes the order and replaces its lines. `shopifyCustomerId` is the resolved customer (the stored
 * one when the payload had no `customer`); other fields absent from the payload (undefined) are left
 * as stored.
 */
export async function upsertOrderRow(tx: Tx, shopId: number, o: OrderInput, shopifyCustomerId: bigint | null) {
  const data = {
    shopifyCustomerId,
    name: o.name,
    checkoutToken: o.checkoutToken,
    processedAt: o.processedAt,
    shopifyUpdatedAt: o.updatedAt,
    cancelledAt: o.cancelledAt,
    test: o.test,
    totalPrice: o.totalPrice,
    currency: o.currency,
    sourceName: o.sourceName,
    financialStatus: o.financialStatus,
    fulfillmentStatus: o.fulfillmentStatus,
    orderStatusUrl: o.orderStatusUrl,
  };
  const row = await tx.order.upsert({
    where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: o.shopifyOrderId } },
    create: { shopId, shopifyOrderId: o.shopifyOrderId, ...data },
    update: data,
    select: { id: true },
  });
  // Lines are replaced wholesale (an edited order's latest version is the truth), in one statement:
  // the DELETE and the INSERT touch different rows (new ids).
  await tx.$executeRawUnsafe(
    `WITH gone AS (DELETE FROM "OrderLine" WHERE "orderId" = $1)
     INSERT INTO "OrderLine" ("orderId", "shopId", "shopifyCustomerId", "productId", "variantId", title, quantity, price, "purchasedAt")
     SELECT $1, $2, $3, l.* , $9::timestamp(3)
     FROM unnest($4::bigint[], $5::bigint[], $6::text[], $7::int[], $8::numeric[]) AS l`,
    row.id,
    shopId,
    shopifyCustomerId,
    o.lines.map((l) => l.productId),
    o.lines.map((l) => l.variantId),
    o.lines.map((l) => l.title),
    o.lines.map((l) => l.quantity),
    o.lines.map((l) => l.price),
    sqlTimestamp(o.processedAt),
  );
  return row;
}
