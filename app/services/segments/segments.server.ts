// Segment CRUD. Saving counts the definition (which also proves it can be evaluated) and refreshes
// memberships (set-based) so "entered / left" subscribers and segment-driven menus follow the new
// definition at once; from then on the count follows the memberships (database triggers).
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { assertDefinition } from "~/domain/segments/schema";
import { ensureFolder, findSegment, listSegmentRows, segmentUsers, type SegmentUser } from "~/db/segments.server";
import { countSegment } from "./preview.server";
import { evaluationErrorText, refreshShopSegments, type SegmentEvaluationProblem } from "./memberships.server";
import { enqueue } from "~/adapters/queue/queues.server";

/** What the admin words in the merchant's language (`segments.errors.<code>` with `params`); the message is English, for the CLI and logs. */
export type SegmentErrorCode = "nameRequired" | "nameTooLong" | "nameTaken" | "notFound" | "notEvaluated";

export class SegmentError extends Error {
  constructor(
    message: string,
    public field?: string,
    public code: SegmentErrorCode = "notEvaluated",
    public params: Record<string, string | number> = {},
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
  if (!n) throw new SegmentError("Enter a name", "name", "nameRequired");
  if (n.length > 100) throw new SegmentError("Names are at most 100 characters", "name", "nameTooLong", { max: 100 });
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
      "notEvaluated",
    );
  }
  const folderId = input.folder ? await ensureFolder(shopId, input.folder.trim()) : null;
  const data = {
    name,
    definition: definition as unknown as Prisma.InputJsonValue,
    folderId,
    // Until the memberships follow this definition (refreshSegment), the list shows this count and
    // the triggers that keep memberCount leave it alone (docs/segments.md "Member counts").
    memberCount,
    countedAt: now,
    membersPending: true,
    evaluationError: null,
    evaluationErrorAt: null,
    evaluationIssues: Prisma.DbNull,
  };
  let seg;
  try {
    seg = id === null ? await db().segment.create({ data: { shopId, ...data } }) : await db().segment.update({ where: { id }, data });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw new SegmentError(`A segment named “${name}” already exists`, "name", "nameTaken", { name });
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
  if (!(await findSegment(shopId, id))) throw new SegmentError("Segment not found", undefined, "notFound");
  return save(shopId, id, input, now, opts);
}

export type DeleteSegmentResult = { deleted: true } | { deleted: false; usedBy: SegmentUser[] };

/** Refused while an active broadcast, automation, menu rule or tag rule uses the segment. */
export async function deleteSegment(shopId: number, id: number): Promise<DeleteSegmentResult> {
  if (!(await findSegment(shopId, id))) throw new SegmentError("Segment not found", undefined, "notFound");
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
  /** The same, as codes for the merchant's language (null when it worked). */
  evaluationIssues: SegmentEvaluationProblem | null;
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
    evaluationIssues: (r.evaluationIssues as SegmentEvaluationProblem | null) ?? null,
    updatedAt: r.updatedAt,
    usage: users.get(r.id) ?? [],
  }));
}
