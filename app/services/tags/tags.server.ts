// Friend tags: create / rename / delete, add and remove by hand (one friend, a list, a segment),
// and automatic tag rules. Segment definitions reference tags by name (public JSON contract), so a
// rename rewrites them in the same transaction. Every change to a friend's tags is a fact change:
// memberships are refreshed (per friend, or set-based for bulk changes).
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { logger } from "~/adapters/logger.server";
import { addPendingFriends } from "~/adapters/queue/friend-batches.server";
import { parseDefinition, referencedTags, renameTagInDefinition, assertDefinition } from "~/domain/segments/schema";
import { compileDefinition, SEGMENT_FROM, SqlParams } from "~/domain/segments/compile-sql";
import { rulesFor, tagChanges, tagInputSchema, tagRuleInputSchema, TAG_ERROR_CODES, type TagEvent, type TagKind } from "~/domain/tags/tags";
import { findTag, tagUsages, type TagUsage } from "~/db/tags.server";
import { refreshFriendMemberships, refreshSegment } from "~/services/segments/memberships.server";
import { shopTimeZone } from "~/services/segments/facts.server";

/** What went wrong, as a code the admin translates (`tags.errors.<code>`); the message is for logs. */
export type TagErrorCode = (typeof TAG_ERROR_CODES)[number];

export class TagError extends Error {
  constructor(
    public code: TagErrorCode,
    public field?: string,
    message?: string,
  ) {
    super(message ?? code);
  }
}

/** The first zod issue as a TagError: the domain schemas' messages are TagErrorCodes; anything else is "invalid". */
function tagErrorFrom(issue: { message: string; path: PropertyKey[] }, field?: string): TagError {
  const code = (TAG_ERROR_CODES as readonly string[]).includes(issue.message) ? (issue.message as TagErrorCode) : "invalid";
  return new TagError(code, field ?? String(issue.path[0] ?? ""));
}

export async function createTag(shopId: number, input: { name: string; kind?: TagKind }) {
  const parsed = tagInputSchema.safeParse(input);
  if (!parsed.success) throw tagErrorFrom(parsed.error.issues[0]!, String(parsed.error.issues[0]!.path[0] ?? "name"));
  try {
    return await db().tag.create({ data: { shopId, name: parsed.data.name, kind: parsed.data.kind } });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw new TagError("nameTaken", "name", `A tag named “${parsed.data.name}” already exists`);
    throw err;
  }
}

/** Find or create by name (used by bulk imports and rules that name a tag). */
export async function ensureTag(shopId: number, name: string, kind: TagKind = "other") {
  const n = tagInputSchema.parse({ name, kind });
  return db().tag.upsert({ where: { shopId_name: { shopId, name: n.name } }, create: { shopId, name: n.name, kind: n.kind }, update: {} });
}

export async function updateTagKind(shopId: number, tagId: number, kind: TagKind) {
  const tag = await findTag(shopId, tagId);
  if (!tag) throw new TagError("notFound");
  return db().tag.update({ where: { id: tagId }, data: { kind: tagInputSchema.shape.kind.parse(kind) } });
}

/** Rename a tag and every segment definition that names it, atomically. */
export async function renameTag(
  shopId: number,
  tagId: number,
  newName: string,
): Promise<{ tag: { id: number; name: string }; segmentsUpdated: number[] }> {
  const name = tagInputSchema.shape.name.safeParse(newName);
  if (!name.success) throw tagErrorFrom(name.error.issues[0]!, "name");
  return db().$transaction(async (tx) => {
    const tag = await tx.tag.findFirst({ where: { shopId, id: tagId } });
    if (!tag) throw new TagError("notFound");
    if (tag.name === name.data) return { tag, segmentsUpdated: [] };
    if (await tx.tag.findUnique({ where: { shopId_name: { shopId, name: name.data } } }))
      throw new TagError("nameTaken", "name", `A tag named “${name.data}” already exists`);
    const updated = await tx.tag.update({ where: { id: tagId }, data: { name: name.data } });
    // Lock the shop's segments so a concurrent editor save cannot resurrect the old name. In id
    // order, like the member-count triggers (prisma/sql/segment-member-counts.sql), so the two
    // cannot deadlock.
    const segments = await tx.$queryRawUnsafe<Array<{ id: number; definition: unknown }>>(
      `SELECT id, definition FROM "Segment" WHERE "shopId" = $1 ORDER BY id FOR UPDATE`,
      shopId,
    );
    const segmentsUpdated: number[] = [];
    for (const s of segments) {
      const parsed = parseDefinition(s.definition);
      if (!parsed.ok || !referencedTags(parsed.definition).includes(tag.name)) continue;
      await tx.segment.update({
        where: { id: s.id },
        data: { definition: renameTagInDefinition(parsed.definition, tag.name, name.data) as unknown as Prisma.InputJsonValue },
      });
      segmentsUpdated.push(s.id);
    }
    return { tag: updated, segmentsUpdated };
  });
}

