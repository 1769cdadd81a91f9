// `line-events.refresh-profile` job: LINE profile → Friend.displayName/pictureUrl/language. A 404 (blocked or no
// longer a friend: LINE answers "invalid") is permanent: the attempt is recorded so we do not ask again for 7 days.
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { classifyLineError, lineChannel } from "~/adapters/line/client.server";
import { isRetryableLineOutcome } from "~/domain/messaging/line-outcome";

export type ProfileOutcome = "updated" | "unavailable" | "skipped";

export async function refreshFriendProfile(shopId: number, friendId: number, now = new Date()): Promise<ProfileOutcome> {
  const friend = await db().friend.findFirst({ where: { id: friendId, shopId } });
  const shop = await db().shop.findUnique({ where: { id: shopId } });
  const secrets = shop && !shop.uninstalledAt ? lineSecrets(shop) : undefined;
  if (!friend || !secrets) return "skipped";
  try {
    const p = await lineChannel(secrets.channelAccessToken).profile(friend.lineUserId);
    await db().friend.update({
      where: { id: friend.id },
      data: { displayName: p.displayName, pictureUrl: p.pictureUrl ?? null, language: p.language ?? null, profileFetchedAt: now },
    });
    return "updated";
  } catch (err) {
    if (!isRetryableLineOutcome(classifyLineError(err).kind)) {
      await db().friend.update({ where: { id: friend.id }, data: { profileFetchedAt: now } });
      return "unavailable";
    }
    throw err;
  }
}
