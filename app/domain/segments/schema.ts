// The segment definition: a public JSON contract (docs/segments.md) shared by the UI, the CLI and
// the assistant. Groups are OR-ed, conditions inside a group are AND-ed. Every object is strict
// (an unknown key is an error, so a typo never silently widens an audience); `version` is optional
// and only versions this code understands are accepted. Issues carry the path of the bad field,
// e.g. groups[0].conditions[1].value.
import { z } from "zod";
import type { Provider } from "../integrations/types";
import { isPropertyNumber } from "./property-values";

const DEFINITION_VERSION = 1;

const NUMERIC_OPS = ["eq", "gt", "gte", "lt", "lte", "between"] as const;
export type NumericOp = (typeof NUMERIC_OPS)[number];
export type NumericValue = number | [number, number];

export type DateOp = "withinLastDays" | "before" | "after" | "between";

/**
 * Conditions on a HubSpot contact / Klaviyo profile property (docs/segments.md "HubSpot and
 * Klaviyo"). The op says how the value is read, so the property's type is not part of the contract:
 * text ops for string/email properties, hasAny/hasNone over enumeration option values, NumericOps
 * for numbers, date ops for date/datetime, `is` true/false for booleans.
 */
export type PropertyTest =
  | { op: "is" | "isNot"; value: string | boolean }
  | { op: "contains" | "notContains"; value: string }
  | { op: "isKnown" | "isUnknown" }
  | { op: "hasAny" | "hasNone"; value: string[] }
  | { op: Exclude<NumericOp, "between">; value: number }
  | { op: "between"; value: [number, number] | [string, string] }
  | { op: "withinLastDays"; value: number }
  | { op: "before" | "after"; value: string };
export type PropertyOp = PropertyTest["op"];
export type PropertyCondition = { field: "hubspotProperty" | "klaviyoProperty"; property: string } & PropertyTest;

export type Condition =
  | { field: "friendAddedAt"; op: "withinLastDays"; value: number }
  | { field: "friendAddedAt"; op: "before" | "after"; value: string }
  | { field: "friendAddedAt"; op: "between"; value: [string, string] }
  | { field: "tag"; op: "has" | "hasNot"; value: string }
  | { field: "tag"; op: "hasAny" | "hasNone"; value: string[] }
  | { field: "shopifyLinked" | "marketingConsent" | "following" | "hasPurchased"; op: "is"; value: boolean }
  | { field: "shopifyTag"; op: "hasAny" | "hasNone"; value: string[] }
  | { field: "purchaseCount" | "daysSinceLastPurchase" | "amountSpent"; op: NumericOp; value: NumericValue }
  | { field: "abandonedCart"; op: "is"; value: boolean; minHours?: number; maxHours?: number }
  | { field: "productPurchased"; op: "hasAny" | "hasNone"; value: string[]; withinDays?: number }
  | { field: "linkClicked"; op: NumericOp; value: NumericValue; linkId?: number; linkTag?: string; withinDays?: number }
  | { field: "richMenuTapped"; op: NumericOp; value: NumericValue; richMenuId?: number; area?: string; withinDays?: number }
  | { field: "hubspotLinked" | "klaviyoLinked"; op: "is"; value: boolean }
  | { field: "hubspotList" | "klaviyoList"; op: "hasAny" | "hasNone"; value: string[] }
  | PropertyCondition;

export type Field = Condition["field"];
export interface ConditionGroup {
  conditions: Condition[];
}
export interface SegmentDefinition {
  version?: number;
  groups: ConditionGroup[];
}

/**
 * The range of every number and date a definition may hold (docs/segments.md "Limits"). Values
 * outside them cannot be evaluated: a day count of 200,000,000 puts the day boundary outside what
 * a JavaScript Date (±8.64e15 ms) holds ("Invalid time value"); a count above 2,147,483,647
 * overflows PostgreSQL's int. Every limit is far above any real audience.
 */
