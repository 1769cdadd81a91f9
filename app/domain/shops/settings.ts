// A shop's settings as Shopify states them (time zone, currency, country, primary locale) and the
// LINE plan region that prices its messages. Pure: no I/O, `now` is never needed.

/** What Shopify told us; undefined = not stated in this read/payload (keep what is stored). */
export interface ShopSettingsInput {
  name?: string;
  currency?: string;
  timezone?: string;
  country?: string;
  primaryLocale?: string;
  /** Shopify's Shop.updatedAt / shop/update `updated_at`: orders concurrent reads and deliveries. */
  updatedAt?: Date;
}

/** LINE Official Account plan regions with a plan table (app/domain/broadcasts/cost.ts). */
export const LINE_REGIONS = ["JP", "TW", "TH"] as const;
export type LineRegion = (typeof LINE_REGIONS)[number];

export function isLineRegion(v: unknown): v is LineRegion {
  return typeof v === "string" && (LINE_REGIONS as readonly string[]).includes(v);
}

/**
 * The LINE plan region to assume before the merchant chooses one: the shop's own country when LINE
 * sells plans there, else JP (LINE accounts used by shops elsewhere are most often Japanese ones).
 */
export function defaultLineRegion(country: string | null | undefined): LineRegion {
  const c = (country ?? "").toUpperCase();
  return isLineRegion(c) ? c : "JP";
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps only well-formed values (IANA zone the runtime knows, ISO 4217 currency, ISO 3166-1 alpha-2
 * country, BCP 47-ish locale), so one odd payload can never put an unusable zone in the shop row.
 * Returns the subset to write.
 */
export function cleanShopSettings(s: ShopSettingsInput): ShopSettingsInput {
  const out: ShopSettingsInput = {};
  if (s.name !== undefined) out.name = s.name;
  if (s.timezone && validTimeZone(s.timezone)) out.timezone = s.timezone;
  if (s.currency && /^[A-Z]{3}$/.test(s.currency.toUpperCase())) out.currency = s.currency.toUpperCase();
  if (s.country && /^[A-Z]{2}$/.test(s.country.toUpperCase())) out.country = s.country.toUpperCase();
  if (s.primaryLocale && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(s.primaryLocale)) out.primaryLocale = s.primaryLocale;
  if (s.updatedAt && !Number.isNaN(s.updatedAt.getTime())) out.updatedAt = s.updatedAt;
  return out;
}

/** True when settings stamped `incoming` must not overwrite those stamped `stored` (an older read/delivery). */
export function settingsAreStale(stored: Date | null | undefined, incoming: Date | undefined): boolean {
  return Boolean(stored && incoming && incoming < stored);
}
