// Live evaluation in the database: counts, samples and member lists are compiled from the
// definition at the moment they are asked for, so a segment is never stale. The compiled SQL reads
// "SegmentFacts" f (one narrow row per friend, kept current by triggers); the friend's profile
// columns for samples and streams come from "Friend" fr, joined only for the rows returned.
import { db } from "~/db.server";
import { assertDefinition, type SegmentDefinition } from "~/domain/segments/schema";
import {
  compileCountDriver,
  compileDefinition,
  disjointGroupParts,
  FRIEND_ID,
  SEGMENT_FROM,
  SqlParams,
  type CompileContext,
} from "~/domain/segments/compile-sql";
import { describeDefinition, type SummaryLocale, type SummaryNames } from "~/domain/segments/summary";
import { productTitles } from "~/db/products.server";
import { shopTimeZone } from "./facts.server";
import type { PreviewCounts, PreviewSample } from "~/domain/segments/preview";

export interface SegmentPreview extends PreviewCounts {
  /** Matching friends before exclusions. */
  matched: number;
  sample: PreviewSample[];
}

const SENDABLE = `f.following = true AND f."marketingOptOut" = false`;

/**
 * Above this many ids in a definition's smallest driving set (compileCountDriver), counting from the
 * set costs more than reading every friend's row. Measured at 1,000,000 friends on 2026-12-03
 * (docs/benchmarks.md "Counting from a driving set"): 60,000 customer ids 70 ms against 170 ms for the
 * scan, 450,000 ids 520 against 320 ms; 15,000 friend ids 100 against 180 ms, 200,000 the same.
 */
const DRIVING_SET_MAX_IDS = 100_000;
/**
 * With several driving sets, each is read whole (only their intersection's rows are fetched) up to this
 * many times DRIVING_SET_MAX_IDS ids; a larger set means the scan. Reading and sorting 150,000 tap ids
 * costs about 25 ms (docs/benchmarks.md "Session of 2026-12-03 12:15–15:15 UTC").
 */
const DRIVING_SET_READ_FACTOR = 2;
/**
 * A definition of several groups is weighed as disjoint parts (disjointGroupParts) only up to this
 * many groups and conditions: the parts' statement repeats every earlier group in each later part (its
 * size grows with the square of the groups) and choosing costs an EXPLAIN of it and of each group.
 * Measured at 1,000,000 friends on 2026-12-03: two groups of one condition +2.8 ms p50; four groups of
 * 30 conditions 35 ms, 20 of 30 332 ms (the count itself 0.9 s, as one OR either way).
 */
const DISJOINT_PARTS_MAX_GROUPS = 4;
const DISJOINT_PARTS_MAX_CONDITIONS = 12;

interface CountOptions {
  now?: Date;
  /** Tests and benchmarks: the driving-set size above which the statement scans every friend instead. */
  drivingSetMaxIds?: number;
  /**
   * Tests: how a definition of several groups is counted — "or": one pass over the friends matching any
   * group; "sum": the sum of the groups' disjoint parts (disjointGroupParts). Default: whichever PostgreSQL's
   * planner estimates cheaper, within DISJOINT_PARTS_MAX_GROUPS / _MAX_CONDITIONS (else "or").
   */
  groupsAs?: "or" | "sum";
}

type Statement = { sql: string; params: unknown[] };

/** PostgreSQL's estimate of a statement (EXPLAIN: planned, not run): total cost (planner units) and rows. */
async function estimate({ sql, params }: Statement): Promise<{ cost: number; rows: number }> {
  const [row] = await db().$queryRawUnsafe<Array<{ "QUERY PLAN": unknown }>>(`EXPLAIN (FORMAT JSON) ${sql}`, ...params);
  const out = row?.["QUERY PLAN"];
  const [{ Plan: plan }] = (typeof out === "string" ? JSON.parse(out) : out) as [{ Plan: { "Total Cost": number; "Plan Rows": number } }];
  return { cost: plan["Total Cost"], rows: plan["Plan Rows"] };
}

/** The checked definition and what compiling it needs (the shop's time zone: one read). */
async function compileContext(shopId: number, definition: unknown, now: Date): Promise<{ def: SegmentDefinition; ctx: CompileContext }> {
  return { def: assertDefinition(definition), ctx: { now, timeZone: await shopTimeZone(shopId), shopId } };
}

