// Privacy-law compliance topics (https://shopify.dev/docs/apps/build/privacy-law-compliance).
import { Prisma } from "@prisma/client";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { eraseCustomer } from "~/services/ingestion/ingest.server";
import { buildCustomerExport } from "~/services/ingestion/customer-view.server";

/** What a customers/redact payload tells us about the person besides the id (matched in raw payloads). */
export interface RedactContacts {
  email?: string | null;
  phone?: string | null;
}

/**
 * customers/redact: everything about the customer goes (rule per table: app/db/personal-data.ts) —
 * facts, orders, checkouts, fulfillments, intents, reminders, attributions, the data-request export,
 * the HubSpot/Klaviyo contacts matched to them and the friend's pending write-backs;
 * every stored delivery payload that names them (id, email, phone, one of their orders or checkouts) is
 * emptied; recovery URLs of their reminders stop leading to their cart; the linked LINE friend is
 * unlinked and its message texts are erased. The steps before eraseCustomer do not depend on rows it
 * deletes having gone, so a retried job (after a failure half way) finds the same data again.
 */
export async function redactCustomer(
  shop: Shop,
  shopifyCustomerId: bigint,
  orderIds: bigint[],
  redactDeliveryId: number,
  contacts: RedactContacts = {},
) {
  const orders = await db().order.findMany({
    where: { shopId: shop.id, OR: [{ shopifyCustomerId }, { shopifyOrderId: { in: orderIds } }] },
    select: { id: true, shopifyOrderId: true, checkoutToken: true },
  });
  const shopifyOrderIds = [...new Set([...orderIds, ...orders.map((o) => o.shopifyOrderId)])];
  const checkouts = await db().checkout.findMany({
    where: {
      shopId: shop.id,
      OR: [{ shopifyCustomerId }, { token: { in: orders.flatMap((o) => (o.checkoutToken ? [o.checkoutToken] : [])) } }],
    },
    select: { token: true },
  });
  const tokens = [...new Set([...checkouts.map((c) => c.token), ...orders.flatMap((o) => (o.checkoutToken ? [o.checkoutToken] : []))])];
  const customer = await db().customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    select: { id: true, emailHash: true, phoneHash: true },
  });
  const friend = customer
    ? await db().friend.findUnique({
        where: { shopId_customerId: { shopId: shop.id, customerId: customer.id } },
        select: { id: true, lineUserId: true },
      })
    : null;

  await db().$transaction(async (tx) => {
    const reminders = await tx.reminder.findMany({
      where: {
        shopId: shop.id,
        OR: [
          { subjectKey: { in: [...tokens, ...shopifyOrderIds.map((id) => `order:${id}`)] } },
          ...(friend ? [{ friendId: friend.id, kind: { not: "welcome" } }] : []),
        ],
      },
      select: { id: true },
    });
    const reminderIds = reminders.map((r) => r.id);
    // Links already in the shopper's LINE chat keep working but no longer open their cart.
    await tx.trackedLink.updateMany({
      where: { shopId: shop.id, sourceType: "reminder", sourceId: { in: reminderIds } },
      data: { url: `https://${shop.domain}/` },
    });
    await tx.reminder.deleteMany({ where: { shopId: shop.id, id: { in: reminderIds } } });
    await tx.attribution.deleteMany({ where: { shopId: shop.id, orderId: { in: orders.map((o) => o.id) } } });
    await tx.linkFunnelEvent.updateMany({
      where: { shopId: shop.id, shopifyOrderId: { in: shopifyOrderIds } },
      data: { shopifyOrderId: null },
    });
    await tx.linkIntent.deleteMany({
      where: { shopId: shop.id, OR: [{ shopifyCustomerId }, { shopifyOrderId: { in: shopifyOrderIds } }] },
    });
    await tx.fulfillment.deleteMany({ where: { shopId: shop.id, shopifyOrderId: { in: shopifyOrderIds } } });
    await tx.dataRequestExport.deleteMany({ where: { shopId: shop.id, shopifyCustomerId } });
    if (customer) await eraseIntegrationContacts(tx, shop.id, customer);
    if (friend) await tx.integrationWriteBack.deleteMany({ where: { shopId: shop.id, friendId: friend.id } });
    if (friend) await eraseMessageContents(tx, shop.id, friend.lineUserId);
    await scrubDeliveries(tx, shop.domain, redactDeliveryId, [
      // Ids as JSON numbers (jsonb keeps them exact) and as strings.
      ...[shopifyCustomerId, ...shopifyOrderIds].flatMap((id) => [String(id), JSON.stringify(String(id))]),
      JSON.stringify(`gid://shopify/Customer/${shopifyCustomerId}`),
      ...shopifyOrderIds.map((id) => JSON.stringify(`gid://shopify/Order/${id}`)),
      ...tokens.map((t) => JSON.stringify(t)),
      ...[contacts.email, contacts.phone].flatMap((v) => (v ? [JSON.stringify(v)] : [])),
    ]);
  }, TX_OPTIONS);
  await eraseCustomer(shop, shopifyCustomerId, { cause: "customers/redact", orderIds: shopifyOrderIds, eraseOrders: true });
}

