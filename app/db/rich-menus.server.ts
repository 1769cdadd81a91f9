// Prisma queries for rich menus, menu rules, apply runs, creation log and drift reports.
import type { MenuRule, RichMenu } from "@prisma/client";
import { db } from "~/db.server";
import type { MenuArea, MenuSize, MenuStyle } from "~/domain/rich-menus/types";
import type { ChooserRule } from "~/domain/rich-menus/choose-menu";
import { intentLabel, type MenuIntent, type RuleCondition } from "~/domain/rich-menus/intents";

export type { RichMenu, MenuRule };

export const menuAreas = (m: Pick<RichMenu, "areas">) => m.areas as unknown as MenuArea[];
export const menuStyle = (m: Pick<RichMenu, "style">) => (m.style ?? {}) as MenuStyle;
export const menuSize = (m: Pick<RichMenu, "size">) => m.size as MenuSize;
export const ruleIntent = (r: Pick<MenuRule, "intent">) => (r.intent ?? null) as MenuIntent | null;

export function listMenus(shopId: number) {
  return db().richMenu.findMany({
    where: { shopId, status: { not: "archived" } },
    orderBy: { id: "asc" },
    omit: { image: true },
  });
}

function getMenu(shopId: number, id: number) {
  return db().richMenu.findFirst({ where: { shopId, id } });
}

export async function requireMenu(shopId: number, id: number): Promise<RichMenu> {
  const m = await getMenu(shopId, id);
  if (!m) throw new Error(`Rich menu ${id} not found`);
  return m;
}

export function defaultMenu(shopId: number) {
  return db().richMenu.findFirst({ where: { shopId, isDefault: true, status: { not: "archived" } }, omit: { image: true } });
}

export function listRules(shopId: number) {
  return db().menuRule.findMany({ where: { shopId }, orderBy: [{ position: "asc" }, { id: "asc" }] });
}

export interface RuleSet {
  rules: MenuRule[];
  chooserRules: ChooserRule[];
  defaultMenuId: number | null;
  /** Published menus: id → LINE id. */
  published: Map<number, string>;
  menuNames: Map<number, string>;
  segmentNames: Map<number, string>;
}

/** Everything the chooser needs for a shop. Rules whose menu is not published are left out. */
export async function loadRuleSet(shopId: number): Promise<RuleSet> {
  const [rules, menus] = await Promise.all([
    listRules(shopId),
    db().richMenu.findMany({
      where: { shopId, status: { not: "archived" } },
      select: { id: true, name: true, lineRichMenuId: true, status: true, isDefault: true },
    }),
  ]);
  const segIds = [...new Set(rules.map((r) => r.segmentId).filter((x): x is number => x !== null))];
  const segments = segIds.length
    ? await db().segment.findMany({ where: { shopId, id: { in: segIds } }, select: { id: true, name: true } })
    : [];
  const published = new Map(
    menus.filter((m) => m.status === "published" && m.lineRichMenuId).map((m) => [m.id, m.lineRichMenuId as string]),
  );
  const segmentNames = new Map(segments.map((s) => [s.id, s.name]));
  const def = menus.find((m) => m.isDefault && published.has(m.id));
  const chooserRules: ChooserRule[] = rules
    .filter((r) => published.has(r.richMenuId))
    .map((r) => ({
      id: r.id,
      kind: r.kind as ChooserRule["kind"],
      richMenuId: r.richMenuId,
      dwellHours: r.dwellHours,
      urgent: r.urgent,
      enabled: r.enabled,
      label: ruleLabel(r, segmentNames),
    }));
  return {
    rules,
    chooserRules,
    defaultMenuId: def?.id ?? null,
    published,
    menuNames: new Map(menus.map((m) => [m.id, m.name])),
    segmentNames,
  };
}

/** What a rule matches, as data for the admin to word in the merchant's language. */
export function ruleCondition(r: Pick<MenuRule, "kind" | "segmentId" | "intent">, segmentNames: Map<number, string>): RuleCondition {
  if (r.kind === "segment") return { kind: "segment", segmentId: r.segmentId, segmentName: segmentNames.get(r.segmentId ?? -1) ?? null };
  if (r.kind === "linked" || r.kind === "everyone") return { kind: r.kind };
  return { kind: "intent", intent: ruleIntent(r) };
}

/** What a rule matches in English, for logs, the chooser's reasons and the CLI (the admin uses ruleCondition). */
export function ruleLabel(r: Pick<MenuRule, "kind" | "segmentId" | "intent">, segmentNames: Map<number, string>): string {
  if (r.kind === "segment") return `segment “${segmentNames.get(r.segmentId ?? -1) ?? `#${r.segmentId}`}”`;
  if (r.kind === "linked") return "linked customers";
  if (r.kind === "everyone") return "everyone else";
  const i = ruleIntent(r);
  return i ? intentLabel(i) : "intent";
}

export async function creationsSince(shopId: number, since: Date): Promise<number> {
  return db().menuCreationLog.count({ where: { shopId, createdAt: { gte: since } } });
}
