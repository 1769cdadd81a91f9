// The shop and the load of the abandoned-cart benchmarks (abandoned-cart, worker-cost): linked friends
// on the LINE emulator, a default and a cart menu with the rule "abandoned cart → cart menu", reminders
// on; signed checkouts/create webhooks for those friends' customers.
import crypto from "node:crypto";
import { benchShopOnEmulator } from "./_harness";
import { postShopifyWebhook } from "../sandbox/deliver";

/** Shopify customer id of the i-th friend's customer. */
const customerIdOf = (i: number) => 5_000_000 + i;

/**
 * `friends` emulator users who are friends of the shop's channel, each a Friend linked to a Customer;
 * published menus "Main" (default) and "Cart" (rule: abandoned cart → Cart); reminders on with
 * `delay` (ISO 8601). Call after isolatedStack().
 */
export async function cartShopOnEmulator(shopDomain: string, friends: number, delay: string) {
  const { emu, ch, shop } = await benchShopOnEmulator(shopDomain);
  const { db } = await import("../../app/db.server");
  const { createMenuFromTemplate, generateImageFor } = await import("../../app/services/rich-menus/menus.server");
  const { publishMenu, setDefaultMenu } = await import("../../app/services/rich-menus/publish.server");
  const { saveRules } = await import("../../app/services/rich-menus/rules.server");
  const { saveAbandonedCartSettings } = await import("../../app/db/settings/abandoned-cart.server");
  const users = Array.from(
    { length: friends },
    (_, i) => emu.state.createUser({ displayName: `F${i}`, language: "ja", friendOf: [ch.channelId] }).userId,
  );
  await db().customer.createMany({ data: users.map((_, i) => ({ shopId: shop.id, shopifyCustomerId: BigInt(customerIdOf(i)) })) });
  const customers = await db().customer.findMany({ where: { shopId: shop.id }, select: { id: true, shopifyCustomerId: true } });
  const byCid = new Map(customers.map((c) => [Number(c.shopifyCustomerId), c.id]));
  await db().friend.createMany({
    data: users.map((lineUserId, i) => ({
      shopId: shop.id,
      lineUserId,
      language: "ja",
      customerId: byCid.get(customerIdOf(i))!,
      linkedAt: new Date(),
    })),
  });
  const menu = async (name: string) => {
    const m = await createMenuFromTemplate({ shopId: shop.id, name, template: "large-6" });
    await generateImageFor(shop.id, m.id);
    await publishMenu(shop.id, m.id);
    return m.id;
  };
  await setDefaultMenu(shop.id, await menu("Main"));
  const cartMenuId = await menu("Cart");
  await saveRules(shop.id, [{ kind: "intent", intent: { type: "abandonedCart", minHours: 0 }, richMenuId: cartMenuId, dwellHours: 0 }]);
  await saveAbandonedCartSettings(shop.id, { enabled: true, config: { delay, switchMenu: true } });
  return { emu, ch, shop, users, cartMenuId };
}

/**
 * Posts the i-th friend's signed checkouts/create (abandoned at `at`, one line item) to the web
 * process; resolves to the HTTP status (0 when the request failed).
 */
export function postAbandonedCheckout(app: { appUrl: string; shopDomain: string; apiSecret: string }, i: number, at: Date) {
  const token = `bench-${i}-${crypto.randomBytes(4).toString("hex")}`;
  const payload = {
    id: 90_000_000 + i,
    token,
    cart_token: `c-${token}`,
    created_at: at.toISOString(),
    updated_at: at.toISOString(),
    completed_at: null,
    abandoned_checkout_url: `https://${app.shopDomain}/checkouts/${token}/recover`,
    total_price: "3800.00",
    currency: "JPY",
    customer_locale: "ja",
    customer: { id: customerIdOf(i) },
    line_items: [{ product_id: 100, variant_id: 10001, title: "Green tea", quantity: 2, price: "1900.00" }],
  };
  return postShopifyWebhook(app, { kind: "webhook", topic: "checkouts/create", at, payload } as never, crypto.randomUUID()).catch(() => 0);
}

/**
 * Posts the i-th friend's signed orders/create (one line of `productId`, placed at `at`) to the web
 * process; resolves to the HTTP status (0 when the request failed).
 */
export function postOrder(app: { appUrl: string; shopDomain: string; apiSecret: string }, i: number, productId: number, at: Date) {
  const payload = {
    id: 80_000_000 + i,
    name: `#B${i}`,
    created_at: at.toISOString(),
    processed_at: at.toISOString(),
    updated_at: at.toISOString(),
    total_price: "3800.00",
    currency: "JPY",
    source_name: "web",
    customer: { id: customerIdOf(i) },
    line_items: [{ id: 70_000_000 + i, product_id: productId, variant_id: 10001, title: "Green tea", quantity: 2, price: "1900.00" }],
  };
  return postShopifyWebhook(app, { kind: "webhook", topic: "orders/create", at, payload } as never, crypto.randomUUID()).catch(() => 0);
}
