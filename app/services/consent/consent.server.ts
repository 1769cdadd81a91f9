// Marketing consent: every change is a ConsentEvent (time + source) and updates
// Friend.marketingOptOut, which every marketing send re-reads at the moment of sending.
// Transactional messages (order updates asked for at linking) ignore it: MessageSend.kind.
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { saveSettingsArea, storedSettingsArea } from "~/db/shop-settings.server";
import { emit } from "~/reactions.server";
import { lineSecrets } from "~/db/shops.server";
import { lineChannel } from "~/adapters/line/client.server";
import { childLogger } from "~/adapters/logger.server";
import { customerT } from "~/i18n/i18n.server";
import {
  normaliseKeyword,
  validateConsentSettings,
  type ConsentSettingsErrors,
  type ConsentSettingsInput,
} from "~/domain/consent/settings";

export type ConsentSource = "keyword" | "postback" | "merchant" | "shopify_mirror" | "import" | "cli";

export type ConsentSettings = {
  optOutKeywords: string[];
  optInKeywords: string[];
  optOutPostback: string;
  optInPostback: string;
  optOutReply: string;
  optInReply: string;
  mirrorShopify: boolean;
};

/** Defaults; the replies come in the shop's language (consentSettings). Keywords cover the four languages. */
const DEFAULT_CONSENT_SETTINGS: Omit<ConsentSettings, "optOutReply" | "optInReply"> = {
  optOutKeywords: ["STOP", "配信停止", "停止", "取消訂閱", "หยุด"],
  optInKeywords: ["START", "配信再開", "訂閱", "เริ่ม"],
  optOutPostback: "action=optout",
  optInPostback: "action=optin",
  mirrorShopify: false,
};

/** The shop's consent settings: what the merchant saved over the defaults (replies in the shop's language). */
export function consentSettings(shop: Pick<Shop, "settings" | "country"> & { primaryLocale?: string | null }): ConsentSettings {
  const s = (storedSettingsArea(shop.settings, "consent") ?? {}) as Partial<ConsentSettings>;
  const t = customerT(shop);
  return { ...DEFAULT_CONSENT_SETTINGS, optOutReply: t("consent.optOutReply"), optInReply: t("consent.optInReply"), ...s };
}

/**
 * Settings → Consent: validate and store the keywords, replies and Shopify mirror
 * (Shop.settings.consent, app/db/shop-settings.server.ts). Postback data stays the default: rich
 * menus send it and the merchant never types it. Returns the errors per field when refused.
 */
export async function saveConsentSettings(
  shopId: number,
  input: ConsentSettingsInput,
): Promise<{ ok: true; settings: ConsentSettings } | { ok: false; errors: ConsentSettingsErrors }> {
  const checked = validateConsentSettings(input);
  if (!checked.ok) return checked;
  const shop = await saveSettingsArea({ id: shopId }, "consent", () => checked.value);
  return { ok: true, settings: consentSettings(shop) };
}

/**
 * Record a consent change with its time and source. An unchanged state records nothing. A change
 * refreshes the friend's segment memberships (marketingConsent conditions, send exclusions).
 */
export async function setMarketingConsent(input: {
  shopId: number;
  friendId: number;
  optedOut: boolean;
  source: ConsentSource;
  detail?: string;
  at?: Date;
}): Promise<"changed" | "unchanged"> {
  const at = input.at ?? new Date();
  const outcome = await db().$transaction(async (tx) => {
    const updated = await tx.friend.updateMany({
      where: { id: input.friendId, shopId: input.shopId, marketingOptOut: !input.optedOut },
      data: { marketingOptOut: input.optedOut, marketingOptOutAt: input.optedOut ? at : null },
    });
    if (!updated.count) return "unchanged";
    await tx.consentEvent.create({
      data: { shopId: input.shopId, friendId: input.friendId, optedOut: input.optedOut, source: input.source, detail: input.detail, at },
    });
    return "changed" as const;
  });
  if (outcome === "changed")
    await emit(
      "friend.consent-changed",
      { shopId: input.shopId, friendId: input.friendId, optedOut: input.optedOut },
      `${input.friendId}:${at.getTime()}:${input.optedOut ? "out" : "in"}`,
    );
  return outcome;
}

export function consentHistory(shopId: number, friendId: number) {
  return db().consentEvent.findMany({ where: { shopId, friendId }, orderBy: { at: "desc" }, take: 200 });
}

function matchConsentText(settings: ConsentSettings, text: string): "optout" | "optin" | null {
  const t = normaliseKeyword(text);
  if (settings.optOutKeywords.some((k) => normaliseKeyword(k) === t)) return "optout";
  if (settings.optInKeywords.some((k) => normaliseKeyword(k) === t)) return "optin";
  return null;
}

function matchConsentPostback(settings: ConsentSettings, data: string): "optout" | "optin" | null {
  if (data === settings.optOutPostback) return "optout";
  if (data === settings.optInPostback) return "optin";
  return null;
}

/**
 * A LINE text message or postback from a friend: when it is a consent keyword/postback, record the
 * change and confirm with a reply (replies are free). Returns null when it was not about consent.
 * The LINE events pipeline calls this (registered as a keyword/postback handler when available).
 */
export async function handleConsentEvent(input: {
  shopId: number;
  lineUserId: string;
  kind: "text" | "postback";
  value: string;
  replyToken?: string;
  at?: Date;
}): Promise<{ action: "optout" | "optin"; result: "changed" | "unchanged"; replied: boolean } | null> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: input.shopId } });
  const settings = consentSettings(shop);
  const action = input.kind === "text" ? matchConsentText(settings, input.value) : matchConsentPostback(settings, input.value);
  if (!action) return null;
  const friend = await db().friend.findUnique({ where: { shopId_lineUserId: { shopId: shop.id, lineUserId: input.lineUserId } } });
  if (!friend) return null;
  const result = await setMarketingConsent({
    shopId: shop.id,
    friendId: friend.id,
    optedOut: action === "optout",
    source: input.kind === "text" ? "keyword" : "postback",
    detail: input.kind === "text" ? normaliseKeyword(input.value) : input.value,
    at: input.at,
  });
  let replied = false;
  const secrets = lineSecrets(shop);
  if (input.replyToken && secrets) {
    const outcome = await lineChannel(secrets.channelAccessToken).reply({
      replyToken: input.replyToken,
      messages: [{ type: "text", text: action === "optout" ? settings.optOutReply : settings.optInReply }],
    });
    replied = outcome.kind === "sent";
    if (outcome.kind !== "sent")
      childLogger({ shop: shop.domain }).warn({ outcome: outcome.kind, err: outcome.message }, "consent reply failed");
  }
  return { action, result, replied };
}

/** Shopify mirror: the linked friend follows the customer's email marketing consent when enabled. */
export async function mirrorShopifyConsent(shopId: number, shopifyCustomerId: bigint): Promise<"changed" | "unchanged" | "off"> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  if (!consentSettings(shop).mirrorShopify) return "off";
  const customer = await db().customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
  if (!customer?.emailMarketingState) return "unchanged";
  const friend = await db().friend.findFirst({ where: { shopId, customerId: customer.id } });
  if (!friend) return "unchanged";
  const state = customer.emailMarketingState.toUpperCase();
  if (state === "UNSUBSCRIBED" && !friend.marketingOptOut)
    return setMarketingConsent({ shopId, friendId: friend.id, optedOut: true, source: "shopify_mirror", detail: state });
  return "unchanged";
}
