// How a hubspotProperty / klaviyoProperty test is applied over all of a friend's contacts: negative
// ops are the negation of a positive one (one place for the SQL compiler and the single-friend
// evaluator). Apart from property-values.ts, which schema.ts itself imports for its number check.
import type { PropertyTest } from "./schema";

/**
 * Negative ops are the negation of a positive one over all of the friend's contacts of that
 * provider: `isNot "x"` = no linked contact has "x" (so it also matches friends with no contact,
 * like hasNone on tags and Shopify tags). Returns the positive test and whether to negate it.
 */
export function positiveTest(t: PropertyTest): { test: PositiveTest; negate: boolean } {
  switch (t.op) {
    case "isNot":
      return { test: { op: "is", value: t.value }, negate: true };
    case "notContains":
      return { test: { op: "contains", value: t.value }, negate: true };
    case "isUnknown":
      return { test: { op: "isKnown" }, negate: true };
    case "hasNone":
      return { test: { op: "hasAny", value: t.value }, negate: true };
    case "is":
    case "contains":
    case "isKnown":
    case "hasAny":
      return { test: t as PositiveTest, negate: false };
    default:
      return { test: t, negate: false };
  }
}
export type PositiveTest =
  | { op: "is"; value: string | boolean }
  | { op: "contains"; value: string }
  | { op: "isKnown" }
  | { op: "hasAny"; value: string[] }
  | Extract<PropertyTest, { op: "eq" | "gt" | "gte" | "lt" | "lte" | "between" | "withinLastDays" | "before" | "after" }>;
