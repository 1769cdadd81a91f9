// Shopper side of LINE Login linking: /line/login?code → LINE authorize (state + nonce,
// bot_prompt=aggressive so the shopper also adds the OA) → /line/callback?code&state → token →
// verified id_token → link. Nothing is stored unless state, nonce and the one-time code all check.
import { db } from "~/db.server";
import { env } from "~/config/env.server";
import { lineSecrets } from "~/db/shops.server";
import { checkIntent, type LinkSource } from "~/domain/linking/linking";
import { authorizeUrl, exchangeCode, verifyIdToken, LineLoginError } from "~/adapters/line/login.server";
import { childLogger } from "~/adapters/logger.server";
import { consumeIntent, randomToken } from "./intents.server";
import { linkFriendToCustomer, type LinkResult } from "./links.server";

export const callbackUrl = () => new URL("/line/callback", env().SHOPIFY_APP_URL).toString();

export type StartLoginResult = { ok: true; redirectTo: string } | { ok: false; status: number; reason: string };

export async function startLineLogin(code: string | null, now = new Date()): Promise<StartLoginResult> {
  const intent = code ? await db().linkIntent.findUnique({ where: { id: code } }) : null;
  const check = checkIntent(intent, now);
  if (!intent || check !== "ok") return { ok: false, status: check === "unknown" ? 404 : 410, reason: check };
  if (!intent.shopifyCustomerId) return { ok: false, status: 400, reason: "intent-without-customer" };
  const shop = await db().shop.findUnique({ where: { id: intent.shopId } });
  const secrets = shop ? lineSecrets(shop) : undefined;
  if (!shop || shop.uninstalledAt || !secrets?.loginChannelId) return { ok: false, status: 409, reason: "line-login-not-configured" };
  // A fresh state each time the page is opened (a reload must not reuse a state LINE already saw).
  const state = randomToken();
  await db().linkIntent.update({ where: { id: intent.id }, data: { loginState: state } });
  return {
    ok: true,
    redirectTo: authorizeUrl({
      clientId: secrets.loginChannelId,
      redirectUri: callbackUrl(),
      state,
      nonce: intent.nonce,
      botPrompt: "aggressive",
    }),
  };
}

export type CallbackResult =
  | { ok: true; link: LinkResult; shopDomain: string; displayName?: string }
  | { ok: false; status: number; reason: string; shopDomain?: string };

export async function completeLineLogin(
  params: { code: string | null; state: string | null; error?: string | null },
  now = new Date(),
): Promise<CallbackResult> {
  if (!params.state) return { ok: false, status: 400, reason: "missing-state" };
  const intent = await db().linkIntent.findUnique({ where: { loginState: params.state } });
  const check = checkIntent(intent, now);
  if (!intent || check !== "ok") return { ok: false, status: 400, reason: `state-${check}` };
  const shop = await db().shop.findUniqueOrThrow({ where: { id: intent.shopId } });
  if (params.error || !params.code) return { ok: false, status: 400, reason: params.error ?? "missing-code", shopDomain: shop.domain };
  const secrets = lineSecrets(shop);
  if (!secrets?.loginChannelId || !secrets.loginChannelSecret || !intent.shopifyCustomerId)
    return { ok: false, status: 409, reason: "line-login-not-configured", shopDomain: shop.domain };
  const log = childLogger({ shop: shop.domain });
  let claims;
  try {
    const tokens = await exchangeCode({
      code: params.code,
      redirectUri: callbackUrl(),
      clientId: secrets.loginChannelId,
      clientSecret: secrets.loginChannelSecret,
    });
    claims = await verifyIdToken({ idToken: tokens.id_token, clientId: secrets.loginChannelId, nonce: intent.nonce });
  } catch (err) {
    log.warn({ err: err instanceof LineLoginError ? err.message : String(err) }, "LINE Login callback refused");
    return { ok: false, status: 400, reason: "id-token-invalid", shopDomain: shop.domain };
  }
  if (!(await consumeIntent(intent.id, now))) return { ok: false, status: 400, reason: "state-used", shopDomain: shop.domain };
  await db().linkIntent.update({ where: { id: intent.id }, data: { lineUserId: claims.sub } });
  const link = await linkFriendToCustomer({
    shopId: shop.id,
    lineUserId: claims.sub,
    shopifyCustomerId: intent.shopifyCustomerId,
    source: intent.source as LinkSource,
    shopifyOrderId: intent.shopifyOrderId,
    now,
  });
  // The id_token carries the display name: a friend linked before its follow webhook arrives still shows a name.
  if (claims.name || claims.picture)
    await db().friend.updateMany({
      where: { id: link.friendId, displayName: null },
      data: { displayName: claims.name ?? null, pictureUrl: claims.picture ?? null },
    });
  log.info({ friendId: link.friendId, outcome: link.outcome, source: intent.source }, "linked through LINE Login");
  return { ok: true, link, shopDomain: shop.domain, displayName: claims.name };
}
