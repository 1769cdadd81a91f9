// Per-friend sync: a friend's facts changed → choose their menu → link it only if it changed.
// Runs as `rich-menus.sync-friend` on the line-outbound queue (see requestMenuSync).
import { db } from "~/db.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { classifyLineError } from "~/adapters/line/client.server";
import { isRetryableLineOutcome } from "~/domain/messaging/line-outcome";
import { childLogger } from "~/adapters/logger.server";
import { chooseMenu, type ChooseResult } from "~/domain/rich-menus/choose-menu";
import { loadRuleSet, type RuleSet } from "~/db/rich-menus.server";
import { loadMemberships, MENU_FRIEND_SELECT, type MenuFriend } from "./memberships.server";
import { menuApiFor, shopById } from "./channel.server";

export type SyncOutcome = "linked" | "unlinked" | "unchanged" | "held" | "skipped" | "failed";

/**
 * Asks for a re-evaluation of one friend's menu. Jobs with the same id are coalesced by Bull, so a
 * burst of fact changes for one friend within a second costs one evaluation; `delayMs` schedules a
 * re-check (dwell expiry, an intent that becomes true with time).
 */
export async function requestMenuSync(shopId: number, friendId: number, opts: { delayMs?: number; now?: Date } = {}) {
  const now = (opts.now ?? new Date()).getTime();
  const at = now + (opts.delayMs ?? 0);
  const jobId = opts.delayMs
    ? `rich-menus.sync-friend:${shopId}:${friendId}:at:${Math.ceil(at / 60_000)}`
    : `rich-menus.sync-friend:${shopId}:${friendId}:${Math.floor(now / 1000)}`;
  return enqueue(
    "rich-menus.sync-friend",
    { shopId, friendId },
    { jobId, delay: opts.delayMs, removeOnComplete: true, removeOnFail: 1000 },
  );
}

const menuNamer = (rs: RuleSet) => (id: number | null) =>
  id === null
    ? rs.defaultMenuId !== null
      ? `the default menu “${rs.menuNames.get(rs.defaultMenuId)}”`
      : "no menu (none set as default)"
    : `“${rs.menuNames.get(id) ?? `menu ${id}`}”`;

export function chooseFor(friend: MenuFriend, rs: RuleSet, memberships: Map<number, boolean>, now: Date): ChooseResult {
  return chooseMenu({
    rules: rs.chooserRules,
    memberships,
    current: { menuId: friend.richMenuId, assignedAt: friend.richMenuAssignedAt, ruleId: friend.richMenuRuleId },
    defaultMenuId: rs.defaultMenuId,
    now,
    menuName: menuNamer(rs),
  });
}

export async function syncFriendMenu(
  shopId: number,
  friendId: number,
  now = new Date(),
): Promise<{ outcome: SyncOutcome; reason: string }> {
  const shop = await shopById(shopId);
  const log = childLogger({ shop: shop.domain, job: "rich-menus.sync-friend", friendId });
  const api = menuApiFor(shop);
  if (!api) return { outcome: "skipped", reason: "no LINE channel" };
  const friend = await db().friend.findFirst({ where: { shopId, id: friendId }, select: MENU_FRIEND_SELECT });
  if (!friend || !friend.following) return { outcome: "skipped", reason: "not a friend" };
  const rs = await loadRuleSet(shopId);
  const m = await loadMemberships(shop, rs.rules, [friend], now);
  const result = chooseFor(friend, rs, m.byFriend.get(friend.id)!, now);

  const recheck = [result.heldUntil, m.changesAt.get(friend.id)]
    .filter((d): d is Date => !!d && d > now)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  if (recheck) await requestMenuSync(shopId, friendId, { delayMs: recheck.getTime() - now.getTime() + 1000, now });

  if (!result.changed) return { outcome: result.heldUntil ? "held" : "unchanged", reason: result.reason };
  try {
    if (result.menuId === null) await api.unlink(friend.lineUserId);
    else await api.link(friend.lineUserId, rs.published.get(result.menuId)!);
  } catch (err) {
    const c = classifyLineError(err);
    if (isRetryableLineOutcome(c.kind)) throw err;
    // Permanent (e.g. the user blocked us between our read and the call): never retried; the
    // reconciliation job and the next fact change look again.
    log.warn({ status: c.status, error: c.message }, "rich menu link refused");
    return { outcome: "failed", reason: c.message };
  }
  await db().friend.update({
    where: { id: friend.id },
    data: { richMenuId: result.menuId, richMenuRuleId: result.ruleId, richMenuAssignedAt: now },
  });
  return { outcome: result.menuId === null ? "unlinked" : "linked", reason: result.reason };
}

/** A customer's facts changed → ask for a menu sync of the following friend(s) linked to that customer. */
export async function requestCustomerMenuSync(shopId: number, shopifyCustomerId: bigint): Promise<number> {
  const customer = await db().customer.findFirst({ where: { shopId, shopifyCustomerId }, select: { id: true } });
  if (!customer) return 0;
  const friends = await db().friend.findMany({ where: { shopId, customerId: customer.id, following: true }, select: { id: true } });
  for (const f of friends) await requestMenuSync(shopId, f.id);
  return friends.length;
}
