// Editor helpers (isomorphic): a sensible default condition per field (labels: segments.field.* / segments.op.* translations).
import type { Condition, Field } from "~/domain/segments/schema";

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

/**
 * The condition "Add condition" adds: valid as it stands (at least one purchase), so a new row never
 * starts with an error; the merchant changes the field from there.
 */
export function newCondition(today: string): Condition {
  return defaultCondition("purchaseCount", today);
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
