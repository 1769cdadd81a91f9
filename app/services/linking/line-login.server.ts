// Shopper side of LINE Login linking: /line/login?code → LINE authorize (state + nonce,
// bot_prompt=aggressive so the shopper also adds the OA) → /line/callback?code&state → token →
// verified id_token → link. Nothing is stored unless state, nonce and the one-time code all check.
// The state is bound to the browser that started the login by a signed cookie (RFC 6749 §10.12:
// "binding the value of the state parameter to the user-agent's authenticated state"), so a
// callback URL carried to another browser (login CSRF: the victim's store account linked to the
// attacker's LINE) is refused. A link that would replace an existing one is made only after the
// LINE user who just logged in confirms it on a page bound to that user and that browser.
import type { LinkIntent } from "@prisma/client";
import { db } from "~/db.server";
import { env } from "~/config/env.server";
import { lineSecrets } from "~/db/shops.server";
import { checkIntent, linkReplacesExisting, type LinkPlan, type LinkSource } from "~/domain/linking/linking";
import { authorizeUrl, exchangeCode, verifyIdToken, LineLoginError } from "~/adapters/line/login.server";
import { signToken, verifyToken } from "~/adapters/signed-token.server";
import { childLogger } from "~/adapters/logger.server";
import { consumeIntent, randomToken } from "./intents.server";
import { linkFriendToCustomer, LinkReplaceRefused, previewLink, type LinkResult } from "./links.server";

const STATE_COOKIE_PURPOSE = "line-login-state";
const REPLACE_CONFIRM_PURPOSE = "line-link-replace";
/** The state cookie and the replacement confirmation live as long as the intent (INTENT_TTL_MS). */
const STATE_COOKIE_MAX_AGE_S = 15 * 60;
const REPLACE_CONFIRM_TTL_MS = 10 * 60_000;

/**
 * `__Host-` (Secure, Path=/, no Domain: a sibling subdomain cannot plant it) whenever the app is
 * served over https, as Shopify requires in production; a plain name over http (local development).
 */
function stateCookieName(): string {
  return isHttps() ? "__Host-line_login_state" : "line_login_state";
}
const isHttps = () => new URL(env().SHOPIFY_APP_URL).protocol === "https:";

/**
 * Set-Cookie for the browser that starts LINE Login: `<state>.<signToken(state)>`, HttpOnly, Secure
 * (https), SameSite=Lax — LINE's redirect back is a top-level GET, which Lax cookies accompany.
 */
function loginStateCookie(state: string, now: Date): string {
  const value = `${state}.${signToken(STATE_COOKIE_PURPOSE, [state], new Date(now.getTime() + STATE_COOKIE_MAX_AGE_S * 1000))}`;
  return `${stateCookieName()}=${value}; Path=/; Max-Age=${STATE_COOKIE_MAX_AGE_S}; HttpOnly;${isHttps() ? " Secure;" : ""} SameSite=Lax`;
}

/** Set-Cookie that removes the state cookie (the login is over, one way or the other). */
export function clearLoginStateCookie(): string {
  return `${stateCookieName()}=; Path=/; Max-Age=0; HttpOnly;${isHttps() ? " Secure;" : ""} SameSite=Lax`;
}

/** True when the request's state cookie is genuine, unexpired and carries exactly `state`. */
function stateMatchesCookie(state: string, cookieHeader: string | null, now: Date): boolean {
  const name = stateCookieName();
  const raw = (cookieHeader ?? "")
    .split(/;\s*/)
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  const m = /^([A-Za-z0-9_-]{1,128})\.(\d{1,12}\.[A-Za-z0-9_-]{43})$/.exec(raw ?? "");
  return !!m && m[1] === state && verifyToken(m[2], STATE_COOKIE_PURPOSE, [state], now);
}

const callbackUrl = () => new URL("/line/callback", env().SHOPIFY_APP_URL).toString();

export type StartLoginResult = { ok: true; redirectTo: string; setCookie: string } | { ok: false; status: number; reason: string };

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
    setCookie: loginStateCookie(state, now),
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
  | { kind: "linked"; link: LinkResult; shopDomain: string; displayName?: string }
  | {
      kind: "confirm";
      shopDomain: string;
      /** Post these back (POST /line/callback) to make the link. */
      form: { state: string; confirm: string };
      /** The store account is linked to another LINE account, which would lose the link. */
      customerLinkedElsewhere: boolean;
      /** This LINE account is linked to another store account, which it would leave. */
      lineUserLinkedElsewhere: boolean;
      displayName?: string;
    }
  | { kind: "refused"; status: number; reason: string; shopDomain?: string };

/**
 * GET /line/callback. Refused (400, nothing stored, LINE not called) unless the browser's state
 * cookie carries this state. Then the intent, LINE's code and the id_token (nonce) are checked. A
 * link that would replace another (`linkReplacesExisting`) is not made: the LINE user is asked to
 * confirm (kind "confirm"; the intent remembers that LINE user, unconsumed) — except that a guest
 * checkout never takes a store account's link from another LINE user (409).
 */
