// Definition → parameterized SQL boolean expression over "SegmentFacts" f: one narrow row per friend
// holding what the conditions read from Friend, its linked Customer and its FriendTag rows, kept
// current by triggers in the same transaction as every change of those tables (migration
// 20261202160000_segment_facts). A count is then one scan of a narrow table, without joins.
// Values only ever travel as numbered parameters ($n); identifiers are constants of this file.
// Facts with many rows per friend (products, clicks, taps, integration contacts) are EXISTS / IN
// sub-queries over their indexed tables, which PostgreSQL turns into semi/anti joins for whole-shop
// counts and into index probes for one friend. A whole-shop count of a definition with a positive
// set can also start from that set (compileCountDriver: the ids, then their rows by index) instead
// of probing every friend's row against it. Time bounds are computed here from ctx.now (shop-local days), so
// the SQL and evaluate.ts share bounds.ts and cannot disagree.
import { providerOfField, type Condition, type NumericOp, type NumericValue, type SegmentDefinition } from "./schema";
import {
  abandonedRange,
  compareNumber,
  daysSinceRange,
  friendAddedRange,
  propertyDayRange,
  withinDaysFrom,
  type EvalContext,
  type InstantRange,
} from "./bounds";
import { DATE_PATTERN, DATETIME_PATTERN, LOWER_ASCII, NUMBER_PATTERN, OPTION_SEPARATOR, UPPER_ASCII } from "./property-values";
import { positiveTest, type PositiveTest } from "./property-tests";

export interface CompileContext extends EvalContext {
  shopId: number;
}

/** Shared parameter list, so several compiled fragments can live in one statement. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(initial: unknown[] = []) {
    this.values.push(...initial);
  }
  add(v: unknown, cast: string): string {
    this.values.push(v);
    return `$${this.values.length}::${cast}`;
  }
  ts(d: Date): string {
    // Prisma stores DateTime as timestamp(3) without time zone holding UTC wall time.
    return this.add(d.toISOString().slice(0, 23), "timestamp(3)");
  }
}

function rangeSql(col: string, r: InstantRange, p: SqlParams): string {
  const parts = [`${col} IS NOT NULL`];
  if (r.from) parts.push(`${col} >= ${p.ts(r.from)}`);
  if (r.to) parts.push(`${col} < ${p.ts(r.to)}`);
  return parts.join(" AND ");
}

function numSql(expr: string, op: NumericOp, value: NumericValue, p: SqlParams, cast: string): string {
  if (op === "between") {
    const [a, b] = value as [number, number];
    return `${expr} BETWEEN ${p.add(a, cast)} AND ${p.add(b, cast)}`;
  }
  const sym = { eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" }[op];
  return `${expr} ${sym} ${p.add(value, cast)}`;
}

/** The friend's id in the compiled SQL. */
export const FRIEND_ID = `f."friendId"`;
/** The linked customer's Shopify id (null when not linked). */
const CUSTOMER_ID = `f."shopifyCustomerId"`;
const LINKED = `f."customerId" IS NOT NULL`;
const PURCHASED = `(${LINKED} AND f."purchaseCount" > 0)`;

/**
 * The friends with a set of per-friend event rows: `friendCol` of the rows of `from` that pass
 * `filters`, grouped with `having` when the count matters. Positive conditions of one group that are
 * such sets are intersected inside one sub-query (eventSetSql), so PostgreSQL joins the small event
 * tables first and probes the friends once, instead of probing every friend against each set.
 */
interface EventSet {
  friendCol: string;
  from: string;
  filters: string[];
  having?: string;
}
type Part = { sql: string } | { set: EventSet };

/**
 * A count of per-friend event rows compared with op/value. Friends with no rows have count 0, so
 * when the predicate holds for 0 the test is "not among the friends whose (non-zero) count fails".
 */
function eventCount(from: string, filters: string[], op: NumericOp, value: NumericValue, p: SqlParams, friendCol: string): Part {
  const zeroMatches = compareNumber(0, op, value);
  // "At least one" (gte ≤ 1, gt < 1): every friend with a row matches, so no GROUP BY is needed.
  if (!zeroMatches && holdsForEveryPositiveCount(op, value)) return { set: { friendCol, from, filters } };
  const having = numSql("count(*)", op, value, p, "int");
  if (!zeroMatches) return { set: { friendCol, from, filters, having } };
  const sub = eventSetSql({ friendCol, from, filters, having: `NOT (${having})` });
  return { sql: `(${FRIEND_ID} NOT IN ${sub})` };
}

