// Editor helpers (isomorphic): a sensible default condition per field (labels: segments.field.* / segments.op.* translations).
import type { Condition, Field, PropertyCondition, PropertyOp } from "~/domain/segments/schema";
import type { PropertyType } from "~/domain/integrations/types";

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
    case "hubspotLinked":
    case "klaviyoLinked":
      return { field, op: "is", value: true };
    case "hubspotList":
    case "klaviyoList":
      return { field, op: "hasAny", value: [] };
    case "hubspotProperty":
    case "klaviyoProperty":
      return { field, property: "", op: "isKnown" };
  }
  void today;
}

/** Operators the editor offers for a HubSpot / Klaviyo property of a type (docs/segments.md). */
export const PROPERTY_OPS: Record<PropertyType, PropertyOp[]> = {
  string: ["is", "isNot", "contains", "notContains", "isKnown", "isUnknown"],
  enumeration: ["hasAny", "hasNone", "isKnown", "isUnknown"],
  number: ["eq", "gt", "gte", "lt", "lte", "between", "isKnown", "isUnknown"],
  date: ["withinLastDays", "before", "after", "between", "isKnown", "isUnknown"],
  datetime: ["withinLastDays", "before", "after", "between", "isKnown", "isUnknown"],
  bool: ["is", "isKnown", "isUnknown"],
};

/** A property condition with `op`, keeping the value when it still fits and a default otherwise. */
export function withPropertyOp(c: PropertyCondition, op: PropertyOp, type: PropertyType | undefined, today: string): Condition {
  const v = "value" in c ? c.value : undefined;
  const base = { field: c.field, property: c.property, op } as Record<string, unknown>;
  const dates = type === "date" || type === "datetime";
  switch (op) {
    case "isKnown":
    case "isUnknown":
      break;
    case "hasAny":
    case "hasNone":
      base.value = Array.isArray(v) && typeof v[0] !== "number" ? v : [];
      break;
    case "is":
    case "isNot":
      base.value = type === "bool" ? (typeof v === "boolean" ? v : true) : typeof v === "string" ? v : "";
      break;
    case "contains":
    case "notContains":
      base.value = typeof v === "string" ? v : "";
      break;
    case "withinLastDays":
      base.value = typeof v === "number" && Number.isInteger(v) && v > 0 ? v : 30;
      break;
    case "before":
    case "after":
      base.value = typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : today;
      break;
    case "between":
      base.value = dates ? [today, today] : [0, 0];
      break;
    default:
      base.value = typeof v === "number" ? v : 0;
  }
  return base as unknown as Condition;
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
  const v = "value" in c ? c.value : undefined;
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
