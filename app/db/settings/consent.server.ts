// Settings area "consent" (Shop.settings.consent): the keywords friends send to stop or restart
// marketing messages, the replies they get, and whether a Shopify email unsubscribe opts the linked
// friend out. The replies come in the shop's language until the merchant edits them.
import { z } from "zod";
import { customerT } from "~/i18n/i18n.server";
import { saveSettingsArea, shopForSettings, storedSettingsArea, type ShopForSettings } from "./json.server";

export const ConsentSettingsSchema = z.object({
  optOutKeywords: z.array(z.string()).min(1),
  optInKeywords: z.array(z.string()),
  optOutPostback: z.string().min(1),
  optInPostback: z.string().min(1),
  optOutReply: z.string().min(1),
  optInReply: z.string().min(1),
  mirrorShopify: z.boolean(),
});
export type ConsentSettings = z.infer<typeof ConsentSettingsSchema>;

/** What the merchant edits (postback data stays the default: rich menus send it, nobody types it). */
export type ConsentSettingsEdit = Omit<ConsentSettings, "optOutPostback" | "optInPostback">;

/** Defaults; the replies come in the shop's language (consentDefaults). Keywords cover the four languages. */
export const DEFAULT_CONSENT_SETTINGS: Omit<ConsentSettings, "optOutReply" | "optInReply"> = {
  optOutKeywords: ["STOP", "配信停止", "停止", "取消訂閱", "หยุด"],
  optInKeywords: ["START", "配信再開", "訂閱", "เริ่ม"],
  optOutPostback: "action=optout",
  optInPostback: "action=optin",
  mirrorShopify: false,
};

export function consentDefaults(shop: ShopForSettings): ConsentSettings {
  const t = customerT(shop);
  return { ...DEFAULT_CONSENT_SETTINGS, optOutReply: t("consent.optOutReply"), optInReply: t("consent.optInReply") };
}

/** The shop's consent settings from its loaded row: what the merchant saved over the defaults (a field stored malformed reads as its default). */
export function readConsentSettings(shop: ShopForSettings): ConsentSettings {
  const stored = storedSettingsArea(shop.settings, "consent");
  const s = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const shape = ConsentSettingsSchema.shape;
  const valid = Object.fromEntries(Object.entries(s).filter(([k, v]) => k in shape && shape[k as keyof typeof shape].safeParse(v).success));
  return { ...consentDefaults(shop), ...valid };
}

export async function loadConsentSettings(shopId: number): Promise<ConsentSettings> {
  return readConsentSettings(await shopForSettings(shopId));
}

/** Stores the merchant's edit (validated: domain/consent/settings.ts validateConsentSettings shapes it); returns what is now in force. */
export async function saveConsentSettings(shopId: number, input: ConsentSettingsEdit): Promise<ConsentSettings> {
  const shop = await saveSettingsArea({ id: shopId }, "consent", () =>
    ConsentSettingsSchema.omit({ optOutPostback: true, optInPostback: true }).parse(input),
  );
  return readConsentSettings(shop);
}