/** `(SELECT friendCol FROM … WHERE … [GROUP BY … HAVING …])`, each later set nested as `friendCol IN (…)`. */
function eventSetSql(first: EventSet, ...rest: EventSet[]): string {
  const filters = rest.length ? [...first.filters, `${first.friendCol} IN ${eventSetSql(rest[0]!, ...rest.slice(1))}`] : first.filters;
  const group = first.having ? ` GROUP BY ${first.friendCol} HAVING ${first.having}` : "";
  return `(SELECT ${first.friendCol} FROM ${first.from} WHERE ${filters.join(" AND ")}${group})`;
}

/** Whether `count op value` holds for every count ≥ 1 (so only "has any row" matters). */
function holdsForEveryPositiveCount(op: NumericOp, value: NumericValue): boolean {
  if (op === "gte") return (value as number) <= 1;
  if (op === "gt") return (value as number) < 1;
  return false;
}

/**
 * EXISTS a contact of the condition's provider linked to the friend (IntegrationContact.friendId,
 * index shopId+provider+friendId) for which `where` holds; `where` may use the alias ic.
 */
function contactExists(c: Condition, where: string[], p: SqlParams, shopParam: string, join = ""): string {
  const filters = [
    `ic."shopId" = ${shopParam}`,
    `ic.provider = ${p.add(providerOfField(c.field), "text")}`,
    `ic."friendId" = ${FRIEND_ID}`,
    ...where,
  ];
  return `EXISTS (SELECT 1 FROM "IntegrationContact" ic${join} WHERE ${filters.join(" AND ")})`;
}

/** The property's text as `->>` gives it, only for JSON strings, numbers and booleans (property-values.ts). */
function propertyTextSql(name: string, p: SqlParams): string {
  const n = p.add(name, "text");
  return `(CASE WHEN jsonb_typeof(ic.properties -> ${n}) IN ('string', 'number', 'boolean') THEN ic.properties ->> ${n} END)`;
}

const fold = (expr: string, p: SqlParams) => `translate(${expr}, ${p.add(UPPER_ASCII, "text")}, ${p.add(LOWER_ASCII, "text")})`;

/** The SQL twin of evaluate.ts propertyHolds: a boolean over one contact's property text `t`. */
function propertySql(t: PositiveTest, text: string, ctx: CompileContext, p: SqlParams): string {
  const num = (op: NumericOp, value: NumericValue) =>
    `(CASE WHEN ${text} ~ ${p.add(NUMBER_PATTERN, "text")} THEN ${numSql(`(${text})::numeric`, op, value, p, "numeric")} ELSE false END)`;
  const when = (r: ReturnType<typeof propertyDayRange>) => {
    const day = [
      r.first !== undefined ? `${text} >= ${p.add(r.first, "text")}` : "",
      r.last !== undefined ? `${text} <= ${p.add(r.last, "text")}` : "",
    ].filter(Boolean);
    const at = `(${text})::timestamptz AT TIME ZONE 'UTC'`;
    const instant = [
      r.instants.from ? `${at} >= ${p.ts(r.instants.from)}` : "",
      r.instants.to ? `${at} < ${p.ts(r.instants.to)}` : "",
    ].filter(Boolean);
    // CASE decides before any cast: only values the patterns accept are ever read as dates.
    return `(CASE WHEN ${text} ~ ${p.add(DATE_PATTERN, "text")} THEN ${day.join(" AND ") || "true"} WHEN ${text} ~ ${p.add(DATETIME_PATTERN, "text")} THEN ${instant.join(" AND ") || "true"} ELSE false END)`;
  };
  switch (t.op) {
    case "isKnown":
      return `(${text} IS NOT NULL AND ${text} <> '')`;
    case "is":
      return `${fold(text, p)} = ${fold(p.add(String(t.value), "text"), p)}`;
    case "contains":
      return `strpos(${fold(text, p)}, ${fold(p.add(t.value, "text"), p)}) > 0`;
    case "hasAny":
      return `string_to_array(${text}, ${p.add(OPTION_SEPARATOR, "text")}) && ${p.add(t.value, "text[]")}`;
    case "eq":
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return num(t.op, t.value);
    case "between":
      return typeof t.value[0] === "number"
        ? num("between", t.value as [number, number])
        : when(propertyDayRange({ op: "between", value: t.value as [string, string] }, ctx));
    case "withinLastDays":
    case "before":
    case "after":
      return when(propertyDayRange(t, ctx));
  }
}

