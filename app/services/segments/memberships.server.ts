// "Friend entered / left segment": SegmentMembership holds the last known answer per (segment,
// friend); a transition (segment.entered / segment.left, app/reactions.server.ts) is emitted only
// when a row is actually inserted or deleted, so concurrent or repeated refreshes never emit twice. Membership here is the raw definition (no send
// exclusions): a blocked friend who matches is still a member; sends filter later.
//
// What triggers a refresh:
//   - a friend's facts changed (order, checkout, tag, tap, click, link, follow, consent) →
//     refreshFriendMemberships (through the reactions of those events, or inline for tags)
//   - time alone: after each refresh the friend gets one delayed job at the earliest instant any of
//     the shop's segments can flip for them (segments.reevaluate-friend, job id per friend+instant);
//   - a segment was created or edited → refreshSegment (set-based diff in SQL); shops with
//     day-based conditions get the same diff at every shop-local midnight, when whole-day
//     conditions (withinLastDays, daysSinceLastPurchase, withinDays) can flip for friends whose
//     facts never changed since the segment was saved.
//
// A segment that cannot be evaluated (a definition stored before today's limits, a runtime fault)
// fails alone: its memberships stay as they were, its error is recorded on the row for the
// merchant (Segment.evaluationError), and every other segment of the shop keeps refreshing.
import { db } from "~/db.server";
import { delayUntil, enqueue } from "~/adapters/queue/queues.server";
import { emit } from "~/reactions.server";
import { childLogger, logger } from "~/adapters/logger.server";
import { Prisma } from "@prisma/client";
import { InvalidDefinitionError, parseDefinition, type DefinitionIssue, type SegmentDefinition } from "~/domain/segments/schema";
import { evaluateDefinition } from "~/domain/segments/evaluate";
import { nextMembershipChange, isTimeDependent } from "~/domain/segments/next-change";
import { compileDefinition, SEGMENT_FROM, SqlParams } from "~/domain/segments/compile-sql";
import { localDayNumber, startOfLocalDay } from "~/domain/time/zoned";
import { loadFriendFacts, shopTimeZone } from "./facts.server";

export interface SegmentTransition {
  shopId: number;
  friendId: number;
  segmentId: number;
  kind: "entered" | "left";
  at: Date;
}

/** Emits segment.entered / segment.left (reactions: app/reactions.server.ts), one per row changed. */
async function emitTransitions(ts: SegmentTransition[], hops: number): Promise<void> {
  for (const t of ts)
    await emit(
      t.kind === "entered" ? "segment.entered" : "segment.left",
      { shopId: t.shopId, friendId: t.friendId, segmentId: t.segmentId, at: t.at.getTime(), hops },
      `${t.segmentId}:${t.friendId}:${t.at.getTime()}`,
    );
}

/**
 * Which of `friendIds` are members of which of `segmentIds` (shop-scoped), as last evaluated
 * (SegmentMembership). Other modules (rich-menu rules) ask here instead of evaluating definitions
 * themselves, so every part of the app gives the same answer at the same moment.
 */
export async function segmentMembersAmong(
  shopId: number,
  segmentIds: number[],
  friendIds: number[],
): Promise<Array<{ segmentId: number; friendId: number }>> {
  if (!segmentIds.length || !friendIds.length) return [];
  return db().segmentMembership.findMany({
    where: { shopId, segmentId: { in: segmentIds }, friendId: { in: friendIds } },
    select: { segmentId: true, friendId: true },
  });
}

/**
 * Why a segment could not be evaluated, as codes the admin words in the merchant's language
 * (Segment.evaluationIssues): a definition past today's limits (its issues, as the editor shows
 * them), or a fault of the evaluation itself (no internals: the database's text stays in the log).
 */
export type SegmentEvaluationProblem =
  { code: "invalidDefinition"; issues: Array<Pick<DefinitionIssue, "path" | "code" | "params">> } | { code: "failed" };

export function evaluationProblem(err: unknown): SegmentEvaluationProblem {
  return err instanceof InvalidDefinitionError
    ? {
        code: "invalidDefinition",
        issues: err.issues.map((i) => ({ path: i.path, code: i.code, ...(i.params ? { params: i.params } : {}) })),
      }
    : { code: "failed" };
}

