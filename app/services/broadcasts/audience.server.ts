// Who a broadcast reaches, as SQL (the audience never passes through the worker's memory).
// Segment membership comes from SegmentMembership, which the segments engine keeps current; blocked,
// unfollowed and opted-out friends are always excluded; the shared frequency cap applies when set.
import { Prisma } from "@prisma/client";
import { z } from "zod";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { MARKETING_SEND_KINDS } from "~/domain/messaging/policy";
import { loadMessagingPolicy } from "~/db/settings/messaging-policy.server";

export const AudienceSchema = z.object({
  segmentIds: z.array(z.number().int().positive()).default([]),
  excludeSegmentIds: z.array(z.number().int().positive()).default([]),
  allFriends: z.boolean().optional(),
  /** Trim-to-fit: keep only this many, most recently active first (then lowest friend id). */
  trimTo: z.number().int().nonnegative().optional(),
  /** Explicit friend ids (test sends, A/B follow-ups). */
  friendIds: z.array(z.number().int().positive()).optional(),
});
export type Audience = z.infer<typeof AudienceSchema>;

export type FrequencyCap = { max: number; days: number };

/** The shop's shared frequency cap, from the one place the messaging policy is read. */
export async function shopFrequencyCap(shop: Pick<Shop, "id">): Promise<FrequencyCap | null> {
  const cap = (await loadMessagingPolicy(shop)).frequencyCap;
  return cap ? { max: cap.max, days: cap.windowDays } : null;
}

/** The eligible friend ids, as a SQL subquery returning (id, "lastActivityAt"). */
export function eligibleFriendsSql(shopId: number, a: Audience, cap: FrequencyCap | null, now: Date): Prisma.Sql {
  const conds: Prisma.Sql[] = [
    Prisma.sql`f."shopId" = ${shopId}`,
    Prisma.sql`f.following = true`,
    Prisma.sql`f."blockedAt" IS NULL`,
    Prisma.sql`f."marketingOptOut" = false`,
  ];
  if (a.friendIds) conds.push(Prisma.sql`f.id = ANY(${a.friendIds}::int[])`);
  else if (!a.allFriends)
    conds.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "SegmentMembership" m WHERE m."friendId" = f.id AND m."shopId" = ${shopId} AND m."segmentId" = ANY(${a.segmentIds}::int[]))`,
    );
  if (a.excludeSegmentIds.length)
    conds.push(
      Prisma.sql`NOT EXISTS (SELECT 1 FROM "SegmentMembership" m WHERE m."friendId" = f.id AND m."shopId" = ${shopId} AND m."segmentId" = ANY(${a.excludeSegmentIds}::int[]))`,
    );
  if (cap) {
    const since = new Date(now.getTime() - cap.days * 86_400_000);
    conds.push(
      Prisma.sql`(SELECT count(*) FROM "MessageSend" s WHERE s."shopId" = ${shopId} AND s."friendId" = f.id AND s.kind = ANY(${[...MARKETING_SEND_KINDS]}::text[]) AND s.status = 'sent' AND s."sentAt" > ${since}) < ${cap.max}`,
    );
  }
  return Prisma.sql`SELECT f.id, f."lastActivityAt" FROM "Friend" f WHERE ${Prisma.join(conds, " AND ")}`;
}

export async function countAudience(shopId: number, a: Audience, cap: FrequencyCap | null, now: Date): Promise<number> {
  const rows = await db().$queryRaw<Array<{ n: bigint }>>`SELECT count(*)::bigint AS n FROM (${eligibleFriendsSql(shopId, a, cap, now)}) e`;
  const n = Number(rows[0]?.n ?? 0);
  return a.trimTo !== undefined ? Math.min(n, a.trimTo) : n;
}

export const BATCH_SIZE = 500; // LINE multicast: at most 500 user ids per request

/**
 * Locks the broadcast row for the preparing transaction (a plain send or an A/B split): false when
 * it was prepared meanwhile or cancelled, so the audience is snapshotted once.
 */
export async function lockForPreparing(tx: Prisma.TransactionClient, broadcastId: number): Promise<boolean> {
  const locked = await tx.$queryRaw<Array<{ status: string; preparedAt: Date | null }>>`
    SELECT status, "preparedAt" FROM "Broadcast" WHERE id = ${broadcastId} FOR UPDATE`;
  return !locked[0]?.preparedAt && locked[0]?.status !== "cancelled";
}

/**
 * Snapshot recipients into BroadcastBatch rows of 500 with one INSERT … SELECT (the database
 * streams and groups; the worker holds nothing). Each batch gets its retry key here, once.
 */
export async function snapshotBatches(
  tx: Prisma.TransactionClient,
  broadcastId: number,
  shopId: number,
  a: Audience,
  cap: FrequencyCap | null,
  now: Date,
): Promise<number> {
  const limit = a.trimTo !== undefined ? Prisma.sql`LIMIT ${a.trimTo}` : Prisma.empty;
  return tx.$executeRaw`
    INSERT INTO "BroadcastBatch" ("broadcastId", "shopId", seq, "friendIds", "retryKey")
    SELECT ${broadcastId}, ${shopId}, bucket, array_agg(id ORDER BY rn), gen_random_uuid()::text
    FROM (
      SELECT id, rn, ((rn - 1) / ${BATCH_SIZE})::int AS bucket FROM (
        SELECT id, row_number() OVER (ORDER BY "lastActivityAt" DESC NULLS LAST, id) AS rn
        FROM (SELECT e.id, e."lastActivityAt" FROM (${eligibleFriendsSql(shopId, a, cap, now)}) e
              ORDER BY e."lastActivityAt" DESC NULLS LAST, e.id ${limit}) t
      ) n
    ) x
    GROUP BY bucket
    ON CONFLICT DO NOTHING`;
}
