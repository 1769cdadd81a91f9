// Settings area "abandonedCart" (Shop.settings.abandonedCart = { enabled, config }): the
// abandoned-cart reminder, on/off and its config (delay, menu switch, card texts per language, how old
// a checkout may be). Until migration 2026120212…_automation_settings_home it was an AutomationSetting
// row (kind "abandoned_cart"); docs/decisions/007-settings-home.md says why it moved.
import { z } from "zod";
import { AbandonedCartConfigSchema, type AbandonedCartConfig } from "~/domain/reminders/abandoned-cart";
import { saveSettingsArea, shopForSettings, storedSettingsArea, type ShopForSettings } from "./json.server";

export const AbandonedCartSettingsSchema = z.object({ enabled: z.boolean(), config: AbandonedCartConfigSchema });
export type AbandonedCartSettings = { enabled: boolean; config: AbandonedCartConfig };

/** Off, a reminder one hour after the checkout's last update, built-in card texts. */
export const ABANDONED_CART_DEFAULTS: AbandonedCartSettings = { enabled: false, config: AbandonedCartConfigSchema.parse({}) };

/** From the shop's loaded row; a stored config that does not fit the schema reads as the default config. */
export function readAbandonedCartSettings(shop: Pick<ShopForSettings, "settings">): AbandonedCartSettings {
  const stored = storedSettingsArea(shop.settings, "abandonedCart");
  const s = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const config = AbandonedCartConfigSchema.safeParse(s.config ?? {});
  return { enabled: s.enabled === true, config: config.success ? config.data : ABANDONED_CART_DEFAULTS.config };
}

export async function loadAbandonedCartSettings(shopId: number): Promise<AbandonedCartSettings> {
  return readAbandonedCartSettings(await shopForSettings(shopId));
}

/** Changes `enabled` and/or the given config fields, keeps the rest; throws (ZodError) for a config out of the schema. */
export async function saveAbandonedCartSettings(
  shopId: number,
  patch: { enabled?: boolean; config?: Partial<AbandonedCartConfig> },
): Promise<AbandonedCartSettings> {
  let saved: AbandonedCartSettings | undefined;
  await saveSettingsArea({ id: shopId }, "abandonedCart", (_stored, shop) => {
    const current = readAbandonedCartSettings(shop);
    saved = AbandonedCartSettingsSchema.parse({
      enabled: patch.enabled ?? current.enabled,
      config: { ...current.config, ...(patch.config ?? {}) },
    });
    return saved;
  });
  return saved!;
}
