// Segment CRUD. Saving recalculates the count and refreshes memberships (set-based) so
// "entered / left" subscribers and segment-driven menus follow the new definition at once.
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { assertDefinition, InvalidDefinitionError, parseDefinition } from "~/domain/segments/schema";
import { ensureFolder, findSegment, listSegmentRows, segmentUsers, type SegmentUser } from "~/db/segments.server";
import { countSegment } from "./preview.server";
import { evaluationErrorText, recordSegmentEvaluation, refreshShopSegments } from "./memberships.server";
import { enqueue } from "~/adapters/queue/queues.server";

/** `message` is English for logs and the assistant; `key` is what the admin shows (an admin i18n key). */
export class SegmentError extends Error {
  constructor(
    message: string,
    public field?: string,
    public key = "segments.edit.errors.invalid",
  ) {
    super(message);
  }
}

export interface SegmentInput {
  name: string;
  definition: unknown;
  folder?: string | null;
}

function validName(name: string): string {
  const n = name.trim();
  if (!n) throw new SegmentError("Enter a name", "name", "segments.edit.errors.nameRequired");
  if (n.length > 100) throw new SegmentError("Names are at most 100 characters", "name", "segments.edit.errors.nameTooLong");
  return n;
}

export interface SaveOptions {
  /** "job" (default): membership rows follow through a segments.refresh-memberships job; "inline" for scripts/tests. */
  refresh?: "job" | "inline";
}

async function save(shopId: number, id: number | null, input: SegmentInput, now: Date, opts: SaveOptions) {
  const name = validName(input.name);
  const definition = assertDefinition(input.definition);
  // Evaluate before anything is stored: a definition the database cannot run for this shop would
  // otherwise be saved and then fail every re-evaluation.
  let memberCount: number;
  try {
    memberCount = await countSegment(shopId, definition, { now });
  } catch (err) {
    throw new SegmentError(
      `This definition could not be evaluated, so it was not saved (${evaluationErrorText(err)})`,
      "definition",
      "segments.edit.errors.notEvaluable",
    );
  }
  const folderId = input.folder ? await ensureFolder(shopId, input.folder.trim()) : null;
  const data = {
    name,
    definition: definition as unknown as Prisma.InputJsonValue,
    folderId,
    memberCount,
    countedAt: now,
    evaluationError: null,
    evaluationErrorAt: null,
  };
  let seg;
  try {
    seg = id === null ? await db().segment.create({ data: { shopId, ...data } }) : await db().segment.update({ where: { id }, data });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw new SegmentError(`A segment named “${name}” already exists`, "name", "segments.edit.errors.nameTaken");
    throw err;
  }
  // The set-based membership diff can take seconds on a large shop: run it in the worker.
  if (opts.refresh === "inline") await refreshShopSegments(shopId, seg.id, now);
  else await enqueue("segments.refresh-memberships", { shopId, segmentId: seg.id });
  return seg;
}

export function createSegment(shopId: number, input: SegmentInput, now = new Date(), opts: SaveOptions = {}) {
  return save(shopId, null, input, now, opts);
}

export async function updateSegment(shopId: number, id: number, input: SegmentInput, now = new Date(), opts: SaveOptions = {}) {
  if (!(await findSegment(shopId, id))) throw new SegmentError("Segment not found", undefined, "segments.edit.errors.notFound");
  return save(shopId, id, input, now, opts);
}

export type DeleteSegmentResult = { deleted: true } | { deleted: false; usedBy: SegmentUser[] };

/** Refused while an active broadcast, automation, menu rule or tag rule uses the segment. */
export async function deleteSegment(shopId: number, id: number): Promise<DeleteSegmentResult> {
  if (!(await findSegment(shopId, id))) throw new SegmentError("Segment not found", undefined, "segments.edit.errors.notFound");
  const users = ((await segmentUsers(shopId, [id])).get(id) ?? []).filter((u) => u.active);
  if (users.length) return { deleted: false, usedBy: users };
  await db().$transaction([
    db().segmentMembership.deleteMany({ where: { shopId, segmentId: id } }),
    db().segment.delete({ where: { id } }),
  ]);
  return { deleted: true };
}

export interface SegmentListItem {
  id: number;
  name: string;
  folder: string | null;
  memberCount: number | null;
  countedAt: Date | null;
  /** Why the last re-evaluation failed (null when it worked); the list and editor show it. */
  evaluationError: string | null;
  evaluationErrorAt: Date | null;
  updatedAt: Date;
  usage: SegmentUser[];
}

export async function listSegments(shopId: number, opts: { folderId?: number | null; query?: string } = {}): Promise<SegmentListItem[]> {
  const [rows, users] = await Promise.all([listSegmentRows(shopId, opts), segmentUsers(shopId)]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    folder: r.folder?.name ?? null,
    memberCount: r.memberCount,
    countedAt: r.countedAt,
    evaluationError: r.evaluationError,
    evaluationErrorAt: r.evaluationErrorAt,
    updatedAt: r.updatedAt,
    usage: users.get(r.id) ?? [],
  }));
}

/**
 * Recount every segment (list page "refresh counts"; counts are live, this only refreshes the
 * cache). A segment that cannot be counted records its error and the others go on.
 */
export async function recountSegments(shopId: number, now = new Date()) {
  const rows = await db().segment.findMany({ where: { shopId }, select: { id: true, definition: true } });
  for (const r of rows) {
    let memberCount: number;
    try {
      const parsed = parseDefinition(r.definition);
      if (!parsed.ok) throw new InvalidDefinitionError(parsed.issues);
      memberCount = await countSegment(shopId, parsed.definition, { now });
    } catch (err) {
      await recordSegmentEvaluation(shopId, r.id, evaluationErrorText(err), now);
      continue;
    }
    await db().segment.update({ where: { id: r.id }, data: { memberCount, countedAt: now } });
    await recordSegmentEvaluation(shopId, r.id, null, now);
  }
}

export { InvalidDefinitionError };
