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

/**
 * Every validation problem a definition can have, as a stable code with the English text the CLI
 * and JSON API print (docs/segments.md "Errors"). The admin shows `segments.issue.<code>` from
 * app/locales in the merchant's language with the issue's `params` instead (numbers in params are
 * raw; the admin formats them, English formats them en-US). Problems zod itself reports (a value of
 * the wrong type, a tuple of the wrong length) keep zod's English as their message.
 */
export const ISSUE_TEXT = {
  definitionNotObject: () => 'A definition is an object: {"groups": [...]}',
  unknownKey: (p: { keys: string; count: number }) => `Unknown key${p.count > 1 ? "s" : ""} ${p.keys}`,
  versionInvalid: () => "version is a positive whole number",
  versionTooNew: (p: { version: number }) => `This app understands definition version ${fmt(p.version)} or lower`,
  groupsNotList: () => "groups must be a list (an empty list matches every friend)",
  tooManyGroups: (p: { max: number }) => `At most ${fmt(p.max)} groups`,
  groupNotObject: () => 'A group is an object: {"conditions": [...]}',
  conditionsNotList: () => "conditions must be a list",
  groupEmpty: () => "A group needs at least one condition",
  tooManyConditions: (p: { max: number }) => `At most ${fmt(p.max)} conditions per group`,
  conditionNotObject: () => 'A condition is an object: {"field", "op", "value"}',
  unknownField: (p: { fields: string }) => `Unknown field; expected one of ${p.fields}`,
  unknownOp: (p: { field: string; ops: string }) => `Unknown op for ${p.field}; expected one of ${p.ops}`,
  dateFormat: () => "Use a calendar date YYYY-MM-DD",
  dateNotReal: () => "Not a real calendar date",
  dateRange: (p: { from: string; to: string }) => `Use a date from ${p.from} to ${p.to}`,
  dateOrder: () => "The first date must not be after the second",
  wholeDays: () => "Use a whole number of days",
  minDays: (p: { min: number }) => `At least ${fmt(p.min)} day`,
  maxDays: (p: { max: number }) => `At most ${fmt(p.max)} days`,
  wholeNumber: () => "Use a whole number",
  notNegative: () => "Must be 0 or more",
  atMost: (p: { max: number }) => `At most ${fmt(p.max)}`,
  maxHours: (p: { max: number }) => `At most ${fmt(p.max)} hours`,
  hoursOrder: () => "minHours must not exceed maxHours",
  positive: () => "Must be 1 or more",
  idInvalid: () => "Not a valid id",
  tagRequired: () => "Pick a tag",
  tagTooLong: (p: { max: number }) => `Tag names are at most ${fmt(p.max)} characters`,
  listEmpty: () => "Pick at least one",
  listTooLong: (p: { max: number }) => `At most ${fmt(p.max)} values`,
  productIdFormat: () => "Use the numeric Shopify product id",
  productIdInvalid: () => "Not a Shopify product id",
  rangeOrder: () => "The low end must not exceed the high end",
  betweenPair: () => "between takes [low, high]",
  listRequired: () => "Pick a list",
  propertyRequired: () => "Pick a property",
  valueRequired: () => "Enter a value",
  optionRequired: () => "Pick a value",
  textTooLong: (p: { max: number }) => `At most ${fmt(p.max)} characters`,
  decimals: () => "Use at most 3 decimals",
  numberRange: (p: { max: number }) => `Between -${fmt(p.max)} and ${fmt(p.max)}`,
  areaLength: (p: { max: number }) => `An area is 1 to ${fmt(p.max)} characters`,
} satisfies Record<string, (p: never) => string>;

/** Problems zod reports on its own (its English text is the message): a value of the wrong type, anything else. */
const ZOD_CODES = { number: "expectedNumber", boolean: "expectedBoolean", array: "expectedList", string: "expectedText" } as const;
type ZodIssueCode = (typeof ZOD_CODES)[keyof typeof ZOD_CODES] | "invalid";

export type IssueCode = keyof typeof ISSUE_TEXT | ZodIssueCode;
export type IssueParams = Record<string, string | number>;

