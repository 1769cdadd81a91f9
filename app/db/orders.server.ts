// Orders, their lines and fulfillments. Every write happens inside the caller's transaction, after the
// caller locked the order (lockKeys). Staleness: a version older than the stored shopifyUpdatedAt is
// dropped; an equal one is re-applied (a retried delivery must redo its work).
import type { OrderInput, FulfillmentInput } from "~/domain/customers/inputs";
import { orderDeliveredAt } from "~/domain/customers/facts";
import type { Tx } from "~/db/customers.server";

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

/** Order.deliveredAt from the stored fulfillment rows (whichever arrived first). */
export async function refreshOrderDelivered(tx: Tx, shopId: number, shopifyOrderId: bigint) {
  const fulfillments = await tx.fulfillment.findMany({ where: { shopId, shopifyOrderId }, select: { deliveredAt: true } });
  await tx.order.updateMany({ where: { shopId, shopifyOrderId }, data: { deliveredAt: orderDeliveredAt(fulfillments) } });
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
  // Lines are replaced wholesale: an edited order's latest version is the truth.
  await tx.orderLine.deleteMany({ where: { orderId: row.id } });
  if (o.lines.length)
    await tx.orderLine.createMany({
      data: o.lines.map((l) => ({
        orderId: row.id,
        shopId,
        shopifyCustomerId,
        productId: l.productId,
        variantId: l.variantId,
        title: l.title,
        quantity: l.quantity,
        price: l.price,
        purchasedAt: o.processedAt,
      })),
    });
  return row;
}
