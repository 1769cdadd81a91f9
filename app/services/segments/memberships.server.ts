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
import { db } from "~/db.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { emit } from "~/reactions.server";
import { childLogger, logger } from "~/adapters/logger.server";
import { parseDefinition, type SegmentDefinition } from "~/domain/segments/schema";
import { evaluateDefinition } from "~/domain/segments/evaluate";
import { nextChangeOfAll, isTimeDependent } from "~/domain/segments/next-change";
import { compileDefinition, SEGMENT_FROM, SqlParams } from "~/domain/segments/compile-sql";
import { localDayNumber, startOfLocalDay } from "~/domain/segments/dates";
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

export async function loadShopSegments(shopId: number): Promise<Array<{ id: number; definition: SegmentDefinition }>> {
  const rows = await db().segment.findMany({ where: { shopId }, select: { id: true, definition: true }, orderBy: { id: "asc" } });
  const out: Array<{ id: number; definition: SegmentDefinition }> = [];
  for (const r of rows) {
    const parsed = parseDefinition(r.definition);
    if (parsed.ok) out.push({ id: r.id, definition: parsed.definition });
    else logger().warn({ shopId, segmentId: r.id }, "stored segment definition is invalid; skipped");
  }
  return out;
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
  const [segments, timeZone, factsMap, current] = await Promise.all([
    loadShopSegments(shopId),
    shopTimeZone(shopId),
    loadFriendFacts(shopId, [friendId]),
    db().segmentMembership.findMany({ where: { shopId, friendId }, select: { segmentId: true } }),
  ]);
  const facts = factsMap.get(friendId);
  const was = new Set(current.map((m) => m.segmentId));
  const ctx = { now, timeZone };
  const should = new Set(facts ? segments.filter((s) => evaluateDefinition(s.definition, facts, ctx)).map((s) => s.id) : []);
  const entered: number[] = [];
  const left: number[] = [];
  for (const s of should) {
    if (was.has(s)) continue;
    const n = await db().$executeRawUnsafe(
      `INSERT INTO "SegmentMembership" ("segmentId", "friendId", "shopId", "enteredAt") VALUES ($1, $2, $3, $4::timestamp(3)) ON CONFLICT DO NOTHING`,
      s,
      friendId,
      shopId,
      now.toISOString().slice(0, 23),
    );
    if (n > 0) entered.push(s);
  }
  const leaving = [...was].filter((s) => !should.has(s));
  for (const s of leaving) {
    const r = await db().segmentMembership.deleteMany({ where: { segmentId: s, friendId } });
    if (r.count > 0) left.push(s);
  }
  await emitTransitions(
    [
      ...entered.map((segmentId) => ({ shopId, friendId, segmentId, kind: "entered" as const, at: now })),
      ...left.map((segmentId) => ({ shopId, friendId, segmentId, kind: "left" as const, at: now })),
    ],
    opts.hops ?? 0,
  );

  const nextCheckAt = facts
    ? nextChangeOfAll(
        segments.map((s) => s.definition),
        facts,
        ctx,
      )
    : null;
  if (nextCheckAt) {
    await enqueue(
      "segments.reevaluate-friend",
      { shopId, friendId },
      // One job per friend and instant: re-running a refresh never piles up duplicates.
      {
        delay: Math.max(0, nextCheckAt.getTime() - now.getTime()),
        jobId: `segments.reevaluate:${shopId}:${friendId}:${nextCheckAt.getTime()}`,
      },
    );
  }
  return { entered, left, nextCheckAt };
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
  for (const f of friends) await refreshFriendMemberships(shopId, f.id, now);
  return friends.length;
}

/** Set-based refresh of one segment's memberships (after create/edit, and at local midnight). */
export async function refreshSegment(shopId: number, segmentId: number, now = new Date()): Promise<{ entered: number; left: number }> {
  const seg = await db().segment.findFirst({ where: { shopId, id: segmentId }, select: { definition: true } });
  if (!seg) {
    await db().segmentMembership.deleteMany({ where: { shopId, segmentId } });
    return { entered: 0, left: 0 };
  }
  const parsed = parseDefinition(seg.definition);
  if (!parsed.ok) return { entered: 0, left: 0 };
  const timeZone = await shopTimeZone(shopId);
  const { sql, params } = compileDefinition(parsed.definition, { now, timeZone, shopId });
  const p = new SqlParams(params);
  const segParam = p.add(segmentId, "int");
  const nowParam = p.ts(now);
  const inserted = await db().$queryRawUnsafe<Array<{ friendId: number }>>(
    `INSERT INTO "SegmentMembership" ("segmentId", "friendId", "shopId", "enteredAt")
     SELECT ${segParam}, f.id, $1::int, ${nowParam} FROM ${SEGMENT_FROM} WHERE f."shopId" = $1::int AND ${sql}
     ON CONFLICT DO NOTHING RETURNING "friendId"`,
    ...p.values,
  );
  const q = new SqlParams(params);
  const segParam2 = q.add(segmentId, "int");
  const removed = await db().$queryRawUnsafe<Array<{ friendId: number }>>(
    `DELETE FROM "SegmentMembership" sm WHERE sm."segmentId" = ${segParam2} AND sm."shopId" = $1::int
       AND NOT EXISTS (SELECT 1 FROM ${SEGMENT_FROM} WHERE f.id = sm."friendId" AND f."shopId" = $1::int AND ${sql})
     RETURNING "friendId"`,
    ...q.values,
  );
  await emitTransitions(
    [
      ...inserted.map((r) => ({ shopId, friendId: r.friendId, segmentId, kind: "entered" as const, at: now })),
      ...removed.map((r) => ({ shopId, friendId: r.friendId, segmentId, kind: "left" as const, at: now })),
    ],
    0,
  );
  return { entered: inserted.length, left: removed.length };
}

/**
 * Refresh every segment of a shop (or one), then, if any segment has time-dependent conditions,
 * schedule the same at the next shop-local midnight (job id per shop and day: deduplicated).
 */
export async function refreshShopSegments(
  shopId: number,
  segmentId?: number,
  now = new Date(),
): Promise<{ segments: number; entered: number; left: number; nextAt: Date | null }> {
  const segments = await loadShopSegments(shopId);
  let entered = 0;
  let left = 0;
  for (const s of segments) {
    if (segmentId !== undefined && s.id !== segmentId) continue;
    const r = await refreshSegment(shopId, s.id, now);
    entered += r.entered;
    left += r.left;
  }
  let nextAt: Date | null = null;
  if (segments.some((s) => isTimeDependent(s.definition))) {
    const tz = await shopTimeZone(shopId);
    const day = localDayNumber(now, tz) + 1;
    nextAt = startOfLocalDay(day, tz);
    await enqueue(
      "segments.refresh",
      { shopId },
      { delay: Math.max(0, nextAt.getTime() - now.getTime()), jobId: `segments.refresh:${shopId}:day${day}` },
    );
  }
  childLogger({ shopId }).debug({ entered, left }, "segments refreshed");
  return { segments: segments.length, entered, left, nextAt };
}