export const LIMITS = {
  /** Whole days for withinLastDays, withinDays and daysSinceLastPurchase: 100 years. */
  days: 36_500,
  /** Purchases, clicks and taps of one friend. */
  count: 1_000_000_000,
  /** amountSpent in the shop currency: Customer.amountSpent is Decimal(14, 2). */
  amount: 999_999_999_999.99,
  /** abandonedCart minHours / maxHours: 100 years. */
  hours: 876_000,
  /** Ids of our own rows (PostgreSQL int). */
  id: 2_147_483_647,
  /** hubspotProperty / klaviyoProperty numbers: 12 integer and 3 fraction digits (property-values.ts). */
  propertyNumber: 999_999_999_999.999,
  /** Lengths of a property name, a list id and a compared text. */
  propertyName: 200,
  externalId: 100,
  propertyText: 1000,
  /** Calendar dates (friendAddedAt). */
  firstDate: "1900-01-01",
  lastDate: "2999-12-31",
} as const;

const fmt = (n: number) => n.toLocaleString("en-US");

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a calendar date YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "Not a real calendar date")
  .refine((s) => s >= LIMITS.firstDate && s <= LIMITS.lastDate, `Use a date from ${LIMITS.firstDate} to ${LIMITS.lastDate}`);
const days = z
  .number()
  .int("Use a whole number of days")
  .min(1, "At least 1 day")
  .max(LIMITS.days, `At most ${fmt(LIMITS.days)} days`);
const dayCount = z
  .number()
  .int("Use a whole number of days")
  .min(0, "Must be 0 or more")
  .max(LIMITS.days, `At most ${fmt(LIMITS.days)} days`);
const count = z
  .number()
  .int("Use a whole number")
  .min(0, "Must be 0 or more")
  .max(LIMITS.count, `At most ${fmt(LIMITS.count)}`);
const amount = z
  .number()
  .finite()
  .min(0, "Must be 0 or more")
  .max(LIMITS.amount, `At most ${fmt(LIMITS.amount)}`);
const hours = z
  .number()
  .finite()
  .min(0, "Must be 0 or more")
  .max(LIMITS.hours, `At most ${fmt(LIMITS.hours)} hours`)
  .optional();
const rowId = z.number().int("Use a whole number").positive("Must be 1 or more").max(LIMITS.id, "Not a valid id");
const tagName = z.string().trim().min(1, "Pick a tag").max(100, "Tag names are at most 100 characters");
const nonEmptyList = <T extends z.ZodType>(item: T) => z.array(item).min(1, "Pick at least one").max(200, "At most 200 values");
// Shopify ids are 64-bit (CustomerProduct.productId is a PostgreSQL bigint).
const productId = z
  .string()
  .regex(/^\d{1,19}$/, "Use the numeric Shopify product id")
  .refine((s) => BigInt(s) <= 9_223_372_036_854_775_807n, "Not a Shopify product id");

const externalId = z.string().trim().min(1, "Pick a list").max(LIMITS.externalId, `At most ${LIMITS.externalId} characters`);
const propertyName = z.string().min(1, "Pick a property").max(LIMITS.propertyName, `At most ${LIMITS.propertyName} characters`);
const propertyText = z.string().min(1, "Enter a value").max(LIMITS.propertyText, `At most ${fmt(LIMITS.propertyText)} characters`);
const optionValue = z.string().min(1, "Pick a value").max(LIMITS.propertyText, `At most ${fmt(LIMITS.propertyText)} characters`);
const propertyNumber = z
  .number()
  .refine((n) => Math.abs(n) <= LIMITS.propertyNumber, `Between -${fmt(LIMITS.propertyNumber)} and ${fmt(LIMITS.propertyNumber)}`)
  .refine(isPropertyNumber, "Use at most 3 decimals");

function numeric(n: z.ZodNumber) {
  return z.union([n, z.tuple([n, n]).refine(([a, b]) => a <= b, "The low end must not exceed the high end")]);
}

