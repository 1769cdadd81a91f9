// A friend entering or leaving a segment may change which menu rule wins for them: ask for a
// (deduplicated, rate-limited) menu sync. The chooser decides whether anything changes on LINE.
import { subscribeSegmentTransitions } from "~/services/segments/memberships.server";
import { requestMenuSync } from "~/services/rich-menus/sync.server";

subscribeSegmentTransitions(async (t) => {
  await requestMenuSync(t.shopId, t.friendId);
});
