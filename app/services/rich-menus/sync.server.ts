// Per-friend sync: a friend's facts changed → choose their menu → link it only if it changed.
// Runs as `rich-menus.sync-friend` on the line-outbound queue (see requestMenuSync).
import { db } from "~/db.server";
import { delayUntil, enqueue } from "~/adapters/queue/queues.server";
import { classifyLineError } from "~/adapters/line/client.server";
import { isRetryableLineOutcome } from "~/domain/messaging/line-outcome";
import { childLogger } from "~/adapters/logger.server";
import { chooseMenu, type ChooseResult } from "~/domain/rich-menus/choose-menu";
import { loadRuleSet, type RuleSet } from "~/db/rich-menus.server";
import { loadMemberships, MENU_FRIEND_SELECT, type MenuFriend } from "./memberships.server";
import { mapLimit } from "~/domain/concurrency";
import { menuApiFor, shopById } from "./channel.server";

export type SyncOutcome = "linked" | "unlinked" | "unchanged" | "held" | "skipped" | "failed";

/**
 * Asks for a re-evaluation of one friend's menu. Jobs with the same id are coalesced by Bull, so a
 * burst of fact changes for one friend within a second costs one evaluation; `delayMs` schedules a
 * re-check (dwell expiry, an intent that becomes true with time) at `now + delayMs` (delayUntil).
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
    { jobId, delay: opts.delayMs ? delayUntil(at) : undefined, removeOnComplete: true, removeOnFail: 1000 },
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

/** LINE link calls in flight at once in one sync of many friends. */
const SYNC_CONCURRENCY = 8;

/**
 * Chooses and links the menu of each of the shop's friends in `friendIds` (a batch after reminders
 * went out, or one friend): rules, memberships and friends read once, a link call (SYNC_CONCURRENCY at
 * a time) only for a friend whose menu changes, then those friends' rows. Answers each friend's
 * outcome. Throws the first retryable LINE error after recording the others (the job retries; the
 * friends already linked are then unchanged); a permanent refusal is that friend's `failed`.
 */
export async function syncFriendMenus(
  shopId: number,
  friendIds: readonly number[],
  now = new Date(),
): Promise<Map<number, { outcome: SyncOutcome; reason: string }>> {
  const out = new Map<number, { outcome: SyncOutcome; reason: string }>();
  const shop = await shopById(shopId);
  const api = menuApiFor(shop);
  if (!api) {
    for (const id of friendIds) out.set(id, { outcome: "skipped", reason: "no LINE channel" });
    return out;
  }
  const ids = [...new Set(friendIds)];
  const friends = (
    await db().friend.findMany({ where: { shopId, id: ids.length === 1 ? ids[0] : { in: ids } }, select: MENU_FRIEND_SELECT })
  ).filter((f) => f.following);
  for (const id of ids) out.set(id, { outcome: "skipped", reason: "not a friend" });
  if (!friends.length) return out;
  const rs = await loadRuleSet(shopId);
  const m = await loadMemberships(shop, rs.rules, friends, now);
  const changes: Array<{ friend: MenuFriend; result: ChooseResult }> = [];
  for (const friend of friends) {
    const result = chooseFor(friend, rs, m.byFriend.get(friend.id)!, now);
    const recheck = [result.heldUntil, m.changesAt.get(friend.id)]
      .filter((d): d is Date => !!d && d > now)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    if (recheck) await requestMenuSync(shopId, friend.id, { delayMs: recheck.getTime() - now.getTime() + 1000, now });
    if (result.changed) changes.push({ friend, result });
    else out.set(friend.id, { outcome: result.heldUntil ? "held" : "unchanged", reason: result.reason });
  }
  const settled = await mapLimit(changes, SYNC_CONCURRENCY, ({ friend, result }) =>
    result.menuId === null ? api.unlink(friend.lineUserId) : api.link(friend.lineUserId, rs.published.get(result.menuId)!),
  );
  let retry: unknown;
  const moved = new Map<string, number[]>(); // "menuId:ruleId" → friends now on it
  for (const [k, s] of settled.entries()) {
    const { friend, result } = changes[k]!;
    if (s.status === "rejected") {
      const c = classifyLineError(s.reason);
      if (isRetryableLineOutcome(c.kind)) retry ??= s.reason;
      else {
        // Permanent (e.g. the user blocked us between our read and the call): never retried; the
        // reconciliation job and the next fact change look again.
        childLogger({ shop: shop.domain, job: "rich-menus.sync", friendId: friend.id }).warn(
          { status: c.status, error: c.message },
          "rich menu link refused",
        );
        out.set(friend.id, { outcome: "failed", reason: c.message });
      }
      continue;
    }
    const key = `${result.menuId}:${result.ruleId}`;
    moved.set(key, [...(moved.get(key) ?? []), friend.id]);
    out.set(friend.id, { outcome: result.menuId === null ? "unlinked" : "linked", reason: result.reason });
  }
  for (const [key, ids] of moved) {
    const [menuId, ruleId] = key.split(":").map((x) => (x === "null" ? null : Number(x)));
    await db().friend.updateMany({
      where: { shopId, id: { in: ids } },
      data: { richMenuId: menuId, richMenuRuleId: ruleId, richMenuAssignedAt: now },
    });
  }
  if (retry !== undefined) throw retry;
  return out;
}

/** `rich-menus.sync-friend`: one friend's menu (syncFriendMenus). */
export async function syncFriendMenu(
  shopId: number,
  friendId: number,
  now = new Date(),
): Promise<{ outcome: SyncOutcome; reason: string }> {
  return (await syncFriendMenus(shopId, [friendId], now)).get(friendId)!;
}

/** A customer's facts changed → ask for a menu sync of the following friend(s) linked to that customer. */
export async function requestCustomerMenuSync(shopId: number, shopifyCustomerId: bigint): Promise<number> {
  const customer = await db().customer.findFirst({ where: { shopId, shopifyCustomerId }, select: { id: true } });
  if (!customer) return 0;
  const friends = await db().friend.findMany({ where: { shopId, customerId: customer.id, following: true }, select: { id: true } });
  for (const f of friends) await requestMenuSync(shopId, f.id);
  return friends.length;
}
