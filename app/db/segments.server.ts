// Segment rows, folders and who uses each segment (broadcasts, automations, menu rules, tag rules).
import { db } from "~/db.server";
import { LIFECYCLE_KINDS } from "~/domain/broadcasts/lifecycle";
import { loadLifecycleSettings } from "~/db/settings/lifecycle.server";

export interface SegmentUser {
  kind: "broadcast" | "automation" | "menuRule" | "tagRule";
  id: number;
  /** Broadcast name; automation kind; for rules an English label (logs) — the admin labels them from `ref`/`trigger`. */
  name: string;
  /** menuRule: its 1-based position; tagRule: its id. */
  ref?: number;
  /** tagRule: segment_enter | segment_leave. */
  trigger?: string;
  /** Whether it blocks deletion (a finished broadcast only keeps history). */
  active: boolean;
}

export function listSegmentRows(shopId: number, opts: { folderId?: number | null; query?: string } = {}) {
  return db().segment.findMany({
    where: {
      shopId,
      ...(opts.folderId !== undefined ? { folderId: opts.folderId } : {}),
      ...(opts.query ? { name: { contains: opts.query, mode: "insensitive" as const } } : {}),
    },
    include: { folder: { select: { id: true, name: true } } },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
  });
}

export function findSegment(shopId: number, id: number) {
  return db().segment.findFirst({ where: { shopId, id }, include: { folder: { select: { id: true, name: true } } } });
}

export function listFolders(shopId: number) {
  return db().segmentFolder.findMany({ where: { shopId }, orderBy: { name: "asc" } });
}

export async function ensureFolder(shopId: number, name: string): Promise<number> {
  const f = await db().segmentFolder.upsert({ where: { shopId_name: { shopId, name } }, create: { shopId, name }, update: {} });
  return f.id;
}

/** Users of segments, keyed by segment id (one pass per source table). */
export async function segmentUsers(shopId: number, segmentIds?: number[]): Promise<Map<number, SegmentUser[]>> {
  const out = new Map<number, SegmentUser[]>();
  const push = (segId: number, u: SegmentUser) => {
    if (segmentIds && !segmentIds.includes(segId)) return;
    const list = out.get(segId) ?? [];
    list.push(u);
    out.set(segId, list);
  };
  const broadcasts = await db().$queryRawUnsafe<Array<{ id: number; name: string; status: string; seg: number }>>(
    `SELECT DISTINCT b.id, b.name, b.status, (s.seg)::int AS seg
       FROM "Broadcast" b,
            jsonb_array_elements(
              (CASE WHEN jsonb_typeof(b.audience->'segmentIds') = 'array' THEN b.audience->'segmentIds' ELSE '[]'::jsonb END) ||
              (CASE WHEN jsonb_typeof(b.audience->'excludeSegmentIds') = 'array' THEN b.audience->'excludeSegmentIds' ELSE '[]'::jsonb END)
            ) s(seg)
      WHERE b."shopId" = $1 AND jsonb_typeof(s.seg) = 'number'`,
    shopId,
  );
  for (const b of broadcasts)
    push(b.seg, { kind: "broadcast", id: b.id, name: b.name, active: !["sent", "cancelled", "failed"].includes(b.status) });
  // Lifecycle automations (settings area "lifecycle"): their audiences and the win-back's dormant segment.
  const lifecycle = await loadLifecycleSettings(shopId);
  const used = new Set<number>();
  for (const kind of LIFECYCLE_KINDS) for (const id of lifecycle[kind].segmentIds) used.add(id);
  if (lifecycle.winback.dormantSegmentId) used.add(lifecycle.winback.dormantSegmentId);
  for (const seg of used) push(seg, { kind: "automation", id: 0, name: "lifecycle", active: true });
  const rules = await db().menuRule.findMany({
    where: { shopId, kind: "segment", segmentId: { not: null } },
    select: { id: true, segmentId: true, position: true },
  });
  for (const r of rules)
    push(r.segmentId!, { kind: "menuRule", id: r.id, name: `Menu rule #${r.position + 1}`, ref: r.position + 1, active: true });
  const tagRules = await db().tagRule.findMany({
    where: { shopId, trigger: { in: ["segment_enter", "segment_leave"] } },
    select: { id: true, trigger: true, match: true },
  });
  for (const r of tagRules)
    if (r.match && /^\d+$/.test(r.match))
      push(Number(r.match), {
        kind: "tagRule",
        id: r.id,
        name: `Tag rule #${r.id} (${r.trigger})`,
        ref: r.id,
        trigger: r.trigger,
        active: true,
      });
  return out;
}

/** The shop's segments as {id, name}, by name: what segment pickers list. */
export function segmentNames(shopId: number): Promise<Array<{ id: number; name: string }>> {
  return db().segment.findMany({ where: { shopId }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}
