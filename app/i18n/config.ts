// i18next configuration shared by the server (app/i18n/i18n.server.ts) and the
// browser (react-i18next, app/components/I18nProvider.tsx). Isomorphic: no server imports.
// Resources are bundled (a few kB per language) so the first render already has every string and
// server and browser render the same text (no hydration mismatch, no loading flash).
// How to add keys: docs/i18n.md.
import type { InitOptions } from "i18next";
import enAdmin from "~/locales/en/admin.json";
import enCustomer from "~/locales/en/customer.json";
import jaAdmin from "~/locales/ja/admin.json";
import jaCustomer from "~/locales/ja/customer.json";
import zhTWAdmin from "~/locales/zh-TW/admin.json";
import zhTWCustomer from "~/locales/zh-TW/customer.json";
import thAdmin from "~/locales/th/admin.json";
import thCustomer from "~/locales/th/customer.json";

/** Languages of the admin UI and of customer-facing default texts (BCP 47 tags as Shopify spells them). */
export const LANGUAGES = ["en", "ja", "zh-TW", "th"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

/** `admin`: the merchant's UI, in the merchant's Shopify admin language. `customer`: default texts LINE friends receive, in the shop's language. */
export const NAMESPACES = ["admin", "customer"] as const;
export type Namespace = (typeof NAMESPACES)[number];

export const resources = {
  en: { admin: enAdmin, customer: enCustomer },
  ja: { admin: jaAdmin, customer: jaCustomer },
  "zh-TW": { admin: zhTWAdmin, customer: zhTWCustomer },
  th: { admin: thAdmin, customer: thCustomer },
} satisfies Record<Language, Record<Namespace, object>>;

export const i18nOptions: InitOptions = {
  supportedLngs: [...LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: "admin",
  ns: [...NAMESPACES],
  resources,
  // Synchronous init: resources are in memory, so the first render is complete (SSR and hydration).
  initImmediate: false,
  // React escapes text; escaping here would double-escape "&" and quotes.
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
  returnNull: false,
};

/**
 * Maps a locale tag (Shopify's `locale` param, a shop's primary locale, e.g. "ja", "ja-JP",
 * "zh-TW", "zh-Hant-HK", "th-TH", "en-US") to a supported language, or null when unsupported
 * (e.g. "zh-CN": Simplified Chinese is not Traditional; "fr").
 */
export function matchLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const t = tag.trim().replace(/_/g, "-").toLowerCase();
  if (!t) return null;
  const exact = LANGUAGES.find((l) => l.toLowerCase() === t);
  if (exact) return exact;
  const [lang, ...rest] = t.split("-");
  if (lang === "zh") return rest.some((p) => ["tw", "hk", "mo", "hant"].includes(p)) ? "zh-TW" : null;
  return LANGUAGES.find((l) => l === lang) ?? null;
}

/**
 * `href` (an app path, e.g. "/app/segments/preview?x=1") with `locale=<language>` set, so a request
 * the page makes is answered in the page's language whatever the admin_locale cookie says.
 */
export function withLocale(href: string, language: string): string {
  const [path, query = ""] = href.split("?", 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set("locale", language);
  return `${path}?${params.toString()}`;
}

/**
 * The shop's language for customer-facing default texts (and the admin's last fallback before
 * English): the shop's primary locale as Shopify reports it (`shopLocales { locale primary }`),
 * else the language of the shop's country (JP → ja, TW → zh-TW, TH → th) while the primary locale
 * is not stored, else English.
 */
export function shopLanguage(shop: { primaryLocale?: string | null; country?: string | null }): Language {
  return matchLanguage(shop.primaryLocale) ?? COUNTRY_LANGUAGE[shop.country?.toUpperCase() ?? ""] ?? DEFAULT_LANGUAGE;
}

const COUNTRY_LANGUAGE: Record<string, Language> = { JP: "ja", TW: "zh-TW", TH: "th" };
