// Menu rules: save the ordered list, explain "which menu would friend X see, and why", count
// how many friends each rule currently wins.
import { MenuRuleListSchema, type MenuRuleInput } from "~/domain/rich-menus/rule-input";
import { db } from "~/db.server";
import { loadRuleSet, ruleLabel } from "~/db/rich-menus.server";
import { URGENT_INTENTS } from "~/domain/rich-menus/intents";
import { firstMatch } from "~/domain/rich-menus/choose-menu";
import { loadMemberships, MENU_FRIEND_SELECT, type MenuFriend } from "./memberships.server";
import { chooseFor } from "./sync.server";
import { MenuError, shopById } from "./channel.server";
import type { MenuFriendMatch } from "~/domain/rich-menus/which-menu";

export type RuleInput = MenuRuleInput;

/** Replaces the shop's rule list (order = priority). Abandoned cart and delivered intents are urgent unless said otherwise. */
export async function saveRules(shopId: number, input: RuleInput[]) {
  const rules = MenuRuleListSchema.parse(input);
  const menuIds = new Set(
    (await db().richMenu.findMany({ where: { shopId, status: { not: "archived" } }, select: { id: true } })).map((m) => m.id),
  );
  // A rule names only this shop's menus and segments.
  const segmentIds = new Set(
    (
      await db().segment.findMany({
        where: { shopId, id: { in: rules.flatMap((r) => (r.kind === "segment" && r.segmentId ? [r.segmentId] : [])) } },
        select: { id: true },
      })
    ).map((s) => s.id),
  );
  rules.forEach((r, i) => {
    if (!menuIds.has(r.richMenuId))
      throw new MenuError(`Rule ${i + 1}: menu ${r.richMenuId} does not exist`, "unknown-menu", { rule: i + 1 });
    if (r.kind === "segment" && !segmentIds.has(r.segmentId!))
      throw new MenuError(`Rule ${i + 1}: segment ${r.segmentId} does not exist`, "unknown-segment", { rule: i + 1 });
  });
  await db().$transaction([
    db().menuRule.deleteMany({ where: { shopId } }),
    db().menuRule.createMany({
      data: rules.map((r, i) => ({
        shopId,
        position: i,
        kind: r.kind,
        segmentId: r.kind === "segment" ? r.segmentId! : null,
        intent: r.kind === "intent" ? (r.intent as object) : undefined,
        richMenuId: r.richMenuId,
        dwellHours: r.dwellHours,
        urgent: r.urgent ?? (r.kind === "intent" && URGENT_INTENTS.has(r.intent!.type)),
        enabled: r.enabled,
      })),
    }),
  ]);
  return db().menuRule.findMany({ where: { shopId }, orderBy: { position: "asc" } });
}

export interface WhichMenu {
  friend: { id: number; lineUserId: string; displayName: string | null };
  menuId: number | null;
  menuName: string | null;
  wantedMenuId: number | null;
  ruleId: number | null;
  /** English, for logs and the CLI; the admin words it from the fields below (`whichMenuReason`). */
  reason: string;
  /** 1-based position of the first rule that matches; null when none does (the default applies). */
  wantedRulePosition: number | null;
  wantedMenuName: string | null;
  changed: boolean;
  heldUntil: string | null;
}

/** At most this many matches are listed; the merchant narrows the name or pastes the LINE user id. */
export const MENU_FRIEND_MATCH_LIMIT = 20;

/**
 * Friends for "Which menu would this friend see?": the one with this exact LINE user id, else every
 * friend whose display name contains the text (any case), oldest friend first, at most
 * MENU_FRIEND_MATCH_LIMIT (+1 to tell there are more). Display names are not unique, so the caller
 * lets the merchant choose among several — never picks one silently.
 */
