// Marketing consent: every change is a ConsentEvent (time + source) and updates
// Friend.marketingOptOut, which every marketing send re-reads at the moment of sending.
// Transactional messages (order updates asked for at linking) ignore it: MessageSend.kind.
import { db } from "~/db.server";
import { readConsentSettings, type ConsentSettings } from "~/db/settings/consent.server";
import { emit } from "~/reactions.server";
import { lineSecrets } from "~/db/shops.server";
import { lineChannel } from "~/adapters/line/client.server";
import { childLogger } from "~/adapters/logger.server";
import { normaliseKeyword } from "~/domain/consent/settings";

export type ConsentSource = "keyword" | "postback" | "merchant" | "shopify_mirror" | "import" | "cli";

export type { ConsentSettings };

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
  const settings = readConsentSettings(shop);
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
  if (!readConsentSettings(shop).mirrorShopify) return "off";
  const customer = await db().customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
  if (!customer?.emailMarketingState) return "unchanged";
  const friend = await db().friend.findFirst({ where: { shopId, customerId: customer.id } });
  if (!friend) return "unchanged";
  const state = customer.emailMarketingState.toUpperCase();
  if (state === "UNSUBSCRIBED" && !friend.marketingOptOut)
    return setMarketingConsent({ shopId, friendId: friend.id, optedOut: true, source: "shopify_mirror", detail: state });
  return "unchanged";
}