/** One condition: a boolean over f, or (linkClicked / richMenuTapped counts that exclude 0) an event set. */
function compileCondition(c: Condition, ctx: CompileContext, p: SqlParams, shopParam: string): Part {
  switch (c.field) {
    case "linkClicked": {
      const filters = [`lc."shopId" = ${shopParam}`, `lc."friendId" IS NOT NULL`];
      if (c.linkId !== undefined) filters.push(`lc."linkId" = ${p.add(c.linkId, "int")}`);
      if (c.linkTag !== undefined)
        filters.push(
          `lc."linkId" IN (SELECT tl.id FROM "TrackedLink" tl WHERE tl."shopId" = ${shopParam} AND tl.tag = ${p.add(c.linkTag, "text")})`,
        );
      if (c.withinDays !== undefined) filters.push(`lc.at >= ${p.ts(withinDaysFrom(c.withinDays, ctx))}`);
      return eventCount(`"LinkClick" lc`, filters, c.op, c.value, p, `lc."friendId"`);
    }
    case "richMenuTapped": {
      const filters = [`rt."shopId" = ${shopParam}`];
      if (c.richMenuId !== undefined) filters.push(`rt."richMenuId" = ${p.add(c.richMenuId, "int")}`);
      if (c.area !== undefined) filters.push(`rt.area = ${p.add(c.area, "text")}`);
      if (c.withinDays !== undefined) filters.push(`rt.at >= ${p.ts(withinDaysFrom(c.withinDays, ctx))}`);
      return eventCount(`"RichMenuTap" rt`, filters, c.op, c.value, p, `rt."friendId"`);
    }
    default:
      return { sql: compileFactCondition(c, ctx, p, shopParam) };
  }
}

/** The group's conditions joined by AND; its event sets (if any) intersected in one sub-query. */
function compileGroup(conditions: Condition[], ctx: CompileContext, p: SqlParams, shopParam: string): string {
  const parts = conditions.map((c) => compileCondition(c, ctx, p, shopParam));
  const sets = parts.flatMap((x) => ("set" in x ? [x.set] : []));
  const sql = parts.flatMap((x) => ("sql" in x ? [x.sql] : []));
  if (sets.length) sql.push(`(${FRIEND_ID} IN ${eventSetSql(sets[0]!, ...sets.slice(1))})`);
  return sql.join(" AND ");
}

