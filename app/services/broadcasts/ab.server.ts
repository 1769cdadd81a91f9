// A/B tests for broadcasts (docs/broadcasts.md "A/B tests"). The parent broadcast holds the
// audience and the config; at prepare it splits the audience deterministically (assignVariant, hash of
// the friend id seeded with the parent id) into one child broadcast per variant (parentId, variant
// "A" | "B" | "C") plus a "holdout" child that waits in status "held". Every child is an ordinary
// broadcast with an explicit friendIds audience, so it reuses the crash-safe batch machinery (stored
// retry key per batch) and gets its own tracked links (sourceType 'broadcast', sourceId = child id):
// that is how clicks and orders are told apart per variant.
import type { Broadcast, Shop } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "~/db.server";
import { delayUntil, enqueue } from "~/adapters/queue/queues.server";
import { assignVariant, pickWinner } from "~/domain/broadcasts/ab";
import { messagesArePersonalized } from "~/domain/broadcasts/personalize";
import { AudienceSchema, eligibleFriendsSql, lockForPreparing, shopFrequencyCap } from "./audience.server";
import { uniqueClickCount } from "~/services/tracking/links.server";

const VariantMessagesSchema = z
  .array(z.record(z.string(), z.unknown()).and(z.object({ type: z.string() })))
  .min(1)
  .max(5);

export const AbInputSchema = z.object({
  variants: z.array(VariantMessagesSchema).min(2).max(3),
  /** Share of the audience in the test, split evenly across variants; the rest is the holdout. */
  testShare: z.number().gt(0).max(1).default(0.2),
  metric: z.enum(["click", "order"]).default("click"),
  decideAfterHours: z
    .number()
    .min(0)
    .max(24 * 30)
    .default(4),
  sendWinnerToRest: z.boolean().default(false),
});
export type AbInput = z.input<typeof AbInputSchema>;

const AbStoredSchema = AbInputSchema.extend({
  winner: z.string().nullable().optional(), // undefined = not decided yet; null = decided, no winner
  decidedAt: z.string().optional(),
});
type AbStored = z.infer<typeof AbStoredSchema>;

const HOLDOUT = "holdout";
const variantLabel = (i: number) => String.fromCharCode(65 + i);
export const pickWinnerJobId = (id: number) => `broadcasts.pick-winner:${id}`;
const prepareJobId = (id: number) => `broadcasts.prepare:${id}`;

export function isAbParent(b: Pick<Broadcast, "abConfig" | "parentId">): boolean {
  return b.abConfig !== null && b.abConfig !== undefined && b.parentId === null;
}

/**
 * broadcasts.prepare of an A/B parent: split once (row lock + preparedAt, like a normal prepare),
 * then enqueue the variant children's prepares and the delayed pick-winner. Re-running (resume)
 * only re-enqueues; the split is never redone.
 */