// The fixed values of codes the zod schemas below report (zod carries only a message: the code).
const SCHEMA_PARAMS: Partial<Record<IssueCode, IssueParams>> = {
  dateRange: { from: LIMITS.firstDate, to: LIMITS.lastDate },
  minDays: { min: 1 },
  maxDays: { max: LIMITS.days },
  maxHours: { max: LIMITS.hours },
  tagTooLong: { max: 100 },
  listTooLong: { max: 200 },
  areaLength: { max: 100 },
};
// Codes whose params differ per schema (atMost: count vs amount) are written "code:max".
const code = (c: keyof typeof ISSUE_TEXT, max?: number) => (max === undefined ? c : `${c}:${max}`);

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, code("dateFormat"))
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, code("dateNotReal"))
  .refine((s) => s >= LIMITS.firstDate && s <= LIMITS.lastDate, code("dateRange"));
const days = z.number().int(code("wholeDays")).min(1, code("minDays")).max(LIMITS.days, code("maxDays"));
const dayCount = z.number().int(code("wholeDays")).min(0, code("notNegative")).max(LIMITS.days, code("maxDays"));
const count = z.number().int(code("wholeNumber")).min(0, code("notNegative")).max(LIMITS.count, code("atMost", LIMITS.count));
const amount = z.number().finite().min(0, code("notNegative")).max(LIMITS.amount, code("atMost", LIMITS.amount));
const hours = z.number().finite().min(0, code("notNegative")).max(LIMITS.hours, code("maxHours")).optional();
const rowId = z.number().int(code("wholeNumber")).positive(code("positive")).max(LIMITS.id, code("idInvalid"));
const tagName = z.string().trim().min(1, code("tagRequired")).max(100, code("tagTooLong"));
const nonEmptyList = <T extends z.ZodType>(item: T) => z.array(item).min(1, code("listEmpty")).max(200, code("listTooLong"));
// Shopify ids are 64-bit (CustomerProduct.productId is a PostgreSQL bigint).
const productId = z
  .string()
  .regex(/^\d{1,19}$/, code("productIdFormat"))
  .refine((s) => BigInt(s) <= 9_223_372_036_854_775_807n, code("productIdInvalid"));

const externalId = z.string().trim().min(1, code("listRequired")).max(LIMITS.externalId, code("textTooLong", LIMITS.externalId));
const propertyName = z.string().min(1, code("propertyRequired")).max(LIMITS.propertyName, code("textTooLong", LIMITS.propertyName));
const propertyText = z.string().min(1, code("valueRequired")).max(LIMITS.propertyText, code("textTooLong", LIMITS.propertyText));
const optionValue = z.string().min(1, code("optionRequired")).max(LIMITS.propertyText, code("textTooLong", LIMITS.propertyText));
const propertyNumber = z
  .number()
  .refine((n) => Math.abs(n) <= LIMITS.propertyNumber, code("numberRange", LIMITS.propertyNumber))
  .refine(isPropertyNumber, code("decimals"));

function numeric(n: z.ZodNumber) {
  return z.union([n, z.tuple([n, n]).refine(([a, b]) => a <= b, code("rangeOrder"))]);
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
        value: op === "between" ? numeric(n).refine((v) => Array.isArray(v), code("betweenPair")) : n,
        ...extra,
      }),
    ]),
  );
}
const isBool = (field: string) => ({ is: strict({ field: z.literal(field), op: z.literal("is"), value: z.boolean() }) });
const window = { withinDays: days.optional() };

const dateRange = z.tuple([date, date]).refine(([a, b]) => a <= b, code("dateOrder"));

