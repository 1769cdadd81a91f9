// The shop's own settings from Admin GraphQL (read at install; the shop/update webhook keeps them
// current): Shop.ianaTimezone, Shop.currencyCode, the billing address country, Shop.updatedAt, and
// the primary ShopLocale (https://shopify.dev/docs/api/admin-graphql/latest/objects/Shop,
// …/queries/shopLocales — shopLocales needs the read_locales scope; without it the locale stays unknown).
import type { ShopSettingsInput } from "~/domain/shops/settings";
import { BulkOperationError } from "~/adapters/shopify/bulk-operations.server";
import type { Gql } from "~/adapters/shopify/bulk-operations.server";

const SHOP_SETTINGS_QUERY = `query ShopSettings {
  shop { name currencyCode ianaTimezone updatedAt billingAddress { countryCodeV2 } }
  shopLocales { locale primary }
}`;
const SHOP_ONLY_QUERY = `query ShopSettingsWithoutLocales {
  shop { name currencyCode ianaTimezone updatedAt billingAddress { countryCodeV2 } }
}`;

interface ShopNode {
  name?: string | null;
  currencyCode?: string | null;
  ianaTimezone?: string | null;
  updatedAt?: string | null;
  billingAddress?: { countryCodeV2?: string | null } | null;
}

/**
 * Reads the shop's settings over its offline session. Returns only the fields Shopify answered
 * (an absent field stays undefined: "unknown", never a default). Transport/GraphQL errors throw.
 */
export async function fetchShopSettings(gql: Gql): Promise<ShopSettingsInput> {
  let data: { shop?: ShopNode; shopLocales?: Array<{ locale: string; primary: boolean }> };
  try {
    data = (await gql(SHOP_SETTINGS_QUERY)) as typeof data;
  } catch (err) {
    // A shop that has not granted read_locales yet: read the rest rather than nothing.
    if (!/shopLocales|read_locales/.test(errorText(err))) throw err;
    data = (await gql(SHOP_ONLY_QUERY)) as typeof data;
  }
  const s = data.shop;
  if (!s) throw new BulkOperationError("shop query returned no shop");
  const primary = data.shopLocales?.find((l) => l.primary)?.locale;
  return {
    name: s.name ?? undefined,
    currency: s.currencyCode ?? undefined,
    timezone: s.ianaTimezone ?? undefined,
    country: s.billingAddress?.countryCodeV2 ?? undefined,
    primaryLocale: primary ?? undefined,
    updatedAt: s.updatedAt ? new Date(s.updatedAt) : undefined,
  };
}

/** The error's message plus the GraphQL errors the client attached (GraphqlQueryError.response/body). */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { response?: unknown; body?: unknown };
  return `${e.message} ${JSON.stringify(e.response ?? e.body ?? null)}`;
}