export async function prepareAbTest(b: Broadcast, shop: Shop, now: Date, resume?: string): Promise<{ batches: number; targeted: number }> {
  const cfg = AbStoredSchema.parse(b.abConfig);
  const cap = await shopFrequencyCap(shop);
  await db().$transaction(
    async (tx) => {
      if (!(await lockForPreparing(tx, b.id))) return;
      const audience = AudienceSchema.parse(b.audience);
      const limit = audience.trimTo !== undefined ? Prisma.sql`LIMIT ${audience.trimTo}` : Prisma.empty;
      const rows = await tx.$queryRaw<Array<{ id: number }>>`
        SELECT e.id FROM (${eligibleFriendsSql(b.shopId, audience, cap, now)}) e
        ORDER BY e."lastActivityAt" DESC NULLS LAST, e.id ${limit}`;
      const groups: number[][] = cfg.variants.map(() => []);
      const holdout: number[] = [];
      for (const { id } of rows) {
        const v = assignVariant(id, b.id, cfg.variants.length, (1 - cfg.testShare) * 100);
        (v < 0 ? holdout : groups[v]!).push(id);
      }
      const child = (variant: string, messages: unknown[], friendIds: number[], status: string) =>
        tx.broadcast.create({
          data: {
            shopId: b.shopId,
            name: `${b.name} · ${variant}`,
            messages: messages as Prisma.InputJsonValue,
            audience: { segmentIds: [], excludeSegmentIds: [], friendIds } as Prisma.InputJsonValue,
            status,
            parentId: b.id,
            variant,
            personalized: messagesArePersonalized(messages),
            overQuotaConfirmed: b.overQuotaConfirmed,
          },
        });
      for (let i = 0; i < cfg.variants.length; i++) await child(variantLabel(i), cfg.variants[i]!, groups[i]!, "preparing");
      // The holdout's messages are set to the winner's when (if) it is sent.
      await child(HOLDOUT, cfg.variants[0]!, holdout, "held");
      await tx.broadcast.update({
        where: { id: b.id },
        data: { preparedAt: now, startedAt: now, status: "sending", targeted: rows.length },
      });
    },
    { timeout: 600_000 },
  );
  const fresh = await db().broadcast.findUniqueOrThrow({ where: { id: b.id } });
  if (fresh.status === "cancelled" || !fresh.preparedAt) return { batches: 0, targeted: 0 };
  const children = await db().broadcast.findMany({ where: { parentId: b.id, variant: { not: HOLDOUT } }, orderBy: { id: "asc" } });
  for (const c of children)
    if (["preparing", "sending"].includes(c.status))
      await enqueue(
        "broadcasts.prepare",
        { broadcastId: c.id, ...(resume ? { resume } : {}) },
        { jobId: resume ? `${prepareJobId(c.id)}:resume:${resume}` : prepareJobId(c.id) },
      );
  if (cfg.winner === undefined) {
    const at = fresh.preparedAt.getTime() + cfg.decideAfterHours * 3_600_000;
    await enqueue("broadcasts.pick-winner", { broadcastId: b.id }, { jobId: pickWinnerJobId(b.id), delay: delayUntil(at) });
  }
  // "testing" is not swept: from here on the children carry their own crash safety.
  await db().broadcast.updateMany({ where: { id: b.id, status: "sending" }, data: { status: "testing" } });
  return { batches: 0, targeted: fresh.targeted };
}

export type AbVariantReport = {
  variant: string;
  broadcastId: number;
  status: string;
  recipients: number;
  sent: number;
  /** Unique clicks: distinct visitors (signed friends, else anonymous browsers), bots excluded. */
  clicks: number;
  orders: number;
  revenue: number;
  rate: number;
};

export type AbReport = {
  metric: "click" | "order";
  testShare: number;
  decideAt: Date | null;
  sendWinnerToRest: boolean;
  winner: string | null;
  decidedAt: string | null;
  variants: AbVariantReport[];
  holdout: (Omit<AbVariantReport, "rate" | "variant"> & { sentWinner: boolean }) | null;
};

async function childStats(shopId: number, c: Broadcast, metric: "click" | "order"): Promise<AbVariantReport> {
  const clicks = await uniqueClickCount(shopId, "broadcast", c.id);
  const attr = await db().attribution.aggregate({
    where: { shopId, sourceType: "broadcast", sourceId: c.id },
    _count: { _all: true },
    _sum: { revenue: true },
  });
  const recipients = c.preparedAt ? c.targeted : (AudienceSchema.parse(c.audience).friendIds?.length ?? 0);
  const n = { clicks, orders: attr._count._all };
  return {
    variant: c.variant ?? "",
    broadcastId: c.id,
    status: c.status,
    recipients,
    sent: c.sent,
    ...n,
    revenue: Number(attr._sum.revenue ?? 0),
    rate: recipients ? (metric === "click" ? n.clicks : n.orders) / recipients : 0,
  };
}

export async function abReport(parent: Broadcast): Promise<AbReport | null> {
  if (!isAbParent(parent)) return null;
  const cfg = AbStoredSchema.parse(parent.abConfig);
  const children = await db().broadcast.findMany({ where: { parentId: parent.id, shopId: parent.shopId }, orderBy: { id: "asc" } });
  const stats = await Promise.all(children.map((c) => childStats(parent.shopId, c, cfg.metric)));
  const h = stats.find((s) => s.variant === HOLDOUT);
  return {
    metric: cfg.metric,
    testShare: cfg.testShare,
    decideAt: parent.preparedAt ? new Date(parent.preparedAt.getTime() + cfg.decideAfterHours * 3_600_000) : null,
    sendWinnerToRest: cfg.sendWinnerToRest,
    winner: cfg.winner ?? null,
    decidedAt: cfg.decidedAt ?? null,
    variants: stats.filter((s) => s.variant !== HOLDOUT),
    holdout: h
      ? {
          broadcastId: h.broadcastId,
          status: h.status,
          recipients: h.recipients,
          sent: h.sent,
          clicks: h.clicks,
          orders: h.orders,
          revenue: h.revenue,
          sentWinner: h.status !== "held",
        }
      : null,
  };
}

