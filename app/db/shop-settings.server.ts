// Shop.settings (JSON): the home of the per-shop settings areas that have no table of their own.
// Each area has one typed loader and one saver, and every saver writes through saveSettingsArea:
//   consent     — keywords and replies: consentSettings / saveConsentSettings (services/consent)
//   lifecycle   — lifecycle automations: lifecycleSettings / saveLifecycleSettings (services/automations)
//   plan        — the LINE plan region and plan: planSettings (domain/broadcasts/cost) / setLinePlan (services/shops)
//   attribution — window and assisted orders: domain/roi/settings.ts (read only; defaults until a saver exists)
// Settings with rows of their own: MessagingPolicy (quiet hours, frequency cap; services/messaging/
// policy.server.ts), AutomationSetting (abandoned cart; services/messaging/automation-settings.server.ts),
// AssistantSetting (the assistant's model; services/assistant/settings.server.ts).
import type { Prisma, Shop } from "@prisma/client";
import { db } from "~/db.server";

export const SHOP_SETTINGS_AREAS = ["consent", "lifecycle", "plan", "attribution"] as const;
export type ShopSettingsArea = (typeof SHOP_SETTINGS_AREAS)[number];

/** The stored JSON of one area of `settings` (Shop.settings), or undefined when never saved; the area's loader parses it. */
export function storedSettingsArea(settings: unknown, area: ShopSettingsArea): unknown {
  return settings && typeof settings === "object" ? (settings as Record<string, unknown>)[area] : undefined;
}

/**
 * Replaces one area of Shop.settings with `next(stored area, shop)` and returns the updated shop.
 * The shop row is locked for the read-modify-write, so two pages saving different areas at once
 * both keep their change. Throws when the shop does not exist (Prisma's not-found error).
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
