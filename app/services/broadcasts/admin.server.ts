// Loader data for the broadcast admin pages.
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { parseClock, zonedInstant } from "~/domain/time/zoned";
import { listTestFriends } from "./test-send.server";
import { estimateBroadcast, type BroadcastEstimate } from "./broadcasts.server";

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

/**
 * The audience the composer opens with when a link names a segment (`/app/broadcasts/new?segmentId=N`,
 * where the segment assistant's Approve lands): that segment of `shop` with its send estimate, or
 * null when `rawId` is missing, not an id, or not one of the shop's segments (ignored, no error).
 */
export async function preselectedAudience(
  shop: Shop,
  rawId: string | null,
  now = new Date(),
): Promise<{ segmentId: number; name: string; estimate: BroadcastEstimate } | null> {
  const id = Number(rawId);
  if (!rawId || !Number.isInteger(id) || id <= 0 || id > 2_147_483_647) return null;
  const segment = await db().segment.findFirst({ where: { shopId: shop.id, id }, select: { id: true, name: true } });
  if (!segment) return null;
  return { segmentId: segment.id, name: segment.name, estimate: await estimateBroadcast(shop, { segmentIds: [segment.id] }, now) };
}

/**
 * The instant a broadcast scheduled for local `date` ("YYYY-MM-DD") at `time` ("HH:MM", default
 * 09:00) in the shop's zone `tz` goes out; null when the date or time is missing or not real.
 * A time skipped by a DST change sends when the gap ends; one that happens twice, the first time.
 */
export function scheduleFromForm(date: string, time: string, tz: string): Date | null {
  const minute = parseClock(time || "09:00");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || minute === null) return null;
  try {
    return zonedInstant(date, minute, tz);
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}
