// The friend's recent marketing sends, which the frequency cap counts. The policy itself (quiet
// hours, cap) is a settings area: app/db/settings/messaging-policy.server.ts.
import { db } from "~/db.server";
import { MARKETING_SEND_KINDS } from "~/domain/messaging/policy";

/** sentAt of the friend's marketing sends within `windowDays` (0 → none needed). */
export async function recentMarketingSends(
  shopId: number,
  friendId: number,
  now: Date,
  windowDays: number,
  excludeSendId?: number,
): Promise<Date[]> {
  if (windowDays <= 0) return [];
  const rows = await db().messageSend.findMany({
    where: {
      shopId,
      friendId,
      kind: { in: [...MARKETING_SEND_KINDS] },
      status: "sent",
      sentAt: { gt: new Date(now.getTime() - windowDays * 86_400_000) },
      ...(excludeSendId ? { id: { not: excludeSendId } } : {}),
    },
    select: { sentAt: true },
  });
  return rows.map((r) => r.sentAt!).filter(Boolean);
}