export type DeleteTagResult = { deleted: true; removedFromFriends: number } | { deleted: false; usedBy: TagUsage };

/** Delete a tag; refused (with its users) while segments, rules or menus use it, unless force. */
export async function deleteTag(shopId: number, tagId: number, opts: { force?: boolean } = {}): Promise<DeleteTagResult> {
  const tag = await findTag(shopId, tagId);
  if (!tag) throw new TagError("notFound");
  const usage = (await tagUsages(shopId)).get(tag.name) ?? { segments: [], rules: [], menus: [] };
  const inUse = usage.segments.length > 0 || usage.rules.length > 0 || usage.menus.length > 0;
  if (inUse && !opts.force) return { deleted: false, usedBy: usage };
  const removed = await db().$transaction(async (tx) => {
    const n = await tx.friendTag.deleteMany({ where: { tagId } });
    await tx.tagRule.deleteMany({ where: { shopId, tagId } });
    await tx.tag.delete({ where: { id: tagId } });
    return n.count;
  });
  // Segments that still name the tag now match as if nobody had it.
  for (const s of usage.segments) await refreshSegment(shopId, s.id);
  return { deleted: true, removedFromFriends: removed };
}

async function segmentsUsingTag(shopId: number, tagName: string): Promise<number[]> {
  return ((await tagUsages(shopId)).get(tagName)?.segments ?? []).map((s) => s.id);
}

/** Tag-rule hops that led to a tag change (0 for a change by hand); see applyTagRules. */
type Chain = { hops?: number };

async function afterTagChange(shopId: number, tagName: string, friendIds: number[], chain: Chain = {}) {
  // Few friends: exact per-friend refresh (also schedules their time-based re-checks).
  if (friendIds.length <= 50) for (const id of friendIds) await refreshFriendMemberships(shopId, id, new Date(), chain);
  else for (const s of await segmentsUsingTag(shopId, tagName)) await refreshSegment(shopId, s);
}

/**
 * Adds or removes a tag for friends with one statement (`write` returns the friends whose tags
 * changed), then refreshes their segment memberships. Returns how many changed.
 */
async function changeFriendTags(
  shopId: number,
  tagId: number,
  friendIds: number[],
  chain: Chain,
  write: () => Promise<Array<{ friendId: number }>>,
): Promise<number> {
  const tag = await findTag(shopId, tagId);
  if (!tag) throw new TagError("notFound");
  if (!friendIds.length) return 0;
  const rows = await write();
  await afterTagChange(
    shopId,
    tag.name,
    rows.map((r) => r.friendId),
    chain,
  );
  return rows.length;
}

/** Add a tag to friends (ids must belong to the shop; others are ignored). Returns how many gained it. */
export async function addTagToFriends(
  shopId: number,
  tagId: number,
  friendIds: number[],
  source: "manual" | "rule" | "keyword" | "import" = "manual",
  chain: Chain = {},
): Promise<number> {
  return changeFriendTags(shopId, tagId, friendIds, chain, () =>
    db().$queryRawUnsafe<Array<{ friendId: number }>>(
      `INSERT INTO "FriendTag" ("friendId", "tagId", "shopId", source, "addedAt")
       SELECT f.id, $2::int, $1::int, $4::text, now() FROM "Friend" f WHERE f."shopId" = $1::int AND f.id = ANY($3::int[])
       ON CONFLICT DO NOTHING RETURNING "friendId"`,
      shopId,
      tagId,
      friendIds,
      source,
    ),
  );
}

export async function removeTagFromFriends(shopId: number, tagId: number, friendIds: number[], chain: Chain = {}): Promise<number> {
  return changeFriendTags(shopId, tagId, friendIds, chain, () =>
    db().$queryRawUnsafe<Array<{ friendId: number }>>(
      `DELETE FROM "FriendTag" WHERE "shopId" = $1::int AND "tagId" = $2::int AND "friendId" = ANY($3::int[]) RETURNING "friendId"`,
      shopId,
      tagId,
      friendIds,
    ),
  );
}