export async function findMenuFriends(shopId: number, query: string): Promise<MenuFriendMatch[]> {
  const q = query.trim();
  if (!q) return [];
  const select = { id: true, lineUserId: true, displayName: true, pictureUrl: true, followedAt: true, customerId: true } as const;
  const exact = await db().friend.findMany({ where: { shopId, lineUserId: q }, select });
  const rows = exact.length
    ? exact
    : await db().friend.findMany({
        where: { shopId, displayName: { contains: q, mode: "insensitive" } },
        select,
        orderBy: { id: "asc" },
        take: MENU_FRIEND_MATCH_LIMIT + 1,
      });
  const customerIds = rows.flatMap((f) => (f.customerId !== null ? [f.customerId] : []));
  const customers = customerIds.length
    ? await db().customer.findMany({ where: { shopId, id: { in: customerIds } }, select: { id: true, shopifyCustomerId: true } })
    : [];
  const shopifyId = new Map(customers.map((c) => [c.id, String(c.shopifyCustomerId)]));
  return rows.map((f) => ({
    id: f.id,
    lineUserId: f.lineUserId,
    displayName: f.displayName,
    pictureUrl: f.pictureUrl,
    followedAt: f.followedAt?.toISOString() ?? null,
    shopifyCustomerId: f.customerId !== null ? (shopifyId.get(f.customerId) ?? null) : null,
  }));
}

/** "Which menu would this friend see, and why?" for one friend of the shop; null when the id is not the shop's friend. */
export async function whichMenuFor(shopId: number, friendId: number, now = new Date()): Promise<WhichMenu | null> {
  const shop = await shopById(shopId);
  const friend = await db().friend.findFirst({ where: { shopId, id: friendId }, select: { ...MENU_FRIEND_SELECT, displayName: true } });
  if (!friend) return null;
  const rs = await loadRuleSet(shopId);
  const m = await loadMemberships(shop, rs.rules, [friend], now);
  const r = chooseFor(friend, rs, m.byFriend.get(friend.id)!, now);
  const effective = r.menuId ?? rs.defaultMenuId;
  return {
    friend: { id: friend.id, lineUserId: friend.lineUserId, displayName: friend.displayName },
    menuId: effective,
    menuName: effective !== null ? (rs.menuNames.get(effective) ?? null) : null,
    wantedMenuId: r.wantedMenuId ?? rs.defaultMenuId,
    ruleId: r.ruleId,
    reason: r.reason,
    wantedRulePosition: r.wantedRuleId !== null ? rs.rules.findIndex((x) => x.id === r.wantedRuleId) + 1 || null : null,
    wantedMenuName:
      (r.wantedMenuId ?? rs.defaultMenuId) !== null ? (rs.menuNames.get((r.wantedMenuId ?? rs.defaultMenuId)!) ?? null) : null,
    changed: r.changed,
    heldUntil: r.heldUntil?.toISOString() ?? null,
  };
}

/** How many following friends each rule wins now (ignoring dwell), plus those left to the default. */
export async function ruleWinCounts(
  shopId: number,
  now = new Date(),
): Promise<{ byRule: Record<number, number>; toDefault: number; total: number }> {
  const shop = await shopById(shopId);
  const rs = await loadRuleSet(shopId);
  const byRule: Record<number, number> = Object.fromEntries(rs.rules.map((r) => [r.id, 0]));
  let toDefault = 0;
  let total = 0;
  let cursor = 0;
  for (;;) {
    const page: MenuFriend[] = await db().friend.findMany({
      where: { shopId, following: true, id: { gt: cursor } },
      select: MENU_FRIEND_SELECT,
      orderBy: { id: "asc" },
      take: 5000,
    });
    if (!page.length) break;
    const m = await loadMemberships(shop, rs.rules, page, now);
    for (const f of page) {
      const hit = firstMatch(rs.chooserRules, m.byFriend.get(f.id)!);
      if (hit) byRule[hit.rule.id] = (byRule[hit.rule.id] ?? 0) + 1;
      else toDefault++;
    }
    total += page.length;
    cursor = page[page.length - 1].id;
  }
  return { byRule, toDefault, total };
}

export async function describeRules(shopId: number) {
  const rs = await loadRuleSet(shopId);
  return rs.rules.map((r) => ({
    id: r.id,
    position: r.position,
    kind: r.kind,
    condition: ruleLabel(r, rs.segmentNames),
    menuId: r.richMenuId,
    menu: rs.menuNames.get(r.richMenuId) ?? null,
    published: rs.published.has(r.richMenuId),
    dwellHours: r.dwellHours,
    urgent: r.urgent,
    enabled: r.enabled,
  }));
}
