// Privacy-law compliance topics (https://shopify.dev/docs/apps/build/privacy-law-compliance).
import { Prisma } from "@prisma/client";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { eraseCustomer } from "~/services/ingestion/ingest.server";
import { buildCustomerExport } from "~/services/ingestion/customer-view.server";

/** customers/redact: the customer's facts, orders, checkouts and link go; delivery payloads about them are emptied. */
export async function redactCustomer(shop: Shop, shopifyCustomerId: bigint, orderIds: bigint[], redactDeliveryId: number) {
  await eraseCustomer(shop, shopifyCustomerId, { cause: "customers/redact", orderIds, eraseOrders: true });
  const id = String(shopifyCustomerId);
  const orders = orderIds.map(String);
  await db().$executeRaw`
    UPDATE "WebhookDelivery" SET payload = '{}'::jsonb
    WHERE "shopDomain" = ${shop.domain} AND (status <> 'received' OR id = ${redactDeliveryId})
      AND (id = ${redactDeliveryId}
        OR payload->'customer'->>'id' = ${id}
        OR (topic LIKE 'customers/%' AND payload->>'id' = ${id})
        OR (topic LIKE 'orders/%' AND payload->>'id' = ANY(${orders}::text[])))`;
}

/**
 * shop/redact (48 h after uninstall): every table with a shopId column is emptied for the shop —
 * found from the catalog so tables added by other features are covered — then sessions, deliveries'
 * payloads and the Shop row.
 */
export async function redactShop(shopDomain: string, keepDeliveryId?: number) {
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (shop) {
    const tables = await db().$queryRaw<Array<{ table_name: string }>>`
      SELECT table_name::text AS table_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name = 'shopId' AND table_name <> 'Shop'`;
    let pending = tables.map((t) => t.table_name);
    // Foreign keys between feature tables may force an order: retry the ones that failed.
    for (let pass = 0; pass < 5 && pending.length; pass++) {
      const failed: string[] = [];
      for (const t of pending) {
        try {
          await db().$executeRawUnsafe(`DELETE FROM "${t.replace(/"/g, "")}" WHERE "shopId" = $1`, shop.id);
        } catch {
          failed.push(t);
        }
      }
      pending = failed;
    }
    if (pending.length) throw new Error(`shop/redact could not empty: ${pending.join(", ")}`);
    await db().shop.delete({ where: { id: shop.id } });
  }
  await db().session.deleteMany({ where: { shop: shopDomain } });
  await db().webhookDelivery.deleteMany({ where: { shopDomain, ...(keepDeliveryId ? { id: { not: keepDeliveryId } } : {}) } });
  if (keepDeliveryId) await db().webhookDelivery.update({ where: { id: keepDeliveryId }, data: { payload: {} } });
  return { status: shop ? ("erased" as const) : ("unknown-shop" as const) };
}

/** customers/data_request: the export is stored for the merchant to download from Sync health. */
export async function recordDataRequest(
  shop: Shop,
  deliveryId: number,
  shopifyCustomerId: bigint,
  orderIds: bigint[],
  dataRequestId: string | null,
) {
  const exported = await buildCustomerExport(shop.id, shopifyCustomerId, orderIds);
  const json = JSON.parse(JSON.stringify(exported)) as Prisma.InputJsonValue;
  return db().dataRequestExport.upsert({
    where: { shopId_deliveryId: { shopId: shop.id, deliveryId } },
    create: { shopId: shop.id, deliveryId, shopifyCustomerId, dataRequestId, export: json },
    update: { export: json },
  });
}

export function listDataRequestExports(shopId: number, take = 50) {
  return db().dataRequestExport.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, shopifyCustomerId: true, dataRequestId: true, createdAt: true, downloadedAt: true },
  });
}

export async function downloadDataRequestExport(shopId: number, id: number) {
  const row = await db().dataRequestExport.findFirst({ where: { shopId, id } });
  if (!row) return null;
  await db().dataRequestExport.update({ where: { id }, data: { downloadedAt: new Date() } });
  return row.export;
}