/** Per field: op → strict schema of the whole condition. */
function strict<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape);
}
function numericOps(field: string, n: z.ZodNumber, extra: z.ZodRawShape = {}) {
  return Object.fromEntries(
    NUMERIC_OPS.map((op) => [
      op,
      strict({
        field: z.literal(field),
        op: z.literal(op),
        value: op === "between" ? numeric(n).refine((v) => Array.isArray(v), "between takes [low, high]") : n,
        ...extra,
      }),
    ]),
  );
}
const isBool = (field: string) => ({ is: strict({ field: z.literal(field), op: z.literal("is"), value: z.boolean() }) });
const window = { withinDays: days.optional() };

const dateRange = z.tuple([date, date]).refine(([a, b]) => a <= b, "The first date must not be after the second");

/** op → schema of a hubspotProperty / klaviyoProperty condition (the shapes of PropertyTest). */
function propertyOps(field: "hubspotProperty" | "klaviyoProperty"): Record<PropertyOp, z.ZodType> {
  const of = (op: PropertyOp, value?: z.ZodType) =>
    strict({ field: z.literal(field), property: propertyName, op: z.literal(op), ...(value ? { value } : {}) });
  const numberPair = z.tuple([propertyNumber, propertyNumber]).refine(([a, b]) => a <= b, "The low end must not exceed the high end");
  return {
    is: of("is", z.union([propertyText, z.boolean()])),
    isNot: of("isNot", z.union([propertyText, z.boolean()])),
    contains: of("contains", propertyText),
    notContains: of("notContains", propertyText),
    isKnown: of("isKnown"),
    isUnknown: of("isUnknown"),
    hasAny: of("hasAny", nonEmptyList(optionValue)),
    hasNone: of("hasNone", nonEmptyList(optionValue)),
    eq: of("eq", propertyNumber),
    gt: of("gt", propertyNumber),
    gte: of("gte", propertyNumber),
    lt: of("lt", propertyNumber),
    lte: of("lte", propertyNumber),
    // [low, high] numbers, or [first, last] calendar dates: the first element says which.
    between: of(
      "between",
      z.unknown().superRefine((v, ctx) => {
        const r = (Array.isArray(v) && typeof v[0] === "number" ? numberPair : dateRange).safeParse(v);
        if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: i.path });
      }),
    ),
    withinLastDays: of("withinLastDays", days),
    before: of("before", date),
    after: of("after", date),
  };
}

