// Editor helpers (isomorphic): field labels, operator labels, and a sensible default condition per field.
import type { Condition, Field } from "~/domain/segments/schema";

export const FIELD_LABELS: Record<Field, string> = {
  friendAddedAt: "Became a friend",
  tag: "Friend tag",
  shopifyLinked: "Linked to Shopify customer",
  hasPurchased: "Has purchased",
  shopifyTag: "Shopify customer tag",
  purchaseCount: "Number of purchases",
  amountSpent: "Amount spent",
  daysSinceLastPurchase: "Days since last purchase",
  abandonedCart: "Abandoned cart",
  productPurchased: "Product purchased",
  linkClicked: "Tracked link clicks",
  richMenuTapped: "Rich menu taps",
  marketingConsent: "Accepts marketing",
  following: "Following (not blocked)",
};

export const OP_LABELS: Record<string, string> = {
  withinLastDays: "in the last N days",
  before: "before",
  after: "after",
  between: "between",
  has: "has",
  hasNot: "does not have",
  hasAny: "has any of",
  hasNone: "has none of",
  is: "is",
  eq: "equal to",
  gt: "more than",
  gte: "at least",
  lt: "less than",
  lte: "at most",
};

export function defaultCondition(field: Field, today: string): Condition {
  switch (field) {
    case "friendAddedAt":
      return { field, op: "withinLastDays", value: 7 };
    case "tag":
      return { field, op: "has", value: "" };
    case "shopifyLinked":
    case "hasPurchased":
    case "marketingConsent":
    case "following":
      return { field, op: "is", value: true };
    case "shopifyTag":
      return { field, op: "hasAny", value: [] };
    case "purchaseCount":
      return { field, op: "gte", value: 1 };
    case "amountSpent":
      return { field, op: "gte", value: 10000 };
    case "daysSinceLastPurchase":
      return { field, op: "gte", value: 90 };
    case "abandonedCart":
      return { field, op: "is", value: true, minHours: 1, maxHours: 48 };
    case "productPurchased":
      return { field, op: "hasAny", value: [] };
    case "linkClicked":
      return { field, op: "gte", value: 1, withinDays: 30 };
    case "richMenuTapped":
      return { field, op: "gte", value: 1, withinDays: 30 };
  }
  void today;
}

/** Value to use when the operator changes (keeps what still fits). */
export function withOp(c: Condition, op: string, today: string): Condition {
  const base = { ...c, op } as Record<string, unknown>;
  const v = c.value;
  if (c.field === "friendAddedAt") {
    if (op === "withinLastDays") base.value = typeof v === "number" ? v : 7;
    else if (op === "between") base.value = Array.isArray(v) ? v : [typeof v === "string" ? v : today, today];
    else base.value = typeof v === "string" ? v : Array.isArray(v) ? v[0] : today;
  } else if (c.field === "tag") {
    if (op === "has" || op === "hasNot") base.value = Array.isArray(v) ? (v[0] ?? "") : v;
    else base.value = Array.isArray(v) ? v : v ? [v] : [];
  } else if (op === "between") base.value = Array.isArray(v) ? v : [typeof v === "number" ? v : 0, typeof v === "number" ? v : 0];
  else if (Array.isArray(v) && typeof v[0] === "number") base.value = v[0];
  return base as unknown as Condition;
}
