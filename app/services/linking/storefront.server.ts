// Storefront linking through the app proxy. Shopify signs the proxied query (shop,
// logged_in_customer_id, timestamp, signature); the route has checked the signature before calling
// these, so logged_in_customer_id is trustworthy — an empty value means "not logged in".
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { parseShopifyId } from "~/domain/linking/linking";
import { issueLinkIntent, loginStartUrl } from "./intents.server";
import { signToken, verifyToken } from "~/adapters/signed-token.server";
import { claimAccountLink, findAccountLinkIntent } from "./account-link.server";

export type StorefrontResult =
  { kind: "redirect"; url: string } | { kind: "login"; returnTo: string } | { kind: "unavailable"; message: string };

async function context(query: URLSearchParams) {
  const shop = await db().shop.findUnique({ where: { domain: query.get("shop") ?? "" } });
  const customerId = parseShopifyId(query.get("logged_in_customer_id") ?? "", "Customer");
  return { shop: shop && !shop.uninstalledAt ? shop : null, customerId };
}

export async function startStorefrontLink(query: URLSearchParams, now = new Date()): Promise<StorefrontResult> {
  const { shop, customerId } = await context(query);
  if (!shop) return { kind: "unavailable", message: "This store has not set up LINE yet." };
  if (!customerId) return { kind: "login", returnTo: "/apps/line" };
  if (!shop.lineLoginChannelId) return { kind: "unavailable", message: "This store has not set up LINE Login yet." };
  const { code } = await issueLinkIntent({ shopId: shop.id, shopifyCustomerId: customerId, source: "storefront", now });
  return { kind: "redirect", url: loginStartUrl(code) };
}

const CSRF_PURPOSE = "account-link-confirm";
const CSRF_TTL_MS = 10 * 60_000; // LINE's link token lives 10 minutes

export type AccountLinkPageResult =
  | { kind: "confirm"; linkToken: string; csrf: string; lineDisplayName: string | null }
  | { kind: "redirect"; url: string }
  | { kind: "login"; returnTo: string }
  | { kind: "unavailable"; status: number; message: string };

const INVALID_LINK = "This link is not valid or has expired. Ask for a new one in LINE.";

async function accountLinkContext(
  query: URLSearchParams,
  linkToken: string,
): Promise<{ error: AccountLinkPageResult } | { shop: Shop; customerId: bigint }> {
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(linkToken)) return { error: { kind: "unavailable", status: 400, message: INVALID_LINK } };
  const { shop, customerId } = await context(query);
  if (!shop) return { error: { kind: "unavailable", status: 404, message: "This store has not set up LINE yet." } };
  if (!customerId) return { error: { kind: "login", returnTo: `/apps/line/account-link?linkToken=${encodeURIComponent(linkToken)}` } };
  return { shop, customerId };
}

/** The CSRF token of the confirmation form: bound to the shop, the logged-in customer and the link token. */
const csrfFields = (shopDomain: string, customerId: bigint, linkToken: string) => [shopDomain, String(customerId), linkToken];

/**
 * GET /apps/line/account-link?linkToken — never links anything: a logged-in shopper gets a page that
 * says which LINE account asks to be linked and a form (POST, CSRF token) to confirm it.
 */
export async function showStorefrontAccountLink(query: URLSearchParams, now = new Date()): Promise<AccountLinkPageResult> {
  const linkToken = query.get("linkToken") ?? "";
  const ctx = await accountLinkContext(query, linkToken);
  if ("error" in ctx) return ctx.error;
  const intent = await findAccountLinkIntent(ctx.shop.id, linkToken, now);
  if (!intent) return { kind: "unavailable", status: 410, message: INVALID_LINK };
  const friend = await db().friend.findUnique({
    where: { shopId_lineUserId: { shopId: ctx.shop.id, lineUserId: intent.lineUserId! } },
    select: { displayName: true },
  });
  return {
    kind: "confirm",
    linkToken,
    csrf: signToken(CSRF_PURPOSE, csrfFields(ctx.shop.domain, ctx.customerId, linkToken), new Date(now.getTime() + CSRF_TTL_MS)),
    lineDisplayName: friend?.displayName ?? null,
  };
}

/**
 * POST /apps/line/account-link (form: linkToken, csrf) — the shopper confirmed. The CSRF token must
 * have been issued to this logged-in customer for this link token (Shopify signs logged_in_customer_id
 * in the proxied query); then the intent gets a nonce bound to the customer → LINE's dialog.
 */
export async function confirmStorefrontAccountLink(
  query: URLSearchParams,
  form: URLSearchParams,
  now = new Date(),
): Promise<AccountLinkPageResult> {
  const linkToken = form.get("linkToken") ?? "";
  const ctx = await accountLinkContext(query, linkToken);
  if ("error" in ctx) return ctx.error;
  if (!verifyToken(form.get("csrf"), CSRF_PURPOSE, csrfFields(ctx.shop.domain, ctx.customerId, linkToken), now))
    return { kind: "unavailable", status: 403, message: "This page has expired. Open the link from LINE again." };
  const url = await claimAccountLink({ shopId: ctx.shop.id, shopifyCustomerId: ctx.customerId, linkToken, now });
  return url ? { kind: "redirect", url } : { kind: "unavailable", status: 410, message: INVALID_LINK };
}