export const FIELD_SCHEMAS: Record<Field, Record<string, z.ZodType>> = {
  friendAddedAt: {
    withinLastDays: strict({ field: z.literal("friendAddedAt"), op: z.literal("withinLastDays"), value: days }),
    before: strict({ field: z.literal("friendAddedAt"), op: z.literal("before"), value: date }),
    after: strict({ field: z.literal("friendAddedAt"), op: z.literal("after"), value: date }),
    between: strict({
      field: z.literal("friendAddedAt"),
      op: z.literal("between"),
      value: z.tuple([date, date]).refine(([a, b]) => a <= b, "The first date must not be after the second"),
    }),
  },
  tag: {
    has: strict({ field: z.literal("tag"), op: z.literal("has"), value: tagName }),
    hasNot: strict({ field: z.literal("tag"), op: z.literal("hasNot"), value: tagName }),
    hasAny: strict({ field: z.literal("tag"), op: z.literal("hasAny"), value: nonEmptyList(tagName) }),
    hasNone: strict({ field: z.literal("tag"), op: z.literal("hasNone"), value: nonEmptyList(tagName) }),
  },
  shopifyLinked: isBool("shopifyLinked"),
  marketingConsent: isBool("marketingConsent"),
  following: isBool("following"),
  hasPurchased: isBool("hasPurchased"),
  shopifyTag: {
    hasAny: strict({ field: z.literal("shopifyTag"), op: z.literal("hasAny"), value: nonEmptyList(tagName) }),
    hasNone: strict({ field: z.literal("shopifyTag"), op: z.literal("hasNone"), value: nonEmptyList(tagName) }),
  },
  purchaseCount: numericOps("purchaseCount", count),
  daysSinceLastPurchase: numericOps("daysSinceLastPurchase", dayCount),
  amountSpent: numericOps("amountSpent", amount),
  abandonedCart: {
    is: strict({
      field: z.literal("abandonedCart"),
      op: z.literal("is"),
      value: z.boolean(),
      minHours: hours,
      maxHours: hours,
    }).refine((c) => c.minHours === undefined || c.maxHours === undefined || c.minHours <= c.maxHours, {
      message: "minHours must not exceed maxHours",
      path: ["maxHours"],
    }),
  },
  productPurchased: {
    hasAny: strict({ field: z.literal("productPurchased"), op: z.literal("hasAny"), value: nonEmptyList(productId), ...window }),
    hasNone: strict({ field: z.literal("productPurchased"), op: z.literal("hasNone"), value: nonEmptyList(productId), ...window }),
  },
  linkClicked: numericOps("linkClicked", count, { linkId: rowId.optional(), linkTag: tagName.optional(), ...window }),
  richMenuTapped: numericOps("richMenuTapped", count, {
    richMenuId: rowId.optional(),
    area: z.string().min(1).max(100).optional(),
    ...window,
  }),
  hubspotLinked: isBool("hubspotLinked"),
  klaviyoLinked: isBool("klaviyoLinked"),
  hubspotList: {
    hasAny: strict({ field: z.literal("hubspotList"), op: z.literal("hasAny"), value: nonEmptyList(externalId) }),
    hasNone: strict({ field: z.literal("hubspotList"), op: z.literal("hasNone"), value: nonEmptyList(externalId) }),
  },
  klaviyoList: {
    hasAny: strict({ field: z.literal("klaviyoList"), op: z.literal("hasAny"), value: nonEmptyList(externalId) }),
    hasNone: strict({ field: z.literal("klaviyoList"), op: z.literal("hasNone"), value: nonEmptyList(externalId) }),
  },
  hubspotProperty: propertyOps("hubspotProperty"),
  klaviyoProperty: propertyOps("klaviyoProperty"),
};

/** The HubSpot / Klaviyo fields and the provider each reads (offered only while it is connected). */
export const INTEGRATION_FIELDS = {
  hubspotLinked: "hubspot",
  hubspotList: "hubspot",
  hubspotProperty: "hubspot",
  klaviyoLinked: "klaviyo",
  klaviyoList: "klaviyo",
  klaviyoProperty: "klaviyo",
} as const satisfies Partial<Record<Field, Provider>>;

export function providerOfField(field: Field): Provider | null {
  return (INTEGRATION_FIELDS as Partial<Record<Field, Provider>>)[field] ?? null;
}

export const FIELDS = Object.keys(FIELD_SCHEMAS) as Field[];

export interface DefinitionIssue {
  /** e.g. "groups[0].conditions[1].value" */
  path: string;
  message: string;
}