export async function completeLineLogin(
  params: { code: string | null; state: string | null; error?: string | null; cookie: string | null },
  now = new Date(),
): Promise<CallbackResult> {
  if (!params.state) return { kind: "refused", status: 400, reason: "missing-state" };
  if (!stateMatchesCookie(params.state, params.cookie, now)) return { kind: "refused", status: 400, reason: "state-not-bound" };
  const intent = await db().linkIntent.findUnique({ where: { loginState: params.state } });
  const check = checkIntent(intent, now);
  if (!intent || check !== "ok") return { kind: "refused", status: 400, reason: `state-${check}` };
  const shop = await db().shop.findUniqueOrThrow({ where: { id: intent.shopId } });
  if (params.error || !params.code)
    return { kind: "refused", status: 400, reason: params.error ?? "missing-code", shopDomain: shop.domain };
  const secrets = lineSecrets(shop);
  if (!secrets?.loginChannelId || !secrets.loginChannelSecret || !intent.shopifyCustomerId)
    return { kind: "refused", status: 409, reason: "line-login-not-configured", shopDomain: shop.domain };
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
    return { kind: "refused", status: 400, reason: "id-token-invalid", shopDomain: shop.domain };
  }
  const plan = await previewLink(shop.id, claims.sub, intent.shopifyCustomerId);
  if (linkReplacesExisting(plan)) {
    if (guestWouldTakeOver(intent, plan)) {
      await consumeIntent(intent.id, now);
      log.info({ source: intent.source }, "guest checkout link refused: the store account is linked to another LINE user");
      return { kind: "refused", status: 409, reason: "guest-cannot-replace", shopDomain: shop.domain };
    }
    // Remember who logged in; the link waits for that LINE user's confirmation in this browser.
    await db().linkIntent.update({ where: { id: intent.id }, data: { lineUserId: claims.sub } });
    return {
      kind: "confirm",
      shopDomain: shop.domain,
      form: { state: params.state, confirm: replaceConfirmToken(intent.id, claims.sub, now) },
      customerLinkedElsewhere: plan.outcome !== "unchanged" && plan.unlinkHolderFriendId !== null,
      lineUserLinkedElsewhere: plan.outcome !== "unchanged" && plan.previousCustomerId !== null,
      displayName: claims.name,
    };
  }
  return finishLink({ intent, shop, lineUserId: claims.sub, replace: "nothing", claims, now });
}

/**
 * POST /line/callback {state, confirm}: the LINE user confirms a link that replaces another. Needs
 * the same browser (state cookie; the form is same-site, so SameSite=Lax sends it, a cross-site post
 * does not), the unexpired, unused intent, and a confirmation token signed for that intent and the
 * LINE user whose id_token was verified on the callback. Anything else: 400, nothing changed.
 */
export async function confirmLineLinkReplace(
  params: { state: string | null; confirm: string | null; cookie: string | null },
  now = new Date(),
): Promise<CallbackResult> {
  if (!params.state || !stateMatchesCookie(params.state, params.cookie, now))
    return { kind: "refused", status: 400, reason: "state-not-bound" };
  const intent = await db().linkIntent.findUnique({ where: { loginState: params.state } });
  const check = checkIntent(intent, now);
  if (!intent || check !== "ok") return { kind: "refused", status: 400, reason: `state-${check}` };
  const shop = await db().shop.findUniqueOrThrow({ where: { id: intent.shopId } });
  if (
    !intent.lineUserId ||
    !intent.shopifyCustomerId ||
    !verifyToken(params.confirm, REPLACE_CONFIRM_PURPOSE, [intent.id, intent.lineUserId], now)
  )
    return { kind: "refused", status: 400, reason: "confirmation-invalid", shopDomain: shop.domain };
  if (guestWouldTakeOver(intent, await previewLink(shop.id, intent.lineUserId, intent.shopifyCustomerId)))
    return { kind: "refused", status: 409, reason: "guest-cannot-replace", shopDomain: shop.domain };
  return finishLink({ intent, shop, lineUserId: intent.lineUserId, replace: intent.guestCheckout ? "own-link" : "any", now });
}

const replaceConfirmToken = (intentId: string, lineUserId: string, now: Date) =>
  signToken(REPLACE_CONFIRM_PURPOSE, [intentId, lineUserId], new Date(now.getTime() + REPLACE_CONFIRM_TTL_MS));

/** A guest checkout never takes a store account's link away from another LINE user (issue 9 item 3). */
const guestWouldTakeOver = (intent: { guestCheckout: boolean }, plan: LinkPlan) =>
  intent.guestCheckout && plan.outcome !== "unchanged" && plan.unlinkHolderFriendId !== null;

async function finishLink(input: {
  intent: LinkIntent;
  shop: { id: number; domain: string };
  lineUserId: string;
  replace: "nothing" | "own-link" | "any";
  claims?: { name?: string; picture?: string };
  now: Date;
}): Promise<CallbackResult> {
  const { intent, shop, lineUserId, now } = input;
  const log = childLogger({ shop: shop.domain });
  if (!(await consumeIntent(intent.id, now))) return { kind: "refused", status: 400, reason: "state-used", shopDomain: shop.domain };
  await db().linkIntent.update({ where: { id: intent.id }, data: { lineUserId } });
  let link: LinkResult;
  try {
    link = await linkFriendToCustomer({
      shopId: shop.id,
      lineUserId,
      shopifyCustomerId: intent.shopifyCustomerId!,
      source: intent.source as LinkSource,
      shopifyOrderId: intent.shopifyOrderId,
      // Without a confirmation nothing is replaced, even by a link made since we looked (decided under the lock).
      replace: input.replace,
      now,
    });
  } catch (err) {
    if (!(err instanceof LinkReplaceRefused)) throw err;
    log.info({ source: intent.source }, "link refused: it would now replace another link; the shopper starts again");
    return { kind: "refused", status: 409, reason: "link-changed", shopDomain: shop.domain };
  }
  // The id_token carries the display name: a friend linked before its follow webhook arrives still shows a name.
  const claims = input.claims;
  if (claims?.name || claims?.picture)
    await db().friend.updateMany({
      where: { id: link.friendId, displayName: null },
      data: { displayName: claims.name ?? null, pictureUrl: claims.picture ?? null },
    });
  log.info({ friendId: link.friendId, outcome: link.outcome, source: intent.source }, "linked through LINE Login");
  return { kind: "linked", link, shopDomain: shop.domain, displayName: claims?.name };
}