/** English text of an evaluation failure for logs, the CLI and the API (no stack, bounded length). */
export function evaluationErrorText(err: unknown): string {
  const text =
    err instanceof InvalidDefinitionError ? err.message : `Could not be evaluated: ${err instanceof Error ? err.message : String(err)}`;
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

/**
 * Record why a segment could not be evaluated (`err`), or clear it (`err` null) once it works again.
 * Writes only when the state changes (per-friend refreshes run often); evaluationErrorAt keeps
 * the first time the current error was seen.
 */
export async function recordSegmentEvaluation(shopId: number, segmentId: number, err: unknown, now: Date): Promise<void> {
  const error = err === null ? null : evaluationErrorText(err);
  const changed =
    error === null ? { evaluationError: { not: null } } : { OR: [{ evaluationError: null }, { evaluationError: { not: error } }] };
  const n = await db().segment.updateMany({
    where: { shopId, id: segmentId, ...changed },
    data: {
      evaluationError: error,
      evaluationErrorAt: error === null ? null : now,
      evaluationIssues: err === null ? Prisma.DbNull : (evaluationProblem(err) as unknown as Prisma.InputJsonValue),
    },
  });
  if (n.count && error !== null) logger().warn({ shopId, segmentId, error }, "segment could not be evaluated; skipped");
}

/** The shop's segments whose definitions parse; the others get their error recorded and are left out. */
async function loadShopSegments(
  shopId: number,
  now = new Date(),
): Promise<{ segments: Array<{ id: number; definition: SegmentDefinition }>; invalid: number[] }> {
  const rows = await db().segment.findMany({ where: { shopId }, select: { id: true, definition: true }, orderBy: { id: "asc" } });
  const segments: Array<{ id: number; definition: SegmentDefinition }> = [];
  const invalid: number[] = [];
  for (const r of rows) {
    const parsed = parseDefinition(r.definition);
    if (parsed.ok) segments.push({ id: r.id, definition: parsed.definition });
    else {
      invalid.push(r.id);
      await recordSegmentEvaluation(shopId, r.id, new InvalidDefinitionError(parsed.issues), now);
    }
  }
  return { segments, invalid };
}

export interface FriendRefresh {
  entered: number[];
  left: number[];
  nextCheckAt: Date | null;
}

/**
 * Re-evaluates every segment of the shop for one friend, inserts/deletes the membership rows that
 * changed and emits their transitions. `hops`: tag-rule hops in the causation chain (see the
 * segment.entered event); 0 unless a tag rule caused this refresh.
 */
export async function refreshFriendMemberships(
  shopId: number,
  friendId: number,
  now = new Date(),
  opts: { hops?: number } = {},
): Promise<FriendRefresh> {
  return (await refreshMemberships(shopId, [friendId], now, opts.hops ?? 0)).get(friendId)!;
}

/**
 * `segments.reevaluate-friends` (customer.facts-changed with the customer's linked friends, batched
 * per shop: app/adapters/queue/friend-batches.server.ts): refreshFriendMemberships for each friend,
 * set-based; answers how many friends were refreshed.
 */
export async function refreshFriendsMemberships(shopId: number, friendIds: readonly number[], now = new Date()): Promise<number> {
  return (await refreshMemberships(shopId, friendIds, now, 0)).size;
}

/**
 * The refresh of many friends at the cost of about one: the shop's segments, the friends' facts and
 * memberships are read once (one statement each), the rows that change are inserted and deleted in
 * one statement each, then each friend's transitions are emitted and its next check scheduled.
 */
async function refreshMemberships(
  shopId: number,
  friendIds: readonly number[],
  now: Date,
  hops: number,
): Promise<Map<number, FriendRefresh>> {
  const ids = [...new Set(friendIds)];
  const out = new Map<number, FriendRefresh>(ids.map((id) => [id, { entered: [], left: [], nextCheckAt: null }]));
  if (!ids.length) return out;
  const [{ segments, invalid }, timeZone, factsMap, current] = await Promise.all([
    loadShopSegments(shopId, now),
    shopTimeZone(shopId),
    loadFriendFacts(shopId, ids),
    db().segmentMembership.findMany({
      where: { shopId, friendId: ids.length === 1 ? ids[0] : { in: ids } },
      select: { segmentId: true, friendId: true },
    }),
  ]);
  const was = new Map<number, Set<number>>(ids.map((id) => [id, new Set()]));
  for (const m of current) was.get(m.friendId)?.add(m.segmentId);
  const ctx = { now, timeZone };
  /** Segments whose evaluation failed in this refresh (recorded once each). */
  const failed = new Set<number>();
  const entering: Array<{ segmentId: number; friendId: number }> = [];
  const leaving: Array<{ segmentId: number; friendId: number }> = [];
  for (const friendId of ids) {
    const facts = factsMap.get(friendId);
    const r = out.get(friendId)!;
    const should = new Set<number>();
    /** Segments whose answer is unknown for this friend: their membership is left as it was. */
    const unknown = new Set<number>(invalid);
    if (facts)
      for (const s of segments) {
        try {
          if (evaluateDefinition(s.definition, facts, ctx)) should.add(s.id);
          const next = nextMembershipChange(s.definition, facts, ctx);
          if (next && (!r.nextCheckAt || next < r.nextCheckAt)) r.nextCheckAt = next;
        } catch (err) {
          unknown.add(s.id);
          if (!failed.has(s.id)) await recordSegmentEvaluation(shopId, s.id, err, now);
          failed.add(s.id);
        }
      }
    const had = was.get(friendId)!;
    for (const s of should) if (!had.has(s)) entering.push({ segmentId: s, friendId });
    for (const s of had) if (!should.has(s) && !unknown.has(s)) leaving.push({ segmentId: s, friendId });
  }
  // Only rows this statement inserted / deleted are transitions: a concurrent refresh that got there
  // first emitted them.
  const columns = (rows: typeof entering) => [rows.map((r) => r.segmentId), rows.map((r) => r.friendId)];
  const entered = entering.length
    ? await db().$queryRawUnsafe<Array<{ segmentId: number; friendId: number }>>(
        `INSERT INTO "SegmentMembership" ("segmentId", "friendId", "shopId", "enteredAt")
         SELECT t.s, t.f, $3, $4::timestamp(3) FROM unnest($1::int[], $2::int[]) AS t(s, f)
         ON CONFLICT DO NOTHING RETURNING "segmentId", "friendId"`,
        ...columns(entering),
        shopId,
        now.toISOString().slice(0, 23),
      )
    : [];
  const left = leaving.length
    ? await db().$queryRawUnsafe<Array<{ segmentId: number; friendId: number }>>(
        `DELETE FROM "SegmentMembership" m USING unnest($1::int[], $2::int[]) AS t(s, f)
          WHERE m."segmentId" = t.s AND m."friendId" = t.f AND m."shopId" = $3
          RETURNING m."segmentId", m."friendId"`,
        ...columns(leaving),
        shopId,
      )
    : [];
  for (const e of entered) out.get(e.friendId)!.entered.push(e.segmentId);
  for (const l of left) out.get(l.friendId)!.left.push(l.segmentId);
  for (const [friendId, r] of out) {
    r.entered.sort((a, b) => a - b);
    r.left.sort((a, b) => a - b);
    await emitTransitions(
      [
        ...r.entered.map((segmentId) => ({ shopId, friendId, segmentId, kind: "entered" as const, at: now })),
        ...r.left.map((segmentId) => ({ shopId, friendId, segmentId, kind: "left" as const, at: now })),
      ],
      hops,
    );
    if (r.nextCheckAt)
      await enqueue(
        "segments.reevaluate-friend",
        { shopId, friendId },
        // One job per friend and instant: re-running a refresh never piles up duplicates.
        {
          delay: delayUntil(r.nextCheckAt),
          jobId: `segments.reevaluate:${shopId}:${friendId}:${r.nextCheckAt.getTime()}`,
        },
      );
  }
  return out;
}

/** A customer's facts changed: refresh the memberships of the friend(s) linked to that customer. */
export async function refreshCustomerMemberships(shopId: number, shopifyCustomerId: bigint, now = new Date()): Promise<number> {
  const customer = await db().customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    select: { id: true },
  });
  // An erased customer's row is gone; its former friend was unlinked and refreshed by friend.unlinked.
  if (!customer) return 0;
  const friends = await db().friend.findMany({ where: { shopId, customerId: customer.id }, select: { id: true } });
  return refreshFriendsMemberships(
    shopId,
    friends.map((f) => f.id),
    now,
  );
}