export type ParseResult = { ok: true; definition: SegmentDefinition } | { ok: false; issues: DefinitionIssue[] };

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validate a definition (unknown input, e.g. parsed JSON). */
export function parseDefinition(input: unknown): ParseResult {
  const issues: DefinitionIssue[] = [];
  const push = (path: PropertyKey[], message: string) => issues.push({ path: formatPath(path), message });
  if (!isObject(input)) return { ok: false, issues: [{ path: "", message: 'A definition is an object: {"groups": [...]}' }] };
  for (const k of Object.keys(input)) if (k !== "groups" && k !== "version") push([k], `Unknown key "${k}"`);
  if (input.version !== undefined) {
    if (typeof input.version !== "number" || !Number.isInteger(input.version) || input.version < 1)
      push(["version"], "version is a positive whole number");
    else if (input.version > DEFINITION_VERSION)
      push(["version"], `This app understands definition version ${DEFINITION_VERSION} or lower`);
  }
  if (!Array.isArray(input.groups)) {
    push(["groups"], "groups must be a list (an empty list matches every friend)");
    return { ok: false, issues };
  }
  if (input.groups.length > 20) push(["groups"], "At most 20 groups");
  const groups: ConditionGroup[] = [];
  input.groups.forEach((g, gi) => {
    if (!isObject(g)) return push(["groups", gi], 'A group is an object: {"conditions": [...]}');
    for (const k of Object.keys(g)) if (k !== "conditions") push(["groups", gi, k], `Unknown key "${k}"`);
    if (!Array.isArray(g.conditions)) return push(["groups", gi, "conditions"], "conditions must be a list");
    if (g.conditions.length === 0) return push(["groups", gi, "conditions"], "A group needs at least one condition");
    if (g.conditions.length > 30) push(["groups", gi, "conditions"], "At most 30 conditions per group");
    const conditions: Condition[] = [];
    g.conditions.forEach((c, ci) => {
      const base = ["groups", gi, "conditions", ci];
      if (!isObject(c)) return push(base, 'A condition is an object: {"field", "op", "value"}');
      const field = c.field;
      if (typeof field !== "string" || !(field in FIELD_SCHEMAS))
        return push([...base, "field"], `Unknown field; expected one of ${FIELDS.join(", ")}`);
      const ops = FIELD_SCHEMAS[field as Field];
      const op = c.op;
      if (typeof op !== "string" || !(op in ops))
        return push([...base, "op"], `Unknown op for ${field}; expected one of ${Object.keys(ops).join(", ")}`);
      const r = ops[op]!.safeParse(c);
      if (!r.success)
        for (const i of r.error.issues)
          push(
            [...base, ...i.path],
            i.code === "unrecognized_keys"
              ? `Unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}`
              : i.message,
          );
      else conditions.push(r.data as Condition);
    });
    groups.push({ conditions });
  });
  if (issues.length) return { ok: false, issues };
  return { ok: true, definition: { ...(input.version !== undefined ? { version: input.version as number } : {}), groups } };
}

/**
 * A stored definition that fails validation only in its values (e.g. a number past LIMITS, saved
 * by an older version) but whose groups, fields and ops are all known, typed as a definition so
 * the editor can show it with its issues; null when its shape is unknown.
 */
export function editableDefinition(input: unknown): SegmentDefinition | null {
  if (!isObject(input) || !Array.isArray(input.groups)) return null;
  const known = input.groups.every(
    (g) =>
      isObject(g) &&
      Array.isArray(g.conditions) &&
      g.conditions.every(
        (c) =>
          isObject(c) &&
          typeof c.field === "string" &&
          c.field in FIELD_SCHEMAS &&
          typeof c.op === "string" &&
          c.op in FIELD_SCHEMAS[c.field as Field],
      ),
  );
  return known ? (input as unknown as SegmentDefinition) : null;
}

export class InvalidDefinitionError extends Error {
  constructor(public issues: DefinitionIssue[]) {
    super(`Invalid segment definition: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`);
  }
}

export function assertDefinition(input: unknown): SegmentDefinition {
  const r = parseDefinition(input);
  if (!r.ok) throw new InvalidDefinitionError(r.issues);
  return r.definition;
}

/** Tag names a definition references (for tag usage, rename and delete). */
export function referencedTags(def: SegmentDefinition): string[] {
  const out = new Set<string>();
  for (const g of def.groups)
    for (const c of g.conditions) {
      if (c.field === "tag") for (const v of Array.isArray(c.value) ? c.value : [c.value]) out.add(v);
    }
  return [...out];
}

/** Rename a friend tag inside a definition (tag conditions only; Shopify tags are a different namespace). */
export function renameTagInDefinition(def: SegmentDefinition, from: string, to: string): SegmentDefinition {
  return {
    ...def,
    groups: def.groups.map((g) => ({
      conditions: g.conditions.map((c) => {
        if (c.field !== "tag") return c;
        if (Array.isArray(c.value)) return { ...c, value: [...new Set(c.value.map((v) => (v === from ? to : v)))] } as Condition;
        return (c.value === from ? { ...c, value: to } : c) as Condition;
      }),
    })),
  };
}