/**
 * One statement computing `aggregates` (output column → aggregate over f, e.g. "count(*)", each
 * returned as int) over the definition's friends that also pass `filter` (SQL over f, or ""). With
 * driving sets (compileCountDriver), each set's ids are read into one sorted array; when the smallest
 * has at most maxIds ids (and, with several sets, none more than DRIVING_SET_READ_FACTOR times that),
 * the rows are read by index from the arrays — PostgreSQL 17+ intersects several sorted `= ANY(array)`
 * conditions on one btree column while walking it once. Otherwise the same statement reads every
 * friend's row — decided by PostgreSQL at run time (one-time filters on the arrays' sizes), as the ids
 * are only known then. The scan's filter sits above an OFFSET 0 fence so that, when it is false, no
 * parallel workers are started for it. A definition of several groups is counted either in one pass
 * over their OR or as the sum of their disjoint parts (disjointGroupParts), whichever PostgreSQL's
 * planner estimates cheaper (k + 2 EXPLAINs for k groups, in two round trips; only up to
 * DISJOINT_PARTS_MAX_GROUPS groups and DISJOINT_PARTS_MAX_CONDITIONS conditions): at 1,000,000 friends
 * "Shopify tag vip or spent ≥ 50,000" (a GIN bitmap and an index-only range) counts in 75–102 ms p50
 * instead of 97–135, while two groups that each match most friends would cost two scans instead of
 * one (docs/benchmarks.md "Session of 2026-12-03 15:00–18:00 UTC").
 */
async function aggregateStatement(
  def: SegmentDefinition,
  ctx: CompileContext,
  aggregates: Record<string, string>,
  filter: string,
  { drivingSetMaxIds = DRIVING_SET_MAX_IDS, groupsAs }: Pick<CountOptions, "drivingSetMaxIds" | "groupsAs"> = {},
): Promise<Statement> {
  const p = new SqlParams([ctx.shopId]);
  const { sql, groups } = compileDefinition(def, ctx, p);
  const driver = compileCountDriver(def, ctx, p);
  const outputs = Object.keys(aggregates);
  const where = (cond: string) => `FROM ${SEGMENT_FROM} WHERE f."shopId" = $1::int AND ${cond}${filter ? ` AND ${filter}` : ""}`;
  const select = `SELECT ${outputs.map((o) => `${aggregates[o]} AS "${o}"`).join(", ")}`;
  if (!driver) {
    const scan = { sql: `SELECT ${outputs.map((o) => `${aggregates[o]}::int AS "${o}"`).join(", ")} ${where(sql)}`, params: p.values };
    if (groups.length < 2 || groupsAs === "or") return scan;
    const conditions = def.groups.reduce((n, g) => n + g.conditions.length, 0);
    if (groupsAs !== "sum" && (groups.length > DISJOINT_PARTS_MAX_GROUPS || conditions > DISJOINT_PARTS_MAX_CONDITIONS)) return scan;
    // Several groups: also their disjoint parts, largest expected first; the one the planner expects
    // cheaper runs. Each group is compiled alone for its estimate (a statement uses all its parameters).
    const [scanCost, rows] = await Promise.all([
      groupsAs === "sum" ? Infinity : estimate(scan).then((e) => e.cost),
      Promise.all(
        def.groups.map((g) => {
          const alone = compileDefinition({ groups: [g] }, ctx);
          return estimate({ sql: `SELECT 1 ${where(alone.sql)}`, params: alone.params }).then((e) => e.rows);
        }),
      ),
    ]);
    const parts = disjointGroupParts(groups, rows).map((g) => `${select} ${where(g)}`);
    const sum = {
      sql: `SELECT ${outputs.map((o) => `sum("${o}")::int AS "${o}"`).join(", ")} FROM (${parts.join(" UNION ALL ")}) parts`,
      params: p.values,
    };
    return groupsAs === "sum" || (await estimate(sum)).cost < scanCost ? sum : scan;
  }
  const max = p.add(drivingSetMaxIds, "int");
  // With one set, read up to max + 1 ids; with several, each up to readMax + 1 (the gate's GREATEST).
  const readMax = driver.sets.length > 1 ? p.add(drivingSetMaxIds * DRIVING_SET_READ_FACTOR, "int") : max;
  // Ids may repeat (a friend's several clicks): the sizes over-count, so the gate errs towards the scan.
  // The gate is computed once, beside the arrays; OFFSET 0 keeps each array built once (not once per use).
  const arrays = driver.sets.map((ids, i) => `ARRAY(SELECT * FROM ${ids} s ORDER BY 1 LIMIT ${readMax} + 1) AS ids${i}`);
  const sizes = driver.sets.map((_, i) => `cardinality(ids${i})`).join(", ");
  const inSets = driver.sets.map((_, i) => `${driver.column} = ANY((SELECT ids${i} FROM driving)::${driver.arrayType})`);
  return {
    sql: `WITH driving AS MATERIALIZED (
        SELECT *, GREATEST(${sizes}) <= ${readMax} AND LEAST(${sizes}) <= ${max} AS driven FROM (SELECT ${arrays.join(", ")} OFFSET 0) sets)
      SELECT ${outputs.map((o) => `coalesce(sum("${o}"), 0)::int AS "${o}"`).join(", ")} FROM (
        ${select} ${where(`(SELECT driven FROM driving) AND ${inSets.join(" AND ")} AND ${driver.rest}`)}
        UNION ALL
        SELECT * FROM (${select} ${where(sql)} OFFSET 0) scan WHERE NOT (SELECT driven FROM driving)) counts`,
    params: p.values,
  };
}

