// Loader data for the broadcast admin pages.
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { localToUtc } from "~/domain/broadcasts/schedule";

export async function composeOptions(shop: Shop) {
  const segments = await db().segment.findMany({
    where: { shopId: shop.id },
    select: { id: true, name: true, memberCount: true },
    orderBy: { name: "asc" },
  });
  const products = await db().$queryRaw<Array<{ productId: bigint | null; variantId: bigint | null; title: string; price: string }>>`
    SELECT DISTINCT ON (title) "productId", "variantId", title, price::text FROM "OrderLine" WHERE "shopId" = ${shop.id} ORDER BY title, "purchasedAt" DESC LIMIT 100`;
  const friends = await db().friend.findMany({
    where: { shopId: shop.id, following: true },
    select: { id: true, displayName: true },
    orderBy: { id: "asc" },
    take: 50,
  });
  return {
    segments,
    products: products.map((p) => ({
      title: p.title,
      price: p.price,
      url: p.variantId ? `https://${shop.domain}/cart/${p.variantId}:1` : `https://${shop.domain}/`,
    })),
    friends: friends.map((f) => ({ id: f.id, name: f.displayName ?? `Friend ${f.id}` })),
    timezone: shop.timezone,
    currency: shop.currency,
    lineConnected: Boolean(shop.lineConnectedAt),
  };
}

export function scheduleFromForm(date: string, time: string, tz: string): Date | null {
  if (!date) return null;
  return localToUtc(date, time || "09:00", tz);
}
