// Link funnel for the Friends page: extension views, clicks, completed links and link rate per order.
import { db } from "~/db.server";
import { linkRate } from "~/domain/linking/linking";

export interface FunnelMetrics {
  since: Date;
  views: number;
  clicks: number;
  links: number;
  orders: number;
  linkRate: number;
}

export async function linkFunnel(shopId: number, since: Date): Promise<FunnelMetrics> {
  const [byKind, orders] = await Promise.all([
    db().linkFunnelEvent.groupBy({ by: ["kind"], where: { shopId, at: { gte: since } }, _count: { _all: true } }),
    db().order.count({ where: { shopId, processedAt: { gte: since }, test: false, cancelledAt: null } }),
  ]);
  const count = (k: string) => byKind.find((r) => r.kind === k)?._count._all ?? 0;
  const links = count("linked");
  return { since, views: count("view"), clicks: count("click"), links, orders, linkRate: linkRate(links, orders) };
}
