// Reactions to rich-menu postbacks that rich menus cannot express as plain actions, because a menu
// is shared by many friends and no LINE action carries the user id:
//   menu=handoff             "Talk to us": tag the friend "needs-reply" (the merchant's queue of
//                            chats waiting for a person) and confirm with a free reply.
//   menu=go&to=cart|reorder|orderStatus   reply with the friend's own link: their abandoned checkout's
//                            recovery URL, a cart permalink of their last order, their order status page.
// Links go through tracked redirects so clicks and recovered orders are attributed to the menu.
import { db } from "~/db.server";
import type { LineEventContext, PostbackHandler } from "~/services/line-event-handlers";
import { ensureTag, addTagToFriends } from "~/services/tags/tags.server";
import { createTrackedLink, signFriendToken } from "~/services/tracking/links.server";
import { cartPermalink } from "~/domain/tracking/links";
import { HANDOFF_POSTBACK_DATA, PERSONAL_LINK_POSTBACK_PREFIX } from "~/domain/rich-menus/types";
import { customerT } from "~/i18n/i18n.server";

export const HANDOFF_TAG = "needs-reply";

const TARGETS = ["cart", "reorder", "orderStatus"] as const;
type Target = (typeof TARGETS)[number];

async function tracked(ctx: LineEventContext, url: string, area: string): Promise<string> {
  const link = await createTrackedLink({
    shopId: ctx.shop.id,
    url,
    sourceType: "menu_area",
    sourceId: ctx.friend.richMenuId ?? null,
    area,
  });
  return `${link.shortUrl}?f=${signFriendToken(ctx.friend.id)}`;
}

async function personalLinkFor(shopId: number, shopDomain: string, customerId: number, target: Target): Promise<string | null> {
  const customer = await db().customer.findFirst({ where: { shopId, id: customerId }, select: { shopifyCustomerId: true } });
  if (!customer) return null;
  if (target === "cart") {
    const checkout = await db().checkout.findFirst({
      where: {
        shopId,
        shopifyCustomerId: customer.shopifyCustomerId,
        completedAt: null,
        abandonedAt: { not: null },
        recoveryUrl: { not: null },
      },
      orderBy: { abandonedAt: "desc" },
      select: { recoveryUrl: true },
    });
    return checkout?.recoveryUrl ?? null;
  }
  const order = await db().order.findFirst({
    where: { shopId, shopifyCustomerId: customer.shopifyCustomerId, test: false, cancelledAt: null },
    orderBy: { processedAt: "desc" },
    select: { orderStatusUrl: true, lines: { select: { variantId: true, quantity: true } } },
  });
  if (!order) return null;
  if (target === "orderStatus") return order.orderStatusUrl;
  const items = order.lines.flatMap((l) => (l.variantId !== null ? [{ variantId: l.variantId, quantity: l.quantity }] : []));
  // Shopify cart permalink (https://<shop>/cart/<variant>:<qty>,…) fills the cart in one tap.
  return items.length ? cartPermalink(shopDomain, items) : null;
}

const handoff: PostbackHandler = {
  name: "rich-menu-handoff",
  async handle(data, ctx) {
    if (data.raw !== HANDOFF_POSTBACK_DATA) return "pass";
    const tag = await ensureTag(ctx.shop.id, HANDOFF_TAG, "engagement");
    await addTagToFriends(ctx.shop.id, tag.id, [ctx.friend.id], "rule");
    await ctx.reply(customerT(ctx.shop)("postback.handoff"));
    return "handled";
  },
};

const personalLink: PostbackHandler = {
  name: "rich-menu-personal-link",
  async handle(data, ctx) {
    if (!data.raw.startsWith(PERSONAL_LINK_POSTBACK_PREFIX)) return "pass";
    const target = data.params.to as Target;
    if (!(TARGETS as readonly string[]).includes(target)) return "pass";
    const t = customerT(ctx.shop);
    if (!ctx.friend.customerId) {
      await ctx.reply(t("postback.notLinked"));
      return "handled";
    }
    const url = await personalLinkFor(ctx.shop.id, ctx.shop.domain, ctx.friend.customerId, target);
    await ctx.reply(url ? `${t(`postback.link.${target}`)}\n${await tracked(ctx, url, target)}` : t(`postback.nothing.${target}`));
    return "handled";
  },
};

/** Postback handlers of rich-menu areas, tried after consent and linking (line-events/process.server.ts). */
export const MENU_POSTBACK_HANDLERS: PostbackHandler[] = [handoff, personalLink];
