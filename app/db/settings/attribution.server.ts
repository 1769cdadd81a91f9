// Settings area "attribution" (Shop.settings.attribution): how long after a click (or a send) an
// order counts as brought by LINE, and whether orders without a click (assisted by a send) count.
// Read the same way by ROI attribution and by abandoned-cart recovery.
import { z } from "zod";
import { saveSettingsArea, shopForSettings, storedSettingsArea, type ShopForSettings } from "./json.server";

export const AttributionSettingsSchema = z.object({
  /** Days after a click (or a send) in which an order is attributed to it. */
  windowDays: z.number().positive(),
  /** Orders without a click, assisted by a send, are attributed too. */
  assisted: z.boolean(),
});
export type AttributionSettings = z.infer<typeof AttributionSettingsSchema>;

export const ATTRIBUTION_DEFAULTS: AttributionSettings = { windowDays: 7, assisted: true };

/** A stored field that does not fit the schema reads as its default. */
export function readAttributionSettings(shop: Pick<ShopForSettings, "settings">): AttributionSettings {
  const stored = storedSettingsArea(shop.settings, "attribution");
  const s = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const windowDays = AttributionSettingsSchema.shape.windowDays.safeParse(s.windowDays);
  return { windowDays: windowDays.success ? windowDays.data : ATTRIBUTION_DEFAULTS.windowDays, assisted: s.assisted !== false };
}

export async function loadAttributionSettings(shopId: number): Promise<AttributionSettings> {
  return readAttributionSettings(await shopForSettings(shopId));
}

export async function saveAttributionSettings(shopId: number, input: Partial<AttributionSettings>): Promise<AttributionSettings> {
  const shop = await saveSettingsArea({ id: shopId }, "attribution", (_stored, current) =>
    AttributionSettingsSchema.parse({ ...readAttributionSettings(current), ...input }),
  );
  return readAttributionSettings(shop);
}
