// "Needs reply": friends waiting for a person. Tapping a rich menu's "Talk to us" area tags the
// friend "needs-reply" (HANDOFF_TAG, app/services/rich-menus/postbacks.server.ts) — the tag is the
// queue, so the Tags page, segments and the friend page all see the same state. The list shows the
// longest waiting first with what the friend wrote since; "Mark as done" takes the tag off.
import { db } from "~/db.server";
import { findTagByName } from "~/db/tags.server";
import { HANDOFF_TAG } from "~/services/rich-menus/postbacks.server";
import { removeTagFromFriends } from "~/services/tags/tags.server";
import { MessageFields } from "~/adapters/line/webhook.server";

/** At most this many waiting friends are listed (oldest request first); the total is always given. */
const NEEDS_REPLY_LIMIT = 100;

export interface WaitingFriend {
  friendId: number;
  displayName: string | null;
  pictureUrl: string | null;
  following: boolean;
  /** When the friend asked for a person (the "Talk to us" tap that tagged them). */
  since: Date;
  /** Messages the friend sent since then, and the latest one (its text when it was text). */
  messagesSince: number;
  lastMessage: { at: Date; type: string; text: string | null } | null;
}

/** Friends of the shop waiting for a reply, longest waiting first. */
export async function listNeedsReply(shopId: number): Promise<{ total: number; friends: WaitingFriend[] }> {
  const tag = await findTagByName(shopId, HANDOFF_TAG);
  if (!tag) return { total: 0, friends: [] };
  const [total, rows] = await Promise.all([
    db().friendTag.count({ where: { shopId, tagId: tag.id } }),
    db().friendTag.findMany({
      where: { shopId, tagId: tag.id },
      orderBy: [{ addedAt: "asc" }, { friendId: "asc" }],
      take: NEEDS_REPLY_LIMIT,
    }),
  ]);
  if (!rows.length) return { total, friends: [] };
  const friends = await db().friend.findMany({
    where: { shopId, id: { in: rows.map((r) => r.friendId) } },
    select: { id: true, lineUserId: true, displayName: true, pictureUrl: true, following: true },
  });
  const byId = new Map(friends.map((f) => [f.id, f]));
  // What each waiting friend wrote after asking (one query; the index on shop + user + time serves it).
  const messages = await db().$queryRaw<Array<{ lineUserId: string; n: bigint; lastAt: Date; payload: unknown }>>`
    SELECT f."lineUserId", count(e.id) AS n, max(e."receivedAt") AS "lastAt",
           (array_agg(e.payload ORDER BY e."receivedAt" DESC, e.id DESC))[1] AS payload
      FROM "FriendTag" ft
      JOIN "Friend" f ON f.id = ft."friendId" AND f."shopId" = ft."shopId"
      JOIN "LineEvent" e ON e."shopId" = ft."shopId" AND e."lineUserId" = f."lineUserId" AND e.type = 'message' AND e."receivedAt" >= ft."addedAt"
     WHERE ft."shopId" = ${shopId} AND ft."tagId" = ${tag.id} AND ft."friendId" = ANY(${friends.map((f) => f.id)}::int[])
     GROUP BY f."lineUserId"`;
  const byUser = new Map(messages.map((m) => [m.lineUserId, m]));
  return {
    total,
    friends: rows.flatMap((r) => {
      const f = byId.get(r.friendId);
      if (!f) return [];
      const m = byUser.get(f.lineUserId);
      const parsed = m ? MessageFields.safeParse(m.payload) : null;
      return [
        {
          friendId: f.id,
          displayName: f.displayName,
          pictureUrl: f.pictureUrl,
          following: f.following,
          since: r.addedAt,
          messagesSince: m ? Number(m.n) : 0,
          lastMessage:
            m && parsed?.success
              ? {
                  at: m.lastAt,
                  type: parsed.data.message.type,
                  text: parsed.data.message.type === "text" ? (parsed.data.message.text ?? null) : null,
                }
              : null,
        },
      ];
    }),
  };
}

/** "Mark as done": the friend no longer waits (the tag is removed). "not-waiting" when they were not in the list. */
export async function markReplied(shopId: number, friendId: number): Promise<"done" | "not-waiting"> {
  const tag = await findTagByName(shopId, HANDOFF_TAG);
  if (!tag) return "not-waiting";
  return (await removeTagFromFriends(shopId, tag.id, [friendId])) > 0 ? "done" : "not-waiting";
}
