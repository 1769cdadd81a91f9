// What the Sync health page shows: delivery counts by status, deliveries needing attention (topic,
// time, reason — never the payload, which holds customer data), backfill runs and data-request exports.
import { db } from "~/db.server";
import { listBackfillRuns } from "~/services/ingestion/backfill.server";
import { listDataRequestExports } from "~/services/ingestion/compliance.server";

export async function syncHealth(shopDomain: string) {
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  const grouped = await db().webhookDelivery.groupBy({ by: ["status"], where: { shopDomain }, _count: { _all: true } });
  const counts: Record<string, number> = { received: 0, processed: 0, stale: 0, quarantined: 0, failed: 0 };
  for (const g of grouped) counts[g.status] = g._count._all;
  const attention = await db().webhookDelivery.findMany({
    where: { shopDomain, status: { in: ["quarantined", "failed"] } },
    orderBy: { receivedAt: "desc" },
    take: 100,
    select: { id: true, topic: true, status: true, error: true, receivedAt: true, triggeredAt: true, attempts: true },
  });
  const runs = shop ? await listBackfillRuns(shop.id) : [];
  const exportsList = shop ? await listDataRequestExports(shop.id) : [];
  return {
    counts,
    attention: attention.map((d) => ({ ...d, receivedAt: d.receivedAt.toISOString(), triggeredAt: d.triggeredAt?.toISOString() ?? null })),
    backfillRuns: runs.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      linesDone: r.linesDone,
      objectCount: r.objectCount,
      error: r.error,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      progress: r.status === "completed" ? 100 : r.objectCount ? Math.min(99, Math.round((r.linesDone / r.objectCount) * 100)) : 0,
    })),
    exports: exportsList.map((e) => ({
      ...e,
      shopifyCustomerId: String(e.shopifyCustomerId),
      createdAt: e.createdAt.toISOString(),
      downloadedAt: e.downloadedAt?.toISOString() ?? null,
    })),
  };
}
