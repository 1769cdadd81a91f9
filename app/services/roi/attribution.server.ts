// Attribution: an order from a friend within the window (shop setting, default 7 days) after a click
// goes to that friend's last click. Unique on order: running twice changes nothing.
// When the friend has no identified click (multicast links carry no friend id), an "assisted"
// attribution goes to the last marketing message the friend received in the window whose link was
// clicked anonymously after the send — marked method='assisted' so reports can separate it.
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { linkedFriendIds } from "~/db/friends.server";
import { readAttributionSettings } from "~/db/settings/attribution.server";

export type AttributionOutcome = "attributed" | "already" | "no_friend" | "no_click" | "not_found" | "excluded";

export async function attributeOrder(shopId: number, shopifyOrderId: bigint): Promise<AttributionOutcome> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  const order = await db().order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId } } });
  if (!order) return "not_found";
  if (order.test || order.cancelledAt) return "excluded";
  if (await db().attribution.findUnique({ where: { orderId: order.id } })) return "already";
  if (!order.shopifyCustomerId) return "no_friend";
  const friendId = (await linkedFriendIds(shopId, [order.shopifyCustomerId])).get(String(order.shopifyCustomerId))?.[0];
  if (!friendId) return "no_friend";
  const since = new Date(order.processedAt.getTime() - readAttributionSettings(shop).windowDays * 86_400_000);
  let click = await db().linkClick.findFirst({
    where: { shopId, friendId, at: { gte: since, lte: order.processedAt } },
    orderBy: { at: "desc" },
  });
  let method = "click";
  if (!click && readAttributionSettings(shop).assisted) {
    const rows = await db().$queryRaw<Array<{ id: number }>>`
      SELECT c.id FROM "MessageSend" s
      JOIN "LinkClick" c ON c."shopId" = s."shopId" AND c."sourceType" = s."sourceType" AND c."sourceId" = s."sourceId"
        AND c."friendId" IS NULL AND c.at >= s."sentAt" AND c.at <= ${order.processedAt}
      WHERE s."shopId" = ${shopId} AND s."friendId" = ${friendId} AND s.status = 'sent'
        AND s.kind IN ('broadcast','automation','reminder') AND s."sentAt" >= ${since} AND s."sentAt" <= ${order.processedAt}
      ORDER BY s."sentAt" DESC, c.at DESC LIMIT 1`;
    if (rows[0]) {
      click = await db().linkClick.findUnique({ where: { id: rows[0].id } });
      method = "assisted";
    }
  }
  if (!click) return "no_click";
  try {
    await db().attribution.create({
      data: {
        shopId,
        orderId: order.id,
        clickId: click.id,
        friendId,
        sourceType: click.sourceType,
        sourceId: click.sourceId,
        area: click.area,
        method,
        revenue: order.totalPrice,
        currency: order.currency,
        orderAt: order.processedAt,
      },
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return "already";
    throw err;
  }
  return "attributed";
}

/** Attribute a customer's recent orders that have no attribution yet (called on facts changes). */
export async function attributeCustomerOrders(shopId: number, shopifyCustomerId: bigint, now = new Date()): Promise<number> {
  const recent = await db().order.findMany({
    where: { shopId, shopifyCustomerId, processedAt: { gte: new Date(now.getTime() - 3 * 86_400_000) } },
    select: { id: true, shopifyOrderId: true },
  });
  let n = 0;
  for (const o of recent) if ((await attributeOrder(shopId, o.shopifyOrderId)) === "attributed") n++;
  return n;
}
