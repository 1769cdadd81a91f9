// Tag rows with friend counts and usage (segments reference tags by name; rules by id).
import { db } from "~/db.server";
import { parseDefinition, referencedTags } from "~/domain/segments/schema";

export interface TagUsage {
  segments: Array<{ id: number; name: string }>;
  rules: Array<{ id: number; trigger: string; match: string | null; action: string }>;
  /** Menu rules that show a menu to a segment using this tag. */
  menus: Array<{ menuRuleId: number; segmentId: number }>;
}

export async function listTagRows(shopId: number) {
  const tags = await db().tag.findMany({ where: { shopId }, orderBy: [{ kind: "asc" }, { name: "asc" }] });
  const counts = await db().friendTag.groupBy({ by: ["tagId"], where: { shopId }, _count: { _all: true } });
  const byTag = new Map(counts.map((c) => [c.tagId, c._count._all]));
  return tags.map((t) => ({ ...t, friendCount: byTag.get(t.id) ?? 0 }));
}

/** Usage of every tag of a shop, keyed by tag name (segments) and id (rules). */
export async function tagUsages(shopId: number): Promise<Map<string, TagUsage>> {
  const [tags, segments, rules, menuRules] = await Promise.all([
    db().tag.findMany({ where: { shopId }, select: { id: true, name: true } }),
    db().segment.findMany({ where: { shopId }, select: { id: true, name: true, definition: true } }),
    db().tagRule.findMany({ where: { shopId }, select: { id: true, trigger: true, match: true, action: true, tagId: true } }),
    db().menuRule.findMany({ where: { shopId, kind: "segment", segmentId: { not: null } }, select: { id: true, segmentId: true } }),
  ]);
  const out = new Map<string, TagUsage>(tags.map((t) => [t.name, { segments: [], rules: [], menus: [] }]));
  const nameById = new Map(tags.map((t) => [t.id, t.name]));
  for (const s of segments) {
    const parsed = parseDefinition(s.definition);
    if (!parsed.ok) continue;
    for (const name of referencedTags(parsed.definition)) {
      const u = out.get(name);
      if (!u) continue;
      u.segments.push({ id: s.id, name: s.name });
      for (const m of menuRules) if (m.segmentId === s.id) u.menus.push({ menuRuleId: m.id, segmentId: s.id });
    }
  }
  for (const r of rules) {
    const name = nameById.get(r.tagId);
    if (name) out.get(name)!.rules.push({ id: r.id, trigger: r.trigger, match: r.match, action: r.action });
  }
  return out;
}

export function findTag(shopId: number, id: number) {
  return db().tag.findFirst({ where: { shopId, id } });
}

export function findTagByName(shopId: number, name: string) {
  return db().tag.findUnique({ where: { shopId_name: { shopId, name } } });
}

/** The shop's tags as {id, name}, by name: what tag pickers list (`take`: at most that many; all when omitted). */
export function tagNames(shopId: number, take?: number): Promise<Array<{ id: number; name: string }>> {
  return db().tag.findMany({ where: { shopId }, select: { id: true, name: true }, orderBy: { name: "asc" }, take });
}

/** The shop's tag rules, oldest first (the Tags page's rule list). */
export function listTagRules(shopId: number) {
  return db().tagRule.findMany({ where: { shopId }, orderBy: { id: "asc" } });
}