export interface SegmentRefresh {
  entered: number;
  left: number;
  /** The segment could not be evaluated: memberships unchanged, Segment.evaluationError set. */
  failed: boolean;
}

/**
 * Set-based refresh of one segment's memberships (after create/edit, and at local midnight).
 * Never throws for a segment that cannot be evaluated: records why and reports `failed`.
 * Segment.memberCount follows through database triggers; after a save (membersPending) the
 * memberships are counted once here.
 */
export async function refreshSegment(shopId: number, segmentId: number, now = new Date()): Promise<SegmentRefresh> {
  const seg = await db().segment.findFirst({ where: { shopId, id: segmentId }, select: { definition: true } });
  if (!seg) {
    await db().segmentMembership.deleteMany({ where: { shopId, segmentId } });
    return { entered: 0, left: 0, failed: false };
  }
  let inserted: Array<{ friendId: number }>;
  let removed: Array<{ friendId: number }>;
  try {
    const parsed = parseDefinition(seg.definition);
    if (!parsed.ok) throw new InvalidDefinitionError(parsed.issues);
    const timeZone = await shopTimeZone(shopId);
    const { sql, params } = compileDefinition(parsed.definition, { now, timeZone, shopId });
    const p = new SqlParams(params);
    const segParam = p.add(segmentId, "int");
    const nowParam = p.ts(now);
    inserted = await db().$queryRawUnsafe<Array<{ friendId: number }>>(
      `INSERT INTO "SegmentMembership" ("segmentId", "friendId", "shopId", "enteredAt")
       SELECT ${segParam}, f."friendId", $1::int, ${nowParam} FROM ${SEGMENT_FROM} WHERE f."shopId" = $1::int AND ${sql}
       ON CONFLICT DO NOTHING RETURNING "friendId"`,
      ...p.values,
    );
    const q = new SqlParams(params);
    const segParam2 = q.add(segmentId, "int");
    removed = await db().$queryRawUnsafe<Array<{ friendId: number }>>(
      `DELETE FROM "SegmentMembership" sm WHERE sm."segmentId" = ${segParam2} AND sm."shopId" = $1::int
         AND NOT EXISTS (SELECT 1 FROM ${SEGMENT_FROM} WHERE f."friendId" = sm."friendId" AND f."shopId" = $1::int AND ${sql})
       RETURNING "friendId"`,
      ...q.values,
    );
  } catch (err) {
    await recordSegmentEvaluation(shopId, segmentId, err, now);
    return { entered: 0, left: 0, failed: true };
  }
  // A freshly saved definition: its count so far was countSegment's at the save; count the
  // memberships once, and the triggers keep it from here (no-op unless pending).
  await db().$queryRawUnsafe(`SELECT segment_member_count_reset($1::int, $2::jsonb)`, segmentId, JSON.stringify(seg.definition));
  await recordSegmentEvaluation(shopId, segmentId, null, now);
  await emitTransitions(
    [
      ...inserted.map((r) => ({ shopId, friendId: r.friendId, segmentId, kind: "entered" as const, at: now })),
      ...removed.map((r) => ({ shopId, friendId: r.friendId, segmentId, kind: "left" as const, at: now })),
    ],
    0,
  );
  return { entered: inserted.length, left: removed.length, failed: false };
}