export async function previewSegment(
  shopId: number,
  definition: unknown,
  opts: { sampleSize?: number } & CountOptions = {},
): Promise<SegmentPreview> {
  const sampleSize = Math.max(0, Math.min(opts.sampleSize ?? 10, 100));
  const { def, ctx } = await compileContext(shopId, definition, opts.now ?? new Date());
  const counts = await aggregateStatement(
    def,
    ctx,
    {
      count: `count(*) FILTER (WHERE ${SENDABLE})`,
      blocked: `count(*) FILTER (WHERE f.following = false)`,
      optedOut: `count(*) FILTER (WHERE f.following = true AND f."marketingOptOut" = true)`,
    },
    "",
    opts,
  );
  const [c = { count: 0, blocked: 0, optedOut: 0 }] = await db().$queryRawUnsafe<
    Array<{ count: number; blocked: number; optedOut: number }>
  >(counts.sql, ...counts.params);
  const sample = sampleSize ? await sampleMembers(def, ctx, sampleSize) : [];
  return { count: c.count, excluded: { blocked: c.blocked, optedOut: c.optedOut }, matched: c.count + c.blocked + c.optedOut, sample };
}

async function sampleMembers(def: SegmentDefinition, ctx: CompileContext, n: number): Promise<PreviewSample[]> {
  const { sql, params } = compileDefinition(def, ctx);
  const where = `f."shopId" = $1::int AND ${sql}`;
  // Most recently added first. Two steps so the (shopId, followedAt) index serves the common case;
  // friends without a follow date (rare: imported) come after, newest row first.
  const cols = `f."friendId", fr."lineUserId", fr."displayName", fr."pictureUrl", f."shopifyCustomerId"::text AS "shopifyCustomerId", (f."customerId" IS NOT NULL) AS linked, f."followedAt"`;
  const from = `${SEGMENT_FROM} JOIN "Friend" fr ON fr.id = ${FRIEND_ID}`;
  const p = new SqlParams(params);
  const rows = await db().$queryRawUnsafe<PreviewSample[]>(
    `SELECT ${cols} FROM ${from} WHERE ${where} AND ${SENDABLE} AND f."followedAt" IS NOT NULL ORDER BY f."followedAt" DESC, f."friendId" DESC LIMIT ${p.add(n, "int")}`,
    ...p.values,
  );
  if (rows.length < n) {
    const q = new SqlParams(params);
    rows.push(
      ...(await db().$queryRawUnsafe<PreviewSample[]>(
        `SELECT ${cols} FROM ${from} WHERE ${where} AND ${SENDABLE} AND f."followedAt" IS NULL ORDER BY f."friendId" DESC LIMIT ${q.add(n - rows.length, "int")}`,
        ...q.values,
      )),
    );
  }
  return rows;
}

