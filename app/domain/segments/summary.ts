// Plain-language summary of a definition for the editor's preview panel (isomorphic: no server imports).
import type { Condition, NumericOp, NumericValue, SegmentDefinition } from "./schema";

const quote = (s: string) => `“${s}”`;
const list = (xs: string[], joiner: string) =>
  xs.length <= 1 ? xs.map(quote).join("") : `${xs.slice(0, -1).map(quote).join(", ")} ${joiner} ${quote(xs[xs.length - 1]!)}`;

function num(op: NumericOp, v: NumericValue, unit = ""): string {
  const u = (n: number) => `${n}${unit}`;
  switch (op) {
    case "eq":
      return `exactly ${u(v as number)}`;
    case "gt":
      return `more than ${u(v as number)}`;
    case "gte":
      return `at least ${u(v as number)}`;
    case "lt":
      return `less than ${u(v as number)}`;
    case "lte":
      return `at most ${u(v as number)}`;
    case "between":
      return `between ${u((v as [number, number])[0])} and ${u((v as [number, number])[1])}`;
  }
}

const within = (d?: number) => (d === undefined ? "" : ` in the last ${d} day${d === 1 ? "" : "s"}`);
const times = (op: NumericOp, v: NumericValue) => `${num(op, v)} time${v === 1 && op !== "between" ? "" : "s"}`;

export function summarizeCondition(c: Condition): string {
  switch (c.field) {
    case "friendAddedAt":
      if (c.op === "withinLastDays") return `became a friend in the last ${c.value} day${c.value === 1 ? "" : "s"}`;
      if (c.op === "before") return `became a friend before ${c.value}`;
      if (c.op === "after") return `became a friend after ${c.value}`;
      return `became a friend between ${c.value[0]} and ${c.value[1]}`;
    case "tag":
      if (c.op === "has") return `has tag ${quote(c.value)}`;
      if (c.op === "hasNot") return `does not have tag ${quote(c.value)}`;
      if (c.op === "hasAny") return `has tag ${list(c.value as string[], "or")}`;
      return `has none of the tags ${list(c.value as string[], "or")}`;
    case "shopifyLinked":
      return c.value ? "is linked to a Shopify customer" : "is not linked to a Shopify customer";
    case "marketingConsent":
      return c.value ? "accepts marketing messages" : "opted out of marketing messages";
    case "following":
      return c.value ? "is following (not blocked)" : "has blocked the account";
    case "hasPurchased":
      return c.value ? "has purchased" : "has never purchased";
    case "shopifyTag":
      return c.op === "hasAny"
        ? `customer tagged ${list(c.value, "or")} in Shopify`
        : `customer not tagged ${list(c.value, "or")} in Shopify`;
    case "purchaseCount":
      return `purchased ${times(c.op, c.value)}`;
    case "amountSpent":
      return `spent ${num(c.op, c.value)} in total`;
    case "daysSinceLastPurchase":
      return `last purchase ${num(c.op, c.value, " days")} ago`;
    case "abandonedCart": {
      const hours =
        c.minHours !== undefined && c.maxHours !== undefined
          ? ` ${c.minHours}–${c.maxHours} hours ago`
          : c.minHours !== undefined
            ? ` at least ${c.minHours} hours ago`
            : c.maxHours !== undefined
              ? ` at most ${c.maxHours} hours ago`
              : "";
      return c.value ? `abandoned a cart${hours}` : `has no abandoned cart${hours}`;
    }
    case "productPurchased":
      return `${c.op === "hasAny" ? "bought" : "did not buy"} product ${list(c.value, "or")}${within(c.withinDays)}`;
    case "linkClicked": {
      const which =
        c.linkId !== undefined ? ` link #${c.linkId}` : c.linkTag !== undefined ? ` a ${quote(c.linkTag)} link` : " a tracked link";
      return `clicked${which} ${times(c.op, c.value)}${within(c.withinDays)}`;
    }
    case "richMenuTapped": {
      const which = [
        c.richMenuId !== undefined ? `menu #${c.richMenuId}` : "the rich menu",
        c.area !== undefined ? `area ${quote(c.area)}` : "",
      ]
        .filter(Boolean)
        .join(" ");
      return `tapped ${which} ${times(c.op, c.value)}${within(c.withinDays)}`;
    }
  }
}

/** "Friends who (A and B) or (C)". */
export function summarizeDefinition(def: SegmentDefinition): string {
  if (def.groups.length === 0) return "All friends";
  const groups = def.groups.map((g) => g.conditions.map(summarizeCondition).join(" and "));
  if (groups.length === 1) return `Friends who ${groups[0]}`;
  return `Friends who ${groups.map((g) => `(${g})`).join(" or ")}`;
}
