// Hourly reconciliation: for a sample of friends, compare the per-user menu LINE reports with the
// one we want, repair drift (someone changed menus in LINE OA Manager, a lost call, a race with a
// publish) and store what was found.
import { db } from "~/db.server";
import { enqueue, queue } from "~/adapters/queue/queues.server";
import { classifyLineError } from "~/adapters/line/client.server";
import { loadRuleSet } from "~/db/rich-menus.server";
import { loadMemberships, MENU_FRIEND_SELECT, type MenuFriend } from "./memberships.server";
import { chooseFor } from "./sync.server";
import { menuApiFor, shopById } from "./channel.server";

const RECONCILE_SAMPLE = 200;

export async function reconcileShop(shopId: number, opts: { sample?: number; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const shop = await shopById(shopId);
  const api = menuApiFor(shop);
  if (!api) return null;
  const sample = opts.sample ?? RECONCILE_SAMPLE;
  const ids = await db().$queryRaw<
    Array<{ id: number }>
  >`select id from "Friend" where "shopId" = ${shopId} and following = true order by random() limit ${sample}`;
  const friends: MenuFriend[] = ids.length
    ? await db().friend.findMany({ where: { id: { in: ids.map((r) => r.id) } }, select: MENU_FRIEND_SELECT })
    : [];
  const rs = await loadRuleSet(shopId);
  const m = await loadMemberships(shop, rs.rules, friends, now);
  const details: Array<{ friendId: number; expected: string | null; actual: string | null; repaired: boolean; error?: string }> = [];
  let repaired = 0;
  for (const f of friends) {
    const r = chooseFor(f, rs, m.byFriend.get(f.id)!, now);
    const expected = r.menuId === null ? null : (rs.published.get(r.menuId) ?? null);
    let actual: string | null;
    try {
      actual = await api.userMenu(f.lineUserId);
    } catch (err) {
      details.push({ friendId: f.id, expected, actual: null, repaired: false, error: classifyLineError(err).message });
      continue;
    }
    const stored = f.richMenuId === null ? null : (rs.published.get(f.richMenuId) ?? null);
    if (actual === expected && stored === expected) continue;
    try {
      if (actual !== expected) {
        if (expected === null) await api.unlink(f.lineUserId);
        else await api.link(f.lineUserId, expected);
      }
      await db().friend.update({
        where: { id: f.id },
        data: { richMenuId: r.menuId, richMenuRuleId: r.ruleId, richMenuAssignedAt: r.changed ? now : f.richMenuAssignedAt },
      });
      repaired++;
      details.push({ friendId: f.id, expected, actual, repaired: true });
    } catch (err) {
      details.push({ friendId: f.id, expected, actual, repaired: false, error: classifyLineError(err).message });
    }
  }
  return db().driftReport.create({
    data: { shopId, sampled: friends.length, drifted: details.length, repaired, details: details.slice(0, 100) },
  });
}

/** Every connected shop (the repeatable job carries no shop id). */
export async function reconcileAllShops(now = new Date()) {
  const shops = await db().shop.findMany({ where: { uninstalledAt: null, lineChannelId: { not: null } }, select: { id: true } });
  for (const s of shops)
    await enqueue(
      "rich-menus.reconcile",
      { shopId: s.id },
      { jobId: `rich-menus.reconcile:${s.id}:${Math.floor(now.getTime() / 3_600_000)}` },
    );
  return { shops: shops.length };
}

/** The hourly sweep, with a fixed job id so every worker start registers the same schedule. */
export function scheduleMenuReconcile() {
  return queue("scheduled").add("rich-menus.reconcile", {}, { repeat: { every: 3_600_000 }, jobId: "rich-menus.reconcile" });
}
