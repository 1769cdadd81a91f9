// Job entry points and in-process wiring: customer facts changes (ingestion) → refresh the linked
// friends' memberships through a job (so the delivery that changed the facts is not slowed down).
import { db } from "~/db.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { subscribeFactsChanged } from "~/services/ingestion/facts-events.server";
import { refreshFriendMemberships, refreshShopSegments } from "./memberships.server";
// Registers the segment_enter / segment_leave tag-rule subscriber.
import "~/services/tags/tags.server";

export function reevaluateFriendJob(shopId: number, friendId: number) {
  return refreshFriendMemberships(shopId, friendId);
}

export function refreshSegmentsJob(shopId: number, segmentId?: number) {
  return refreshShopSegments(shopId, segmentId);
}

/** Ask for a membership refresh of one friend soon (facts changed). */
export function requestFriendRefresh(shopId: number, friendId: number) {
  return enqueue("segments.reevaluate-friend", { shopId, friendId });
}

subscribeFactsChanged(async (e) => {
  const friends = await db().$queryRawUnsafe<Array<{ id: number }>>(
    `SELECT f.id FROM "Friend" f JOIN "Customer" c ON c.id = f."customerId" WHERE f."shopId" = $1 AND c."shopId" = $1 AND c."shopifyCustomerId" = $2::bigint`,
    e.shopId,
    e.shopifyCustomerId.toString(),
  );
  for (const f of friends) await requestFriendRefresh(e.shopId, f.id);
});
