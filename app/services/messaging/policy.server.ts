// The friends' recent marketing sends, which the frequency cap counts. The policy itself (quiet
// hours, cap) is a settings area: app/db/settings/messaging-policy.server.ts.
import { db } from "~/db.server";
import { MARKETING_SEND_KINDS } from "~/domain/messaging/policy";

/**
 * sentAt of each friend's marketing sends within `windowDays` before `now`, by friend id (every
 * asked friend has an entry; none are read when `windowDays` ≤ 0). `excludeSendIds`: the sends being
 * decided, which must not count against themselves. One query for any number of friends.
 */
export async function recentMarketingSends(
  shopId: number,
  friendIds: readonly number[],
  now: Date,
  windowDays: number,
  excludeSendIds: readonly number[] = [],
): Promise<Map<number, Date[]>> {
  const out = new Map<number, Date[]>(friendIds.map((id) => [id, []]));
  if (windowDays <= 0 || friendIds.length === 0) return out;
  const rows = await db().messageSend.findMany({
    where: {
      shopId,
      friendId: friendIds.length === 1 ? friendIds[0] : { in: [...friendIds] },
      kind: { in: [...MARKETING_SEND_KINDS] },
      status: "sent",
      sentAt: { gt: new Date(now.getTime() - windowDays * 86_400_000) },
      ...(excludeSendIds.length ? { id: { notIn: [...excludeSendIds] } } : {}),
    },
    select: { friendId: true, sentAt: true },
  });
  for (const r of rows) if (r.friendId !== null && r.sentAt) out.get(r.friendId)?.push(r.sentAt);
  return out;
}
