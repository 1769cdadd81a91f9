// Numbers for the Home page, all scoped to one shop.
import { db } from "~/db.server";
import { requireShop } from "~/db/shops.server";
import { linePlanChoice, lineWebhookUrl } from "~/services/shops.server";

export async function shopOverview(domain: string) {
  const shop = await requireShop(domain);
  const where = { shopId: shop.id };
  const [friends, following, linked, customers, orders, deliveries, quarantined] = await Promise.all([
    db().friend.count({ where }),
    db().friend.count({ where: { ...where, following: true } }),
    db().friend.count({ where: { ...where, customerId: { not: null } } }),
    db().customer.count({ where }),
    db().order.count({ where }),
    db().webhookDelivery.count({ where: { shopDomain: domain } }),
    db().webhookDelivery.count({ where: { shopDomain: domain, status: "quarantined" } }),
  ]);
  return {
    shop: {
      domain: shop.domain,
      name: shop.name,
      currency: shop.currency,
      timezone: shop.timezone,
      country: shop.country,
      primaryLocale: shop.primaryLocale,
      settingsSyncedAt: shop.settingsSyncedAt?.toISOString() ?? null,
    },
    linePlan: linePlanChoice(shop),
    line: {
      connected: Boolean(shop.lineChannelId),
      channelId: shop.lineChannelId,
      botUserId: shop.lineBotUserId,
      webhookUrl: lineWebhookUrl(shop.domain),
      loginConfigured: Boolean(shop.lineLoginChannelId),
    },
    counts: { friends, following, linked, customers, orders, deliveries, quarantined },
  };
}