/** Add or remove a tag for every friend of a segment definition, in one statement. */
export async function tagSegmentMembers(
  shopId: number,
  tagId: number,
  definition: unknown,
  action: "add" | "remove",
  now = new Date(),
): Promise<number> {
  const tag = await findTag(shopId, tagId);
  if (!tag) throw new TagError("notFound");
  const def = assertDefinition(definition);
  const { sql, params } = compileDefinition(def, { now, timeZone: await shopTimeZone(shopId), shopId });
  const p = new SqlParams(params);
  const tagParam = p.add(tagId, "int");
  const n =
    action === "add"
      ? await db().$executeRawUnsafe(
          `INSERT INTO "FriendTag" ("friendId", "tagId", "shopId", source, "addedAt")
           SELECT f."friendId", ${tagParam}, $1::int, 'manual', now() FROM ${SEGMENT_FROM} WHERE f."shopId" = $1::int AND ${sql}
           ON CONFLICT DO NOTHING`,
          ...p.values,
        )
      : await db().$executeRawUnsafe(
          `DELETE FROM "FriendTag" ft WHERE ft."shopId" = $1::int AND ft."tagId" = ${tagParam}
             AND ft."friendId" IN (SELECT f."friendId" FROM ${SEGMENT_FROM} WHERE f."shopId" = $1::int AND ${sql})`,
          ...p.values,
        );
  for (const s of await segmentsUsingTag(shopId, tag.name)) await refreshSegment(shopId, s, now);
  return n;
}

export async function createTagRule(shopId: number, input: unknown) {
  const parsed = tagRuleInputSchema.safeParse(input);
  if (!parsed.success) throw tagErrorFrom(parsed.error.issues[0]!);
  if (!(await findTag(shopId, parsed.data.tagId))) throw new TagError("notFound", "tagId");
  // A segment trigger names one of this shop's segments (the Tags page offers only those).
  if (
    (parsed.data.trigger === "segment_enter" || parsed.data.trigger === "segment_leave") &&
    !(await db().segment.count({ where: { shopId, id: Number(parsed.data.match) } }))
  )
    throw new TagError("segmentRequired", "match", "Pick a segment");
  return db().tagRule.create({ data: { shopId, ...parsed.data, match: parsed.data.match ?? null } });
}

export async function deleteTagRule(shopId: number, id: number) {
  return (await db().tagRule.deleteMany({ where: { shopId, id } })).count;
}

const EVENT_FIELD: Partial<Record<TagEvent["kind"], string>> = { menu_tap: "richMenuTapped", link_click: "linkClicked" };

/**
 * A tap or a click is itself a fact segments can count: when no tag changed (a tag change
 * refreshes anyway) and some segment of the shop counts such events, refresh the friend through a job.
 */
async function refreshIfEventCounts(event: TagEvent & { shopId: number; friendId: number }) {
  const field = EVENT_FIELD[event.kind];
  if (!field) return;
  const used = await db().$queryRawUnsafe<unknown[]>(
    `SELECT 1 FROM "Segment" WHERE "shopId" = $1 AND strpos(definition::text, $2) > 0 LIMIT 1`,
    event.shopId,
    `"${field}"`,
  );
  if (used.length) await addPendingFriends("segments.reevaluate-friends", event.shopId, [event.friendId]);
}

/** Tag-rule hops one causation chain may take (keyword → tag → enter A → tag → enter B → …). */
const MAX_RULE_HOPS = 3;

/**
 * Apply the shop's tag rules to one friend event (a keyword message, a menu tap, a link click,
 * linking, entering/leaving a segment). Returns the tags added and removed.
 */
export async function applyTagRules(
  event: TagEvent & { shopId: number; friendId: number; hops?: number },
): Promise<{ added: number[]; removed: number[] }> {
  const rules = await db().tagRule.findMany({ where: { shopId: event.shopId, trigger: event.kind, enabled: true } });
  const { add, remove } = tagChanges(rulesFor(event, rules));
  if (!add.length && !remove.length) {
    await refreshIfEventCounts(event);
    return { added: [], removed: [] };
  }
  // A rule chain (enter A → tag → enter B → …) stops after a few hops; rules that undo each
  // other would otherwise loop. The hop count travels with the chain (segment.entered/left events
  // carry it to the next tags.apply-rules job), so concurrent chains never count each other's hops.
  const hops = event.hops ?? 0;
  if (hops >= MAX_RULE_HOPS) {
    logger().warn({ shopId: event.shopId, friendId: event.friendId }, "tag rule chain too deep; stopped");
    return { added: [], removed: [] };
  }
  const chain = { hops: hops + 1 };
  const added: number[] = [];
  const removed: number[] = [];
  for (const tagId of add)
    if (await addTagToFriends(event.shopId, tagId, [event.friendId], event.kind === "keyword" ? "keyword" : "rule", chain))
      added.push(tagId);
  for (const tagId of remove) if (await removeTagFromFriends(event.shopId, tagId, [event.friendId], chain)) removed.push(tagId);
  return { added, removed };
}
