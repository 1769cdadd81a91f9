// Dates, times, money and numbers as a merchant expects them: in the shop's time zone, in the
// merchant's admin language, money in the shop's currency. Pure and isomorphic (Intl only): the
// admin UI uses it through useFormat() (app/components/format.ts), services for server text.

/** Who the text is for: the admin language (BCP 47, e.g. "ja"), the shop's IANA time zone and ISO 4217 currency. */
export interface FormatContext {
  locale: string;
  timeZone: string;
  currency: string;
}

type DateInput = Date | string | number;

function toDate(value: DateInput): Date {
  return value instanceof Date ? value : new Date(value);
}

/**
 * Intl locale for a language. Thai uses the Gregorian calendar here (ICU's default for "th" is the
 * Buddhist era, 2569): date pickers and Shopify's own admin show Gregorian years.
 */
function intlLocale(locale: string): string {
  return locale === "th" ? "th-u-ca-gregory" : locale;
}

/**
 * Intl formatters are costly to build (≈ 0.1–1 ms each, measured in the reminder send's CPU profile)
 * and immutable, so one is kept per (kind, locale, options). The key space is small (a few languages ×
 * the shops' currencies and zones); the cache is emptied if it ever grows past MAX_FORMATTERS.
 */
const MAX_FORMATTERS = 500;
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    f = make();
    formatters.set(key, f);
  }
  return f;
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

/** "Dec 1, 2026, 10:00 AM" / "2026/12/01 10:00" / "2026年12月1日 上午10:00" / "1 ธ.ค. 2026 10:00" in the shop's time zone. */
export function formatDateTime(value: DateInput, ctx: FormatContext): string {
  return dateTimeFormat(intlLocale(ctx.locale), { dateStyle: "medium", timeStyle: "short", timeZone: ctx.timeZone }).format(toDate(value));
}

/** The calendar date in the shop's time zone, e.g. "Dec 1, 2026" / "2026/12/01". */
export function formatDate(value: DateInput, ctx: FormatContext): string {
  return dateTimeFormat(intlLocale(ctx.locale), { dateStyle: "medium", timeZone: ctx.timeZone }).format(toDate(value));
}

/**
 * Currencies that ISO 4217 gives two decimals but that are priced in whole units in everyday use
 * (CLDR cash digits 0): Taiwan's prices, LINE Taiwan's plan fees and Shopify TW storefronts read
 * "NT$800", not "NT$800.00". Cents still show when there are any (LINE's NT$0.20 per message).
 */
const WHOLE_UNIT_CURRENCIES = new Set(["TWD"]);

/**
 * An amount in the shop currency with the currency's usual symbol: ¥4,000, NT$4,000, NT$0.20,
 * ฿4,000.00, $12.50. Uses the narrow symbol, except where that is a bare "$" for a currency other
 * than USD (TWD, HKD, CAD …), which would be ambiguous: then the international symbol (NT$, HK$, CA$).
 */
export function formatMoney(amount: number | string, ctx: FormatContext): string {
  const value = typeof amount === "string" ? Number(amount) : amount;
  const narrow = numberFormat(intlLocale(ctx.locale), {
    style: "currency",
    currency: ctx.currency,
    currencyDisplay: "narrowSymbol",
    ...(WHOLE_UNIT_CURRENCIES.has(ctx.currency) ? { trailingZeroDisplay: "stripIfInteger" } : {}),
  } as Intl.NumberFormatOptions);
  const parts = narrow.formatToParts(value);
  const symbol = parts.find((p) => p.type === "currency")?.value;
  if (symbol !== "$" || ctx.currency === "USD") return narrow.format(value);
  const international = numberFormat("en", { style: "currency", currency: ctx.currency })
    .formatToParts(0)
    .find((p) => p.type === "currency")!.value;
  return parts.map((p) => (p.type === "currency" ? international : p.value)).join("");
}

/** A count with the locale's grouping: 12,345. */
export function formatNumber(value: number, ctx: Pick<FormatContext, "locale">): string {
  return numberFormat(intlLocale(ctx.locale)).format(value);
}

/** A ratio (0.123) as a percentage with at most one decimal: "12.3%". */
export function formatPercent(ratio: number, ctx: Pick<FormatContext, "locale">): string {
  return numberFormat(intlLocale(ctx.locale), { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

/**
 * A duration given in hours in words, largest sensible unit: "3 days", "36 hours", "45 minutes"
 * (never ISO 8601 like "P1DT12H"). Whole days when the hours divide evenly into days.
 */
export function formatHours(hours: number, ctx: Pick<FormatContext, "locale">): string {
  const unit = (value: number, u: "day" | "hour" | "minute") =>
    numberFormat(intlLocale(ctx.locale), { style: "unit", unit: u, unitDisplay: "long", maximumFractionDigits: 1 }).format(value);
  if (hours >= 24 && hours % 24 === 0) return unit(hours / 24, "day");
  if (hours >= 1) return unit(hours, "hour");
  return unit(Math.round(hours * 60), "minute");
}

/**
 * The shop's time zone in words in the admin language (CLDR generic name): "Japan Standard Time",
 * "日本標準時", "台北標準時間", "เวลาอินโดจีน" — not the IANA id ("Asia/Tokyo"), which is not a
 * word a merchant reads. Falls back to the IANA id when the runtime has no name for it.
 */
export function formatTimeZone(ctx: Pick<FormatContext, "locale" | "timeZone">): string {
  try {
    return (
      dateTimeFormat(intlLocale(ctx.locale), { timeZone: ctx.timeZone, timeZoneName: "longGeneric" })
        .formatToParts(new Date(0))
        .find((p) => p.type === "timeZoneName")?.value ?? ctx.timeZone
    );
  } catch {
    return ctx.timeZone;
  }
}

function displayName(type: "region" | "currency" | "language", code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([intlLocale(locale)], { type, fallback: "code" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A country or region (ISO 3166-1 alpha-2, "JP") in the admin language: "Japan", "日本", "ญี่ปุ่น". */
export function regionName(code: string, locale: string): string {
  return displayName("region", code, locale);
}

/** A currency (ISO 4217, "JPY") in the admin language: "Japanese Yen", "日本円", "新台幣". */
export function currencyName(code: string, locale: string): string {
  return displayName("currency", code, locale);
}

/** A language (BCP 47, "ja", "zh-TW") in the admin language: "Japanese", "日本語", "ภาษาญี่ปุ่น". */
export function languageName(code: string, locale: string): string {
  return displayName("language", code, locale);
}