type Tx = Prisma.TransactionClient;

/**
 * The HubSpot contacts / Klaviyo profiles matched to the customer or carrying their email/phone hash,
 * with their list memberships (app/db/personal-data.ts, IntegrationContact).
 */
async function eraseIntegrationContacts(
  tx: Tx,
  shopId: number,
  customer: { id: number; emailHash: string | null; phoneHash: string | null },
) {
  const contacts = await tx.integrationContact.findMany({
    where: {
      shopId,
      OR: [
        { customerId: customer.id },
        ...(customer.emailHash ? [{ emailHash: customer.emailHash }] : []),
        ...(customer.phoneHash ? [{ phoneHash: customer.phoneHash }] : []),
      ],
    },
    select: { id: true, provider: true, externalId: true },
  });
  for (const c of contacts) {
    await tx.integrationListMember.deleteMany({ where: { shopId, provider: c.provider, contactExternalId: c.externalId } });
  }
  await tx.integrationContact.deleteMany({ where: { shopId, id: { in: contacts.map((c) => c.id) } } });
}
const TX_OPTIONS = { timeout: 60_000, maxWait: 10_000 };

/**
 * Empties every stored delivery of the shop whose payload holds one of `values` (JSON scalars) at any
 * depth, and the redact delivery itself. Deliveries not processed yet are settled as stale: the
 * erasure tombstone would drop them anyway.
 */
async function scrubDeliveries(tx: Tx, shopDomain: string, redactDeliveryId: number, scalars: string[]) {
  await tx.$executeRaw`
    UPDATE "WebhookDelivery" d
    SET payload = '{}'::jsonb,
        status = CASE WHEN d.id <> ${redactDeliveryId} AND d.status = 'received' THEN 'stale' ELSE d.status END,
        error = CASE WHEN d.id <> ${redactDeliveryId} AND d.status = 'received' THEN 'customer redacted' ELSE d.error END
    WHERE d."shopDomain" = ${shopDomain}
      AND (d.id = ${redactDeliveryId}
        OR EXISTS (SELECT 1 FROM jsonb_path_query(d.payload, 'strict $.**') v WHERE v = ANY(${scalars}::jsonb[])))`;
}

/**
 * Erases what a LINE user wrote (message objects: text, location address, file names …) from stored
 * events, keeping the event's id and type. Used on customers/redact for the linked friend.
 */
async function eraseMessageContents(tx: Tx, shopId: number, lineUserId: string) {
  await tx.$executeRaw`
    UPDATE "LineEvent"
    SET payload = jsonb_set(payload, '{message}', jsonb_build_object('id', payload->'message'->'id', 'type', payload->'message'->'type', 'erased', true))
    WHERE "shopId" = ${shopId} AND "lineUserId" = ${lineUserId} AND payload ? 'message'`;
}

/**
 * Retention: LINE events (with message texts) are kept LINE_EVENT_RETENTION_DAYS after they were
 * received, then deleted — they are only needed to process the event and to skip LINE redeliveries.
 * Events still waiting to be processed are kept. Deletes at most `batch` rows per call (the sweep runs
 * every minute). Returns the number deleted.
 */
export async function purgeExpiredLineEvents(now: Date, retentionDays: number, batch = 5000): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  return db().$executeRaw`
    DELETE FROM "LineEvent" WHERE id IN (
      SELECT id FROM "LineEvent" WHERE "receivedAt" < ${cutoff} AND status <> 'received' ORDER BY "receivedAt" LIMIT ${batch})`;
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
  await db().refusedWebhook.deleteMany({ where: { OR: [{ headerShop: shopDomain }, { payloadShop: shopDomain }] } });
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
