// Loader data for the broadcast admin pages.
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { localToUtc } from "~/domain/broadcasts/schedule";
import { listTestFriends } from "./test-send.server";

export async function composeOptions(shop: Shop) {
  const segments = await db().segment.findMany({
    where: { shopId: shop.id },
    select: { id: true, name: true, memberCount: true },
    orderBy: { name: "asc" },
  });
  const products = await db().$queryRaw<Array<{ productId: bigint | null; variantId: bigint | null; title: string; price: string }>>`
    SELECT DISTINCT ON (title) "productId", "variantId", title, price::text FROM "OrderLine" WHERE "shopId" = ${shop.id} ORDER BY title, "purchasedAt" DESC LIMIT 100`;
  const sample = await db().friend.findFirst({
    where: { shopId: shop.id, following: true },
    select: { displayName: true },
    orderBy: { id: "asc" },
  });
  return {
    segments,
    products: products.map((p) => ({
      title: p.title,
      price: p.price,
      url: p.variantId ? `https://${shop.domain}/cart/${p.variantId}:1` : `https://${shop.domain}/`,
    })),
    /** A real display name for the preview's {{displayName}}. */
    sampleName: sample?.displayName ?? null,
    testFriends: await listTestFriends(shop.id),
    /** Shopify's shareable discount link prefix: https://{shop}/discount/{code} applies the code at checkout. */
    discountLinkBase: `https://${shop.domain}/discount/`,
    timezone: shop.timezone,
    currency: shop.currency,
    lineConnected: Boolean(shop.lineConnectedAt),
  };
}

/** The schedule's instant from the form's date ("2026-12-28") and time ("10:00") in the shop's time zone; null when missing or malformed. */
export function scheduleFromForm(date: string, time: string, tz: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time || "09:00")) return null;
  return localToUtc(date, time || "09:00", tz);
}
