// Server side of the translations (i18next): which language an admin request is in, and
// fixed translators for server-rendered text (form errors) and customer-facing defaults.
import { createCookie } from "@remix-run/node";
import { createInstance } from "i18next";
import type { Shop } from "@prisma/client";
import { DEFAULT_LANGUAGE, i18nOptions, matchLanguage, shopLanguage, type Language } from "./config";

/**
 * Remembers the admin language Shopify passed on the document load, for later requests (form
 * posts, revalidations) that carry no `locale`. SameSite=None inside Shopify admin's iframe
 * (https); Lax on http://localhost (sandbox).
 */
function localeCookie(request: Request) {
  const secure = new URL(request.url).protocol === "https:";
  return createCookie("admin_locale", { path: "/", httpOnly: true, sameSite: secure ? "none" : "lax", secure, maxAge: 365 * 86_400 });
}

/**
 * The merchant's admin language: the `locale` query parameter Shopify passes to embedded apps
 * (https://shopify.dev/docs/apps/build/localize-your-app — e.g. "ja", "zh-TW", "th"), else the one
 * remembered in a cookie, else the shop's primary locale, else English. `setCookie` is the header to
 * send when a document load's `locale` differs from the remembered one. Requests the page itself
 * makes (fetchers, see `useLocalized`) name the page's language in `locale`, so a second admin tab in
 * another language cannot change what this page's requests answer in.
 */
export async function adminLanguage(
  request: Request,
  shop: Pick<Shop, "country"> & { primaryLocale?: string | null },
): Promise<{ language: Language; setCookie?: string }> {
  const cookie = localeCookie(request);
  const remembered = matchLanguage(await cookie.parse(request.headers.get("cookie")));
  const fromShopify = matchLanguage(new URL(request.url).searchParams.get("locale"));
  const language = fromShopify ?? remembered ?? shopLanguage(shop);
  // Only a document load (Shopify opening the app in the merchant's admin language) is remembered:
  // a data request (`_data`, e.g. another tab's revalidation) speaks for its own page only.
  const remember = fromShopify && fromShopify !== remembered && !isDataRequest(request);
  return { language, setCookie: remember ? await cookie.serialize(fromShopify) : undefined };
}

/** A Remix client data request (loader revalidation, fetcher load or submit), not a document load. */
const isDataRequest = (request: Request) => new URL(request.url).searchParams.has("_data");

// Synchronous translator for the customer namespace (resources are in memory; init is synchronous).
const customerI18n = createInstance();
void customerI18n.init({ ...i18nOptions, lng: DEFAULT_LANGUAGE });

/**
 * Translator for the default texts LINE friends receive (postback replies, "Talk to us", "Menu",
 * consent and automation texts), in the shop's language (shopLanguage). These are defaults: what a
 * merchant saved (menu labels, lifecycle texts, consent replies) wins; docs/i18n.md lists which.
 */
export function customerT(shop: Pick<Shop, "country"> & { primaryLocale?: string | null }) {
  return customerI18n.getFixedT(shopLanguage(shop), "customer");
}

/**
 * A default message template for LINE friends in the shop's language, returned as written: its
 * `{{displayName|fallback}}` placeholders are filled at send time by the messaging code, not by i18next.
 */
export function customerTemplate(
  shop: Pick<Shop, "country"> & { primaryLocale?: string | null },
  key: "lifecycle.replenishment" | "lifecycle.review" | "lifecycle.winback" | "lifecycle.welcome" | "lifecycle.linkPrompt",
): string {
  return customerT(shop)(key, { skipInterpolation: true } as Record<string, unknown>);
}