/**
 * Refresh every segment of a shop (or one), then, if any segment has time-dependent conditions,
 * schedule the same at the next shop-local midnight (job id per shop and day: deduplicated).
 */
export async function refreshShopSegments(
  shopId: number,
  segmentId?: number,
  now = new Date(),
): Promise<{ segments: number; entered: number; left: number; failed: number[]; nextAt: Date | null }> {
  const { segments, invalid } = await loadShopSegments(shopId, now);
  let entered = 0;
  let left = 0;
  const failed = invalid.filter((id) => segmentId === undefined || id === segmentId);
  for (const s of segments) {
    if (segmentId !== undefined && s.id !== segmentId) continue;
    const r = await refreshSegment(shopId, s.id, now);
    entered += r.entered;
    left += r.left;
    if (r.failed) failed.push(s.id);
  }
  failed.sort((a, b) => a - b);
  let nextAt: Date | null = null;
  if (segments.some((s) => isTimeDependent(s.definition))) {
    const tz = await shopTimeZone(shopId);
    const day = localDayNumber(now, tz) + 1;
    nextAt = startOfLocalDay(day, tz);
    await enqueue(
      "segments.refresh-memberships",
      { shopId },
      { delay: delayUntil(nextAt), jobId: `segments.refresh-memberships:${shopId}:day${day}` },
    );
  }
  childLogger({ shopId }).debug({ entered, left, failed: failed.length }, "segments refreshed");
  return { segments: segments.length, entered, left, failed, nextAt };
}
