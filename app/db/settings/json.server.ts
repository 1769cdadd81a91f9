// Shop.settings (JSON): the storage of the settings areas that have no table of their own
// (index.server.ts lists every area and where it is stored). Only the area files in this folder use
// it: each parses its part with its zod schema and saves through saveSettingsArea.
import type { Prisma, Shop } from "@prisma/client";
import { db } from "~/db.server";

export const SHOP_SETTINGS_AREAS = ["consent", "lifecycle", "abandonedCart", "plan", "attribution"] as const;
export type ShopSettingsArea = (typeof SHOP_SETTINGS_AREAS)[number];

/** The fields of a shop row an area's reader needs: its settings, and what picks the customer-facing language. */
export type ShopForSettings = Pick<Shop, "settings" | "country"> & { primaryLocale?: string | null };

/** The stored JSON of one area of `settings` (Shop.settings), or undefined when never saved; the area's reader parses it. */
export function storedSettingsArea(settings: unknown, area: ShopSettingsArea): unknown {
  return settings && typeof settings === "object" ? (settings as Record<string, unknown>)[area] : undefined;
}

/** The shop row for an area's reader; throws (Prisma's not-found error) when the shop does not exist. */
export function shopForSettings(shopId: number): Promise<Shop> {
  return db().shop.findUniqueOrThrow({ where: { id: shopId } });
}

/**
 * Replaces one area of Shop.settings with `next(stored area, shop)` and returns the updated shop.
 * The shop row is locked for the read-modify-write, so two pages saving different areas (or the same
 * area) at once both keep their change. Throws when the shop does not exist (Prisma's not-found error).
 */
export async function saveSettingsArea(
  where: { id: number } | { domain: string },
  area: ShopSettingsArea,
  next: (stored: unknown, shop: Shop) => unknown,
): Promise<Shop> {
  return db().$transaction(async (tx) => {
    const found = await tx.shop.findUniqueOrThrow({ where, select: { id: true } });
    await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${found.id} FOR UPDATE`;
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: found.id } });
    const settings = shop.settings && typeof shop.settings === "object" ? (shop.settings as Record<string, unknown>) : {};
    const value = next(settings[area], shop);
    return tx.shop.update({ where: { id: shop.id }, data: { settings: { ...settings, [area]: value } as Prisma.InputJsonValue } });
  });
}
