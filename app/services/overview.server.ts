// Numbers and the setup guide for the Home page, all scoped to one shop.
import { db } from "~/db.server";
import { requireShop } from "~/db/shops.server";
import { linePlanChoice, lineWebhookUrl } from "~/services/shops.server";
import { setupGuide } from "~/domain/setup/setup-guide";
import { LIFECYCLE_KINDS } from "~/domain/broadcasts/lifecycle";
import { readLifecycleSettings } from "~/db/settings/lifecycle.server";
import { loadAbandonedCartSettings } from "~/db/settings/abandoned-cart.server";

export async function shopOverview(domain: string) {
  const shop = await requireShop(domain);
  const where = { shopId: shop.id };
  const [friends, following, linked, customers, orders, deliveries, quarantined, segments, publishedMenus, cart] = await Promise.all([
    db().friend.count({ where }),
    db().friend.count({ where: { ...where, following: true } }),
    db().friend.count({ where: { ...where, customerId: { not: null } } }),
    db().customer.count({ where }),
    db().order.count({ where }),
    db().webhookDelivery.count({ where: { shopDomain: domain } }),
    db().webhookDelivery.count({ where: { shopDomain: domain, status: "quarantined" } }),
    db().segment.count({ where }),
    db().richMenu.count({ where: { ...where, status: "published" } }),
    loadAbandonedCartSettings(shop.id),
  ]);
  const lifecycle = readLifecycleSettings(shop);
  const automationsOn = (cart.enabled ? 1 : 0) + LIFECYCLE_KINDS.filter((k) => lifecycle[k].enabled).length;
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
    setup: setupGuide({ lineConnected: Boolean(shop.lineChannelId), linkedFriends: linked, segments, publishedMenus, automationsOn }),
  };
}