function compileFactCondition(
  c: Exclude<Condition, { field: "linkClicked" | "richMenuTapped" }>,
  ctx: CompileContext,
  p: SqlParams,
  shopParam: string,
): string {
  switch (c.field) {
    case "friendAddedAt":
      return `(${rangeSql(`f."followedAt"`, friendAddedRange(c, ctx), p)})`;
    case "tag": {
      const list = Array.isArray(c.value) ? c.value : [c.value];
      // The shop's tag ids of those names, computed once per statement (an InitPlan), against the row's tag ids.
      const exists = `(f."tagIds" && ARRAY(SELECT t.id FROM "Tag" t WHERE t."shopId" = ${shopParam} AND t.name = ANY(${p.add(list, "text[]")})))`;
      return c.op === "has" || c.op === "hasAny" ? exists : `NOT ${exists}`;
    }
    case "shopifyLinked":
      return c.value ? LINKED : `f."customerId" IS NULL`;
    case "marketingConsent":
      return c.value ? `f."marketingOptOut" = false` : `f."marketingOptOut" = true`;
    case "following":
      return c.value ? `f.following = true` : `f.following = false`;
    case "hasPurchased":
      return c.value ? PURCHASED : `NOT ${PURCHASED}`;
    case "shopifyTag": {
      const any = `(${LINKED} AND f."customerTags" && ${p.add(c.value, "text[]")})`;
      return c.op === "hasAny" ? any : `NOT ${any}`;
    }
    case "purchaseCount":
      return `(${PURCHASED} AND ${numSql(`f."purchaseCount"`, c.op, c.value, p, "int")})`;
    case "amountSpent":
      return `(${PURCHASED} AND ${numSql(`f."amountSpent"`, c.op, c.value, p, "numeric")})`;
    case "daysSinceLastPurchase":
      return `(${PURCHASED} AND ${rangeSql(`f."lastPurchaseAt"`, daysSinceRange(c.op, c.value, ctx), p)})`;
    case "abandonedCart": {
      const r = abandonedRange(c, ctx);
      const parts = [LINKED, `f."abandonedCheckoutAt" IS NOT NULL`];
      if (r.notAfter) parts.push(`f."abandonedCheckoutAt" <= ${p.ts(r.notAfter)}`);
      if (r.notBefore) parts.push(`f."abandonedCheckoutAt" >= ${p.ts(r.notBefore)}`);
      const sql = `(${parts.join(" AND ")})`;
      return c.value ? sql : `NOT ${sql}`;
    }
    case "productPurchased": {
      const filters = [...productFilters(c, ctx, p, shopParam), `cp."shopifyCustomerId" = ${CUSTOMER_ID}`];
      const exists = `EXISTS (SELECT 1 FROM "CustomerProduct" cp WHERE ${filters.join(" AND ")})`;
      return `(${PURCHASED} AND ${c.op === "hasAny" ? exists : `NOT ${exists}`})`;
    }
    case "hubspotLinked":
    case "klaviyoLinked": {
      const exists = contactExists(c, [], p, shopParam);
      return c.value ? exists : `NOT ${exists}`;
    }
    case "hubspotList":
    case "klaviyoList": {
      const join = ` JOIN "IntegrationListMember" m ON m."shopId" = ic."shopId" AND m.provider = ic.provider AND m."contactExternalId" = ic."externalId"`;
      const exists = contactExists(c, [`m."listExternalId" = ANY(${p.add(c.value, "text[]")})`], p, shopParam, join);
      return c.op === "hasAny" ? exists : `NOT ${exists}`;
    }
    case "hubspotProperty":
    case "klaviyoProperty": {
      const { test, negate } = positiveTest(c);
      const exists = contactExists(c, [propertySql(test, propertyTextSql(c.property, p), ctx, p)], p, shopParam);
      return negate ? `NOT ${exists}` : exists;
    }
  }
}

type ProductCondition = Extract<Condition, { field: "productPurchased" }>;

/** The CustomerProduct rows (alias cp) of the condition's products, bought within its window if it has one. */
function productFilters(c: ProductCondition, ctx: CompileContext, p: SqlParams, shopParam: string): string[] {
  const filters = [`cp."shopId" = ${shopParam}`, `cp."productId" = ANY(${p.add(c.value, "bigint[]")})`];
  if (c.withinDays !== undefined) filters.push(`cp."lastPurchasedAt" >= ${p.ts(withinDaysFrom(c.withinDays, ctx))}`);
  return filters;
}

/**
 * Where a whole-shop count can start instead of reading every friend's row: the ids of `column` that
 * the definition's positive set conditions admit — `sets`, one sub-query (one column, ids may repeat)
 * per condition, whose intersection holds every member — and its other conditions (`rest`, a boolean
 * over f that assumes `column` is among the ids of every set).
 */
export interface CountDriver {
  column: string;
  /** The SQL type of an array of `column`'s values ("int[]" / "bigint[]"). */
  arrayType: string;
  sets: string[];
  rest: string;
}

/**
 * The CountDriver of a one-group definition with a positive set: the group's event sets (linkClicked /
 * richMenuTapped counts that exclude 0) over friend ids, else its "bought any of" product conditions
 * over customer ids. Each set stays its own sub-query so that the reader can intersect them as sorted
 * id arrays in one index scan (PostgreSQL 17+ merges several `= ANY(array)` conditions on one btree
 * column), instead of joining the event tables. Null for other definitions (several groups: an OR of
 * driven scans would test every row against each id list). `p` as compileDefinition; it gains
 * parameters only when there is a driver.
 */
