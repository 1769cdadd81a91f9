// LINE-first linking with the Messaging API account-link flow
// (https://developers.line.biz/en/docs/messaging-api/linking-accounts/):
// "Link my account" (postback action=link or keyword) → link token → reply with our storefront URL →
// shopper logs in to the store → app proxy issues a nonce bound to the logged-in customer → LINE's
// accountLink dialog → accountLink webhook {nonce} → link (source 'line').
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { checkIntent } from "~/domain/linking/linking";
import { accountLinkUrl } from "~/adapters/line/login.server";
import { classifyLineError, lineClients } from "~/adapters/line/client.server";
import { childLogger } from "~/adapters/logger.server";
import { consumeIntent, issueLinkIntent } from "./intents.server";
import { linkFriendToCustomer, type LinkResult } from "./links.server";

/** The storefront page (app proxy subpath "line") that finishes the flow after the shopper logs in. */
export function storefrontAccountLinkUrl(shopDomain: string, linkToken: string): string {
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
  const client = lineClients(secrets.channelAccessToken).messaging;
  let linkToken: string;
  try {
    linkToken = (await client.issueLinkToken(lineUserId)).linkToken;
  } catch (err) {
    // Link tokens are only issued for friends; a blocked user cannot link from LINE.
    log.warn({ err: classifyLineError(err).message }, "issueLinkToken failed");
    return null;
  }
  const url = storefrontAccountLinkUrl(shop.domain, linkToken);
  let replied = false;
  if (replyToken) {
    try {
      await client.replyMessage({
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
      replied = true;
    } catch (err) {
      log.warn({ err: classifyLineError(err).message }, "account-link reply failed");
    }
  }
  return { url, replied };
}

/** Storefront side, after login: a nonce bound to the logged-in customer, then LINE's dialog. */
export async function prepareAccountLink(input: {
  shopId: number;
  shopifyCustomerId: bigint;
  linkToken: string;
  now?: Date;
}): Promise<string> {
  const { nonce } = await issueLinkIntent({
    shopId: input.shopId,
    shopifyCustomerId: input.shopifyCustomerId,
    source: "line",
    linkToken: input.linkToken,
    now: input.now,
  });
  return accountLinkUrl(input.linkToken, nonce);
}

export type AccountLinkOutcome = { outcome: "linked"; link: LinkResult } | { outcome: "failed" | "unknown-nonce" | "expired" | "used" };

/** The accountLink webhook event. */
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
  if (!intent.shopifyCustomerId || !(await consumeIntent(intent.id, input.now))) return { outcome: "used" };
  await db().linkIntent.update({ where: { id: intent.id }, data: { lineUserId: input.lineUserId } });
  const link = await linkFriendToCustomer({
    shopId: input.shopId,
    lineUserId: input.lineUserId,
    shopifyCustomerId: intent.shopifyCustomerId,
    source: "line",
    now: input.now,
  });
  return { outcome: "linked", link };
}