/** Ids of the parent and its children (the parent report sums over them). */
export async function abFamilyIds(parent: Broadcast): Promise<number[]> {
  if (!isAbParent(parent)) return [parent.id];
  const children = await db().broadcast.findMany({ where: { parentId: parent.id, shopId: parent.shopId }, select: { id: true } });
  return [parent.id, ...children.map((c) => c.id)];
}

export type PickWinnerResult = { winner: string | null; decidedNow: boolean; holdoutQueued: boolean; skipped?: string };

/**
 * broadcasts.pick-winner: decide once (stored in abConfig.winner under a row lock), then — if asked —
 * move the holdout child from "held" to "preparing" with the winner's messages (a guarded status
 * transition: a second run, or a concurrent one, never sends the holdout again) and enqueue its
 * prepare. A crash after the transition leaves the child "preparing", which broadcasts.resume-stalled resumes.
 */
export async function pickAbWinner(broadcastId: number, now = new Date()): Promise<PickWinnerResult> {
  const b = await db().broadcast.findUnique({ where: { id: broadcastId } });
  if (!b || !isAbParent(b)) return { winner: null, decidedNow: false, holdoutQueued: false, skipped: "not an A/B test" };
  if (b.status === "cancelled" || !b.preparedAt)
    return { winner: null, decidedNow: false, holdoutQueued: false, skipped: `broadcast is ${b.status}` };
  const cfg = AbStoredSchema.parse(b.abConfig);
  const variants = await db().broadcast.findMany({ where: { parentId: b.id, variant: { not: HOLDOUT } }, orderBy: { id: "asc" } });
  let decided: { winner: string | null; now: boolean } = { winner: cfg.winner ?? null, now: false };
  if (cfg.winner === undefined) {
    const stats = await Promise.all(variants.map((c) => childStats(b.shopId, c, cfg.metric)));
    // Ordered A, B, C and pickWinner keeps the first of equal rates: ties go to the lowest index.
    const winner = pickWinner(
      stats.map((s) => ({ variant: s.variant, recipients: s.recipients, clicks: s.clicks, orders: s.orders })),
      cfg.metric,
    );
    decided = await db().$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ abConfig: unknown }>>`SELECT "abConfig" FROM "Broadcast" WHERE id = ${b.id} FOR UPDATE`;
      const current = AbStoredSchema.parse(locked[0]?.abConfig);
      if (current.winner !== undefined) return { winner: current.winner ?? null, now: false };
      const stored: AbStored = { ...current, winner, decidedAt: now.toISOString() };
      await tx.broadcast.update({ where: { id: b.id }, data: { abConfig: stored as Prisma.InputJsonValue } });
      return { winner, now: true };
    });
  }
  let holdoutQueued = false;
  const winnerChild = variants.find((c) => c.variant === decided.winner);
  if (cfg.sendWinnerToRest && winnerChild) {
    const holdout = await db().broadcast.findFirst({ where: { parentId: b.id, variant: HOLDOUT } });
    if (holdout) {
      const moved = await db().broadcast.updateMany({
        where: { id: holdout.id, status: "held" },
        data: {
          status: "preparing",
          messages: winnerChild.messages as Prisma.InputJsonValue,
          personalized: winnerChild.personalized,
          name: `${b.name} · ${HOLDOUT} (${winnerChild.variant})`,
        },
      });
      if (moved.count) {
        await enqueue("broadcasts.prepare", { broadcastId: holdout.id }, { jobId: prepareJobId(holdout.id) });
        holdoutQueued = true;
      }
    }
  }
  await db().broadcast.updateMany({
    where: { id: b.id, status: { in: ["testing", "sending"] } },
    data: { status: "sent", finishedAt: now },
  });
  return { winner: decided.winner, decidedNow: decided.now, holdoutQueued };
}

/** Cancelling a parent cancels its children that have not finished. */
export async function abChildrenToCancel(parentId: number): Promise<number[]> {
  const rows = await db().broadcast.findMany({
    where: { parentId, status: { in: ["preparing", "sending", "held", "scheduled", "draft"] } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