/** Up to n sendable members, most recently added first (what the preview shows). */
export async function sampleSegment(shopId: number, definition: unknown, n = 10, opts: { now?: Date } = {}): Promise<PreviewSample[]> {
  const { def, ctx } = await compileContext(shopId, definition, opts.now ?? new Date());
  return sampleMembers(def, ctx, n);
}

/** The statement countSegment runs (also what the benchmark EXPLAINs). */
export async function countQuery(
  shopId: number,
  definition: unknown,
  opts: { includeExcluded?: boolean } & CountOptions = {},
): Promise<Statement> {
  const { def, ctx } = await compileContext(shopId, definition, opts.now ?? new Date());
  return aggregateStatement(def, ctx, { n: "count(*)" }, opts.includeExcluded ? "" : SENDABLE, opts);
}

/** Count only (after exclusions unless includeExcluded). */
export async function countSegment(
  shopId: number,
  definition: unknown,
  opts: { includeExcluded?: boolean } & CountOptions = {},
): Promise<number> {
  const { sql, params } = await countQuery(shopId, definition, opts);
  const [row] = await db().$queryRawUnsafe<Array<{ n: number }>>(sql, ...params);
  return row?.n ?? 0;
}

export interface SegmentMember {
  friendId: number;
  lineUserId: string;
}

/**
 * Every member, in friend-id order, `batchSize` at a time (keyset pagination: bounded memory and no
 * long transaction, so it is safe for a 500k segment). Sends exclude blocked and opted-out friends
 * by default; pass includeExcluded for non-marketing uses (rich menus).
 */
export async function* streamSegmentMembers(
  shopId: number,
  definition: unknown,
  batchSize = 1000,
  opts: { now?: Date; includeExcluded?: boolean; afterFriendId?: number } = {},
): AsyncGenerator<SegmentMember[]> {
  const { def, ctx } = await compileContext(shopId, definition, opts.now ?? new Date());
  const { sql, params } = compileDefinition(def, ctx);
  let cursor = opts.afterFriendId ?? 0;
  for (;;) {
    const p = new SqlParams(params);
    const rows = await db().$queryRawUnsafe<SegmentMember[]>(
      `SELECT f."friendId", fr."lineUserId" FROM ${SEGMENT_FROM} JOIN "Friend" fr ON fr.id = ${FRIEND_ID}
        WHERE f."shopId" = $1::int AND f."friendId" > ${p.add(cursor, "int")} AND ${sql}${opts.includeExcluded ? "" : ` AND ${SENDABLE}`}
        ORDER BY f."friendId" LIMIT ${p.add(batchSize, "int")}`,
      ...p.values,
    );
    if (!rows.length) return;
    yield rows;
    if (rows.length < batchSize) return;
    cursor = rows[rows.length - 1]!.friendId;
  }
}

/** Does one friend match now (no exclusions)? One indexed query. */
export async function evaluateFriend(
  shopId: number,
  friendId: number,
  definition: SegmentDefinition | unknown,
  opts: { now?: Date; timeZone?: string } = {},
): Promise<boolean> {
  const def = assertDefinition(definition);
  const timeZone = opts.timeZone ?? (await shopTimeZone(shopId));
  const { sql, params } = compileDefinition(def, { now: opts.now ?? new Date(), timeZone, shopId });
  const p = new SqlParams(params);
  const rows = await db().$queryRawUnsafe<Array<{ m: boolean }>>(
    `SELECT (${sql}) AS m FROM ${SEGMENT_FROM} WHERE f."shopId" = $1::int AND f."friendId" = ${p.add(friendId, "int")}`,
    ...p.values,
  );
  return rows[0]?.m === true;
}

/**
 * A definition in plain words in `language`, with products named by the titles the shop's order
 * lines carry (app/db/products.server.ts) and the other names in `names` (e.g. integration lists);
 * an id the app has no name for stays an id.
 */
export async function describeSegment(
  shopId: number,
  def: SegmentDefinition,
  language: SummaryLocale,
  names: Omit<SummaryNames, "productTitles"> = {},
): Promise<string> {
  const ids = def.groups.flatMap((g) => g.conditions.flatMap((c) => (c.field === "productPurchased" ? c.value : [])));
  const titles = ids.length ? await productTitles(shopId, ids) : [];
  return describeDefinition(def, language, { ...names, productTitles: new Map(titles.map((p) => [p.id, p.title])) });
}