/** op → schema of a hubspotProperty / klaviyoProperty condition (the shapes of PropertyTest). */
function propertyOps(field: "hubspotProperty" | "klaviyoProperty"): Record<PropertyOp, z.ZodType> {
  const of = (op: PropertyOp, value?: z.ZodType) =>
    strict({ field: z.literal(field), property: propertyName, op: z.literal(op), ...(value ? { value } : {}) });
  const numberPair = z.tuple([propertyNumber, propertyNumber]).refine(([a, b]) => a <= b, code("rangeOrder"));
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
      value: z.tuple([date, date]).refine(([a, b]) => a <= b, code("dateOrder")),
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
      message: code("hoursOrder"),
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
    area: z.string().min(1, code("areaLength")).max(100, code("areaLength")).optional(),
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
const INTEGRATION_FIELDS = {
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
  /** What is wrong, for the admin to say in the merchant's language (`segments.issue.<code>` with `params`). */
  code: IssueCode;
  params?: IssueParams;
  /** English, for the CLI, the JSON API and logs. */
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

function issue(path: ReadonlyArray<PropertyKey>, c: keyof typeof ISSUE_TEXT, params?: IssueParams): DefinitionIssue {
  const text = ISSUE_TEXT[c] as (p?: IssueParams) => string;
  return { path: formatPath(path), code: c, ...(params ? { params } : {}), message: text(params) };
}

const quoted = (keys: readonly string[]) => keys.map((k) => `"${k}"`).join(", ");

/** A zod issue of a condition's schema as a definition issue: our code (the zod message), else zod's own kind and text. */
function fromZod(base: PropertyKey[], i: z.core.$ZodIssue): DefinitionIssue {
  const path = [...base, ...i.path];
  if (i.code === "unrecognized_keys") return issue(path, "unknownKey", { keys: quoted(i.keys), count: i.keys.length });
  const [c, max] = i.message.split(":") as [string, string | undefined];
  if (c in ISSUE_TEXT) {
    const params = max !== undefined ? { max: Number(max) } : SCHEMA_PARAMS[c as IssueCode];
    return issue(path, c as keyof typeof ISSUE_TEXT, params);
  }
  const expected = i.code === "invalid_type" ? ZOD_CODES[i.expected as keyof typeof ZOD_CODES] : undefined;
  return { path: formatPath(path), code: expected ?? "invalid", message: i.message };
}

/** Validate a definition (unknown input, e.g. parsed JSON). */
export function parseDefinition(input: unknown): ParseResult {
  const issues: DefinitionIssue[] = [];
  const push = (path: PropertyKey[], c: keyof typeof ISSUE_TEXT, params?: IssueParams) => issues.push(issue(path, c, params));
  if (!isObject(input)) return { ok: false, issues: [issue([], "definitionNotObject")] };
  const unknownKeys = (path: PropertyKey[], keys: string[]) => {
    for (const k of keys) push([...path, k], "unknownKey", { keys: quoted([k]), count: 1 });
  };
  unknownKeys(
    [],
    Object.keys(input).filter((k) => k !== "groups" && k !== "version"),
  );
  if (input.version !== undefined) {
    if (typeof input.version !== "number" || !Number.isInteger(input.version) || input.version < 1) push(["version"], "versionInvalid");
    else if (input.version > DEFINITION_VERSION) push(["version"], "versionTooNew", { version: DEFINITION_VERSION });
  }
  if (!Array.isArray(input.groups)) {
    push(["groups"], "groupsNotList");
    return { ok: false, issues };
  }
  if (input.groups.length > 20) push(["groups"], "tooManyGroups", { max: 20 });
  const groups: ConditionGroup[] = [];
  input.groups.forEach((g, gi) => {
    if (!isObject(g)) return push(["groups", gi], "groupNotObject");
    unknownKeys(
      ["groups", gi],
      Object.keys(g).filter((k) => k !== "conditions"),
    );
    if (!Array.isArray(g.conditions)) return push(["groups", gi, "conditions"], "conditionsNotList");
    if (g.conditions.length === 0) return push(["groups", gi, "conditions"], "groupEmpty");
    if (g.conditions.length > 30) push(["groups", gi, "conditions"], "tooManyConditions", { max: 30 });
    const conditions: Condition[] = [];
    g.conditions.forEach((c, ci) => {
      const base = ["groups", gi, "conditions", ci];
      if (!isObject(c)) return push(base, "conditionNotObject");
      const field = c.field;
      if (typeof field !== "string" || !(field in FIELD_SCHEMAS))
        return push([...base, "field"], "unknownField", { fields: FIELDS.join(", ") });
      const ops = FIELD_SCHEMAS[field as Field];
      const op = c.op;
      if (typeof op !== "string" || !(op in ops)) return push([...base, "op"], "unknownOp", { field, ops: Object.keys(ops).join(", ") });
      const r = ops[op]!.safeParse(c);
      if (!r.success) for (const i of r.error.issues) issues.push(fromZod(base, i));
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
