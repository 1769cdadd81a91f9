// How a HubSpot contact / Klaviyo profile property value is read by the hubspotProperty and
// klaviyoProperty conditions, in one place for the SQL compiler and the single-friend evaluator.
// IntegrationContact.properties is jsonb: HubSpot sends every value as a string ("5", "true",
// "2024-01-15", "2024-01-15T10:00:00.000Z"); Klaviyo sends JSON numbers and booleans too. Both are
// read as the text PostgreSQL's `->>` gives for a JSON string, number or boolean; arrays and objects
// count as unknown. The patterns below are used verbatim by JavaScript RegExp and PostgreSQL `~`
// (the syntax is common to both), and only values they accept are ever cast in SQL, so an odd value
// synced from a provider can never make a segment's query fail.

/** A real calendar date YYYY-MM-DD, years 1000–2999 (month lengths and leap years checked). */
const DAY =
  "[12][0-9]{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)" +
  "|(?:[12][0-9](?:0[48]|[2468][048]|[13579][26])|(?:1[26]|2[048])00)-02-29";

/** A date-only value ("2024-01-15", HubSpot `date` properties): compared as a calendar day. */
export const DATE_PATTERN = `^(?:${DAY})$`;

/**
 * An ISO-8601 instant with an explicit offset ("2024-01-15T10:00:00.000Z", "…+09:00"): compared
 * as an instant against shop-local day bounds. Hours 00–23 only and at most 3 fraction digits, so
 * JavaScript's Date and PostgreSQL's timestamptz read it as the same millisecond.
 */
export const DATETIME_PATTERN = `^(?:${DAY})T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,3})?)?(?:Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])$`;

/**
 * A number value: at most 12 integer and 3 fraction digits (15 significant digits), so the decimal
 * and its JavaScript double compare alike (every such decimal survives a round trip through a double).
 */
export const NUMBER_PATTERN = "^-?[0-9]{1,12}(?:\\.[0-9]{1,3})?$";

const DATE_RE = new RegExp(DATE_PATTERN);
const DATETIME_RE = new RegExp(DATETIME_PATTERN);
const NUMBER_RE = new RegExp(NUMBER_PATTERN);

/** The text PostgreSQL's `properties ->> name` gives for a JSON string, number or boolean; null otherwise. */
export function propertyText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null;
  if (typeof v === "boolean") return v ? "true" : "false";
  return null;
}

/** Known = present and not empty (HubSpot answers "" for a cleared property). */
export function isKnownText(t: string | null): t is string {
  return t !== null && t !== "";
}

/**
 * Case folding of Latin A–Z only: `is`, `isNot`, `contains` ignore that case. PostgreSQL's lower()
 * depends on the database locale, so SQL uses translate() with exactly these letters.
 */
export const UPPER_ASCII = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const LOWER_ASCII = "abcdefghijklmnopqrstuvwxyz";
export function foldAscii(s: string): string {
  return s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}

export function propertyNumber(t: string | null): number | null {
  return t !== null && NUMBER_RE.test(t) ? Number(t) : null;
}

/** A date-only value as YYYY-MM-DD, or a datetime as its instant; null when neither. */
export function propertyWhen(t: string | null): { day: string } | { at: Date } | null {
  if (t === null) return null;
  if (DATE_RE.test(t)) return { day: t };
  if (DATETIME_RE.test(t)) return { at: new Date(t) };
  return null;
}

/** A condition number value must have this form too (same reason as NUMBER_PATTERN). */
export function isPropertyNumber(n: number): boolean {
  return Number.isFinite(n) && NUMBER_RE.test(String(n));
}

/** HubSpot multi-select (checkbox) enumerations hold "a;b;c": hasAny matches any of the parts. */
export const OPTION_SEPARATOR = ";";
