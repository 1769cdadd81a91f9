// ROI dashboard numbers: messages vs quota and cost, clicks / orders / revenue by broadcast,
// automation and menu area, and revenue per message (broadcasts) vs the free, pull-based menus.
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { estimateCost, resolvePlan } from "~/domain/broadcasts/cost";
import { readPlanSettings } from "~/db/settings/plan.server";
import { channelQuota } from "~/services/broadcasts/quota.server";
import { LIFECYCLE_KINDS, AUTOMATION_SOURCE_ID } from "~/services/automations/lifecycle-settings.server";

export type SourceRow = {
  key: string;
  label: string;
  sourceType: string;
  sourceId: number | null;
  area: string | null;
  messages: number;
  clicks: number;
  orders: number;
  revenue: number;
};

/** Date ranges the dashboard offers, in days back from now. */
export const DASHBOARD_RANGES = [7, 30, 90] as const;

/**
 * Dashboard numbers over the last `days` days: messages vs quota and cost (LINE plan currency),
 * clicks, orders and revenue (shop currency) per source.
 */
export async function roiDashboard(shop: Shop, now = new Date(), days = 30) {
  const since = new Date(now.getTime() - days * 86_400_000);
  const sends = await db().messageSend.groupBy({
    by: ["sourceType", "sourceId"],
    where: { shopId: shop.id, status: "sent", sentAt: { gte: since }, kind: { in: ["broadcast", "automation", "reminder"] } },
    _count: { _all: true },
  });
  const clicks = await db().linkClick.groupBy({
    by: ["sourceType", "sourceId", "area"],
    where: { shopId: shop.id, at: { gte: since } },
    _count: { _all: true },
  });
  const attr = await db().attribution.groupBy({
    by: ["sourceType", "sourceId", "area"],
    where: { shopId: shop.id, orderAt: { gte: since } },
    _count: { _all: true },
    _sum: { revenue: true },
  });
  const broadcasts = await db().broadcast.findMany({ where: { shopId: shop.id }, select: { id: true, name: true } });
  const bName = new Map(broadcasts.map((b) => [b.id, b.name]));
  const autoName = new Map(LIFECYCLE_KINDS.map((k) => [AUTOMATION_SOURCE_ID[k], k]));
  const rows = new Map<string, SourceRow>();
  const row = (sourceType: string, sourceId: number | null, area: string | null): SourceRow => {
    const key = sourceType === "menu_area" ? `menu_area:${sourceId}:${area}` : `${sourceType}:${sourceId}`;
    let r = rows.get(key);
    if (!r) {
      const label =
        sourceType === "broadcast"
          ? (bName.get(sourceId ?? 0) ?? `Broadcast ${sourceId}`)
          : sourceType === "automation"
            ? (autoName.get(sourceId ?? 0) ?? `Automation ${sourceId}`)
            : sourceType === "menu_area"
              ? `Menu ${sourceId ?? ""} · ${area ?? "area"}`
              : `${sourceType} ${sourceId ?? ""}`;
      r = {
        key,
        label,
        sourceType,
        sourceId,
        area: sourceType === "menu_area" ? area : null,
        messages: 0,
        clicks: 0,
        orders: 0,
        revenue: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const s of sends) row(s.sourceType ?? "other", s.sourceId, null).messages += s._count._all;
  for (const c of clicks) row(c.sourceType, c.sourceId, c.area).clicks += c._count._all;
  for (const a of attr) {
    const r = row(a.sourceType, a.sourceId, a.area);
    r.orders += a._count._all;
    r.revenue += Number(a._sum.revenue ?? 0);
  }
  const list = [...rows.values()];
  const sum = (t: string, f: (r: SourceRow) => number) => list.filter((r) => r.sourceType === t).reduce((n, r) => n + f(r), 0);
  const totals = (t: string) => ({
    messages: sum(t, (r) => r.messages),
    clicks: sum(t, (r) => r.clicks),
    orders: sum(t, (r) => r.orders),
    revenue: sum(t, (r) => r.revenue),
  });
  const b = totals("broadcast");
  const a = totals("automation");
  const m = totals("menu_area");
  const messagesSent = b.messages + a.messages;
  const { table, plan } = resolvePlan(readPlanSettings(shop), shop.country);
  const quota = await channelQuota(shop).catch(() => null);
  const cost = quota ? estimateCost({ recipients: 0, plan, currency: table.currency, quota }) : null;
  const monthCost = quota
    ? plan.monthlyFee +
      (plan.extraTiers
        ? (estimateCost({
            recipients: Math.max(0, quota.totalUsage - plan.freeMessages),
            plan: { ...plan, freeMessages: 0 },
            currency: table.currency,
            quota: { type: "none", totalUsage: 0 },
          }).extraCost ?? 0)
        : 0)
    : null;
  const costPerMessage =
    quota && quota.totalUsage > 0 && monthCost !== null
      ? monthCost / quota.totalUsage
      : plan.freeMessages
        ? plan.monthlyFee / plan.freeMessages
        : 0;
  return {
    days,
    currency: table.currency,
    plan: {
      id: plan.id,
      name: plan.name,
      region: table.country,
      monthlyFee: plan.monthlyFee,
      freeMessages: plan.freeMessages,
      /** false: LINE's prices for the region are unknown (TH): fee, allowance and costs are not facts to show. */
      priced: table.priced !== false,
    },
    quota: quota ? { type: quota.type, value: quota.value ?? null, used: quota.totalUsage, remaining: cost?.remainingQuota ?? null } : null,
    monthCost,
    messagesSent,
    /** Clicks on tracked links per marketing message sent (not "linked friends": that is the Home page's). */
    clickRate: messagesSent ? (b.clicks + a.clicks) / messagesSent : 0,
    totals: { broadcast: b, automation: a, menu_area: m },
    revenuePerMessage: {
      broadcasts: b.messages ? b.revenue / b.messages : 0,
      automations: a.messages ? a.revenue / a.messages : 0,
      // Menus cost nothing per tap: revenue per click, and ROI per currency unit spent is unbounded.
      menusPerClick: m.clicks ? m.revenue / m.clicks : 0,
    },
    revenuePerCurrencySpent: { broadcasts: b.messages && costPerMessage ? b.revenue / (b.messages * costPerMessage) : null },
    costPerMessage,
    rows: list.sort((x, y) => y.revenue - x.revenue || y.clicks - x.clicks),
  };
}
