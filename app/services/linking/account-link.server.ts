// LINE-first linking with the Messaging API account-link flow
// (https://developers.line.biz/en/docs/messaging-api/linking-accounts/):
// "Link my account" (postback action=link or keyword) → link token, recorded with the LINE user it was
// issued to → reply with our storefront URL → shopper logs in to the store → a confirmation page bound
// to their session (CSRF token over shop + logged-in customer + link token) → POST "Link" → a fresh
// nonce bound to that customer → LINE's accountLink dialog → accountLink webhook {nonce} from the same
// LINE user → link (source 'line').
//
// Why the confirmation: a link token names the LINE user who asked for it, not the shopper who opens
// the URL. Without it, opening an attacker's link while logged in to the store linked the attacker's
// LINE account to the victim's customer (issue 9, item 2).
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { checkIntent } from "~/domain/linking/linking";
import { accountLinkUrl } from "~/adapters/line/login.server";
import { classifyLineError, lineChannel } from "~/adapters/line/client.server";
import { childLogger } from "~/adapters/logger.server";
import { consumeIntent, issueLinkIntent, randomToken } from "./intents.server";
import { linkFriendToCustomer, type LinkResult } from "./links.server";

/** The storefront page (app proxy subpath "line") that finishes the flow after the shopper logs in. */
function storefrontAccountLinkUrl(shopDomain: string, linkToken: string): string {
  const u = new URL(`https://${shopDomain}/apps/line/account-link`);
  u.searchParams.set("linkToken", linkToken);
  return u.toString();
}

export async function startAccountLink(
  shop: Shop,
  lineUserId: string,
  replyToken?: string,
): Promise<{ url: string; replied: boolean } | null> {
  const secrets = lineSecrets(shop);
  if (!secrets) return null;
  const log = childLogger({ shop: shop.domain });
  const channel = lineChannel(secrets.channelAccessToken);
  let linkToken: string;
  try {
    linkToken = await channel.issueLinkToken(lineUserId);
  } catch (err) {
    // Link tokens are only issued for friends; a blocked user cannot link from LINE.
    log.warn({ err: classifyLineError(err).message }, "issueLinkToken failed");
    return null;
  }
  // The token is bound to this LINE user: only an accountLink event from them can complete it.
  await issueLinkIntent({ shopId: shop.id, shopifyCustomerId: null, source: "line", lineUserId, linkToken });
  const url = storefrontAccountLinkUrl(shop.domain, linkToken);
  let replied = false;
  if (replyToken) {
    const outcome = await channel.reply({
      replyToken,
      messages: [
        {
          type: "template",
          altText: "Link your store account",
          template: {
            type: "buttons",
            text: "Log in to the store to link your account (valid for 10 minutes).",
            actions: [{ type: "uri", label: "Link my account", uri: url }],
          },
        },
      ],
    });
    replied = outcome.kind === "sent";
    if (outcome.kind !== "sent") log.warn({ outcome: outcome.kind, err: outcome.message }, "account-link reply failed");
  }
  return { url, replied };
}

/** The pending LINE-first intent of a link token (issued by startAccountLink, not claimed by another customer). */
export async function findAccountLinkIntent(shopId: number, linkToken: string, now: Date) {
  const intent = await db().linkIntent.findFirst({ where: { shopId, linkToken, source: "line" }, orderBy: { createdAt: "desc" } });
  return intent && checkIntent(intent, now) === "ok" && intent.lineUserId ? intent : null;
}

/**
 * The shopper confirmed (POST with a valid CSRF token): the intent is bound to their customer and gets
 * a fresh nonce — the only nonce LINE can bring back for this link. A token another customer already
 * claimed is refused (null). Returns LINE's account-link dialog URL.
 */
export async function claimAccountLink(input: {
  shopId: number;
  shopifyCustomerId: bigint;
  linkToken: string;
  now: Date;
}): Promise<string | null> {
  const intent = await findAccountLinkIntent(input.shopId, input.linkToken, input.now);
  if (!intent) return null;
  const nonce = randomToken();
  const claimed = await db().linkIntent.updateMany({
    where: {
      id: intent.id,
      usedAt: null,
      OR: [{ shopifyCustomerId: null }, { shopifyCustomerId: input.shopifyCustomerId }],
    },
    data: { shopifyCustomerId: input.shopifyCustomerId, nonce },
  });
  return claimed.count === 1 ? accountLinkUrl(input.linkToken, nonce) : null;
}

export type AccountLinkOutcome =
  | { outcome: "linked"; link: LinkResult }
  | { outcome: "failed" | "unknown-nonce" | "not-confirmed" | "other-line-user" | "expired" | "used" };

/**
 * The accountLink webhook event: the nonce must be one a logged-in customer confirmed (claimAccountLink)
 * and the event must come from the LINE user the link token was issued to.
 */
export async function completeAccountLink(input: {
  shopId: number;
  lineUserId: string;
  nonce: string;
  result: "ok" | "failed";
  now: Date;
}): Promise<AccountLinkOutcome> {
  const intent = await db().linkIntent.findUnique({ where: { nonce: input.nonce } });
  if (!intent || intent.shopId !== input.shopId || intent.source !== "line") return { outcome: "unknown-nonce" };
  if (input.result !== "ok") return { outcome: "failed" };
  const check = checkIntent(intent, input.now);
  if (check === "expired" || check === "used") return { outcome: check };
  if (!intent.shopifyCustomerId) return { outcome: "not-confirmed" };
  if (intent.lineUserId !== input.lineUserId) return { outcome: "other-line-user" };
  if (!(await consumeIntent(intent.id, input.now))) return { outcome: "used" };
  const link = await linkFriendToCustomer({
    shopId: input.shopId,
    lineUserId: input.lineUserId,
    shopifyCustomerId: intent.shopifyCustomerId,
    source: "line",
    now: input.now,
  });
  return { outcome: "linked", link };
}