export function compileCountDriver(
  def: SegmentDefinition,
  ctx: CompileContext,
  p: SqlParams = new SqlParams([ctx.shopId]),
  shopParam = "$1::int",
): CountDriver | null {
  if (def.groups.length !== 1) return null;
  // Compiled against a copy: p gains the parameters only when there is a driver (a statement must use every one).
  const q = new SqlParams(p.values);
  const driver = countDriverOf(def.groups[0]!.conditions, ctx, q, shopParam);
  if (driver) p.values.push(...q.values.slice(p.values.length));
  return driver;
}

function countDriverOf(conditions: Condition[], ctx: CompileContext, p: SqlParams, shopParam: string): CountDriver | null {
  const drivesByProducts = (c: Condition): c is ProductCondition => c.field === "productPurchased" && c.op === "hasAny";
  const parts = conditions.filter((c) => !drivesByProducts(c)).map((c) => compileCondition(c, ctx, p, shopParam));
  const products = conditions.filter(drivesByProducts);
  const sets = parts.flatMap((x) => ("set" in x ? [x.set] : []));
  const rest = parts.flatMap((x) => ("sql" in x ? [x.sql] : []));
  if (sets.length) {
    rest.push(...products.map((c) => compileFactCondition(c, ctx, p, shopParam)));
    return { column: FRIEND_ID, arrayType: "int[]", sets: sets.map((s) => eventSetSql(s)), rest: rest.join(" AND ") || "TRUE" };
  }
  if (!products.length) return null;
  return {
    column: CUSTOMER_ID,
    arrayType: "bigint[]",
    sets: products.map(
      (c) => `(SELECT cp."shopifyCustomerId" FROM "CustomerProduct" cp WHERE ${productFilters(c, ctx, p, shopParam).join(" AND ")})`,
    ),
    rest: [...rest, PURCHASED].join(" AND "),
  };
}

/**
 * Compile a definition to a boolean SQL expression (`sql`, the OR of `groups`: each group's own
 * parenthesized expression, in the definition's order). `p` must already hold the shop id at
 * `shopParam` (default: a fresh SqlParams whose $1 is the shop id). Three-valued like all SQL: a group
 * may be NULL for a row (a NOT over a NULL column), which a WHERE treats as false.
 */
export function compileDefinition(
  def: SegmentDefinition,
  ctx: CompileContext,
  p: SqlParams = new SqlParams([ctx.shopId]),
  shopParam = "$1::int",
): { sql: string; params: unknown[]; groups: string[] } {
  const groups = def.groups.map((g) => `(${compileGroup(g.conditions, ctx, p, shopParam)})`);
  const sql = groups.length === 0 ? "TRUE" : groups.length === 1 ? groups[0]! : `(${groups.join(" OR ")})`;
  return { sql, params: p.values, groups };
}

/**
 * The OR of `groups` (compileDefinition's, or any boolean SQL) as disjoint parts, one WHERE condition
 * each, whose counts add up to the OR's count: part i holds the rows where group i is true and no
 * earlier group is (`IS NOT TRUE`: a group that is NULL for a row did not match it). Each part can
 * then take its own path (an index-only range, a bitmap of a GIN index) where the OR as one filter
 * reads every friend's row. The first part carries no exclusion, so it is the group expected to match
 * most rows (`estimatedRows`, one per group, e.g. the planner's): its plan may then never read the table.
 */
export function disjointGroupParts(groups: string[], estimatedRows: number[]): string[] {
  const order = groups
    .map((g, i) => ({ g, rows: estimatedRows[i]! }))
    .sort((a, b) => b.rows - a.rows)
    .map((x) => x.g);
  return order.map((g, i) => (i === 0 ? g : `${g} AND (${order.slice(0, i).join(" OR ")}) IS NOT TRUE`));
}

/**
 * FROM clause the compiled expression expects (alias f, one row per friend: f."friendId",
 * f."shopId", f.following, f."marketingOptOut", f."followedAt", …). Join "Friend" on
 * f."friendId" for the friend's other columns.
 */
export const SEGMENT_FROM = `"SegmentFacts" f`;
