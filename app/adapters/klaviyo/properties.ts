// Klaviyo profile attributes and custom properties → the app's property model (pure; no SDK).
// Klaviyo has no endpoint listing custom property definitions, and custom properties carry no
// declared type: their types are inferred from the values seen on a sample of profiles.
import type { ExternalProperty, PropertyType } from "~/domain/integrations/types";

/**
 * The Klaviyo metrics the app writes LINE activity under (events API). Here, beside the other SDK-free
 * Klaviyo names, so reading them does not load the `klaviyo-api` SDK.
 */
export const KLAVIYO_METRICS = { sent: "LINE Message Sent", clicked: "LINE Message Clicked" } as const;

/** Prefix Klaviyo's segment builder and our property names give custom properties ("properties.plan"). */
export const CUSTOM_PREFIX = "properties.";

/** The standard profile attributes offered for segments (Klaviyo attribute paths, snake_case). */
export const STANDARD_PROPERTIES: ExternalProperty[] = [
  { name: "email", label: "Email", type: "string" },
  { name: "phone_number", label: "Phone number", type: "string" },
  { name: "external_id", label: "External ID", type: "string" },
  { name: "first_name", label: "First name", type: "string" },
  { name: "last_name", label: "Last name", type: "string" },
  { name: "organization", label: "Organization", type: "string" },
  { name: "title", label: "Title", type: "string" },
  { name: "locale", label: "Locale", type: "string" },
  { name: "location.city", label: "City", type: "string" },
  { name: "location.region", label: "Region", type: "string" },
  { name: "location.country", label: "Country", type: "string" },
  { name: "location.zip", label: "ZIP code", type: "string" },
  { name: "location.timezone", label: "Time zone", type: "string" },
  { name: "created", label: "Created", type: "datetime" },
  { name: "updated", label: "Updated", type: "datetime" },
  { name: "last_event_date", label: "Last event date", type: "datetime" },
];

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** At most this many distinct strings (each seen at least twice on average) make an enumeration. */
const MAX_ENUM_OPTIONS = 12;

/**
 * The type of one custom property from the values seen (nulls ignored): all booleans → bool, all
 * numbers → number, all ISO dates (YYYY-MM-DD) → date, all ISO date-times → datetime, few distinct
 * strings repeated across profiles → enumeration, otherwise string. Mixed kinds → string.
 */
export function inferPropertyType(values: unknown[]): { type: PropertyType; options?: Array<{ value: string; label: string }> } {
  const seen = values.filter((v) => v !== null && v !== undefined);
  if (seen.length === 0) return { type: "string" };
  if (seen.every((v) => typeof v === "boolean")) return { type: "bool" };
  if (seen.every((v) => typeof v === "number")) return { type: "number" };
  if (!seen.every((v) => typeof v === "string")) return { type: "string" };
  const strings = seen as string[];
  if (strings.every((s) => DATE_RE.test(s))) return { type: "date" };
  if (strings.every((s) => DATETIME_RE.test(s) && !Number.isNaN(Date.parse(s)))) return { type: "datetime" };
  const distinct = [...new Set(strings)].sort();
  if (distinct.length <= MAX_ENUM_OPTIONS && strings.length >= distinct.length * 2) {
    return { type: "enumeration", options: distinct.map((value) => ({ value, label: value })) };
  }
  return { type: "string" };
}

/** Custom properties of sampled profiles → ExternalProperty rows ("properties.<name>"), by name. */
export function customProperties(samples: Array<Record<string, unknown>>): ExternalProperty[] {
  const values = new Map<string, unknown[]>();
  for (const props of samples) {
    for (const [name, value] of Object.entries(props)) {
      // Lists and nested objects are not single values a condition can compare.
      if (value !== null && typeof value === "object") continue;
      const list = values.get(name) ?? [];
      list.push(value);
      values.set(name, list);
    }
  }
  return [...values.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, vs]) => ({ name: CUSTOM_PREFIX + name, label: name, ...inferPropertyType(vs) }));
}

/** "properties.line_user_id" or "line_user_id" → the custom property's key on the profile. */
export function customKey(property: string): string {
  return property.startsWith(CUSTOM_PREFIX) ? property.slice(CUSTOM_PREFIX.length) : property;
}
