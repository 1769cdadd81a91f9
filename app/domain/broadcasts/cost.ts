// What a send costs (pure). LINE counts messages = recipients × send requests; up to 5 message
// objects in one request count once per recipient; replies are free
// (developers.line.biz/en/docs/messaging-api/pricing/). Plan tables per country, overridable per shop.

import { defaultLineRegion } from "~/domain/shops/settings";

export type ExtraTier = { upTo: number | null; pricePerMessage: number };
export type Plan = {
  id: string;
  name: string;
  monthlyFee: number;
  freeMessages: number;
  /** null = extra messages not allowed (sends beyond the allowance fail with 429). */
  extraTiers: ExtraTier[] | null;
};
/** `priced: false` = LINE's prices for the region are not known to the app: costs show as 0. */
export type PlanTable = { country: string; currency: string; plans: Plan[]; priced?: boolean };

export const PLAN_TABLES: Record<string, PlanTable> = {
  JP: {
    country: "JP",
    currency: "JPY",
    plans: [
      { id: "communication", name: "Communication (free)", monthlyFee: 0, freeMessages: 200, extraTiers: null },
      { id: "light", name: "Light", monthlyFee: 5000, freeMessages: 5000, extraTiers: null },
      {
        id: "standard",
        name: "Standard",
        monthlyFee: 15000,
        freeMessages: 30000,
        // "up to ¥3 per message", tiered by monthly extra volume (mico-inc.com citing lycbiz.com).
        extraTiers: [
          { upTo: 50_000, pricePerMessage: 3 },
          { upTo: 100_000, pricePerMessage: 2.8 },
          { upTo: 200_000, pricePerMessage: 2.6 },
          { upTo: 500_000, pricePerMessage: 2.4 },
          { upTo: 1_000_000, pricePerMessage: 2.2 },
          { upTo: null, pricePerMessage: 2 },
        ],
      },
    ],
  },
  TW: {
    country: "TW",
    currency: "TWD",
    plans: [
      { id: "light", name: "輕用量", monthlyFee: 0, freeMessages: 200, extraTiers: null },
      { id: "medium", name: "中用量", monthlyFee: 800, freeMessages: 3000, extraTiers: null },
      {
        id: "high",
        name: "高用量",
        monthlyFee: 1200,
        freeMessages: 6000,
        // NT$0.2 falling to NT$0.011 by volume (tw.linebiz.com via help.firstline.cc).
        extraTiers: [
          { upTo: 25_000, pricePerMessage: 0.2 },
          { upTo: 55_000, pricePerMessage: 0.17 },
          { upTo: 115_000, pricePerMessage: 0.14 },
          { upTo: 205_000, pricePerMessage: 0.11 },
          { upTo: 505_000, pricePerMessage: 0.09 },
          { upTo: 1_005_000, pricePerMessage: 0.07 },
          { upTo: 2_005_000, pricePerMessage: 0.05 },
          { upTo: null, pricePerMessage: 0.011 },
        ],
      },
    ],
  },
  TH: {
    country: "TH",
    currency: "THB",
    // Package names from LINE Thailand's billing notice (lineforbusiness.com/th/news/20221216_1); its
    // current fees and allowances were not found in a source we could check
    // (shared/reference/line-platform-facts.md §6), so the table is unpriced: LINE's own quota
    // endpoint still decides what a send may use. A shop may supply its table in settings.plan.table.
    priced: false,
    plans: [
      { id: "free", name: "Free", monthlyFee: 0, freeMessages: 0, extraTiers: null },
      { id: "basic", name: "Basic", monthlyFee: 0, freeMessages: 0, extraTiers: null },
      { id: "pro", name: "Pro", monthlyFee: 0, freeMessages: 0, extraTiers: null },
    ],
  },
};

export type PlanSettings = { country?: string; planId?: string; table?: PlanTable };

/** The shop's plan choice in Shop.settings.plan ({country?, planId?, table?}); {} when none. */
export function planSettings(settings: unknown): PlanSettings {
  const s = settings && typeof settings === "object" ? (settings as Record<string, unknown>).plan : undefined;
  return s && typeof s === "object" ? (s as PlanSettings) : {};
}

/**
 * The LINE plan that prices the shop's messages. The region follows the LINE Official Account, not
 * the shop: the merchant's choice (settings.plan.country), else a default from the shop's country
 * (defaultLineRegion: JP/TW/TH where LINE sells plans, else JP).
 */
export function resolvePlan(settings: unknown, shopCountry: string): { table: PlanTable; plan: Plan } {
  const s = planSettings(settings);
  const table = s.table ?? PLAN_TABLES[s.country ?? defaultLineRegion(shopCountry)] ?? PLAN_TABLES.JP!;
  const plan = table.plans.find((p) => p.id === s.planId) ?? table.plans[0]!;
  return { table, plan };
}

/** Cost of `count` extra messages when `alreadyExtra` were used this month (tiers are cumulative). */
export function extraMessagesCost(tiers: ExtraTier[], alreadyExtra: number, count: number): number {
  let cost = 0;
  let pos = alreadyExtra;
  let left = count;
  for (const tier of tiers) {
    if (left <= 0) break;
    const cap = tier.upTo ?? Infinity;
    if (pos >= cap) continue;
    const take = Math.min(left, cap - pos);
    cost += take * tier.pricePerMessage;
    pos += take;
    left -= take;
  }
  return Math.round(cost * 100) / 100;
}

export type Quota = { type: "none" | "limited"; value?: number | null; totalUsage: number };

export type CostEstimate = {
  recipients: number;
  requestsPerRecipient: number;
  messages: number;
  currency: string;
  planId: string;
  /** Messages LINE still lets this channel send this month (null = unlimited). */
  remainingQuota: number | null;
  freeRemaining: number;
  extraMessages: number;
  extraCost: number;
  exceedsQuota: boolean;
  /** How many recipients fit in the remaining quota (for trim-to-fit). */
  recipientsThatFit: number | null;
};

export function estimateCost(input: {
  recipients: number;
  requestsPerRecipient?: number;
  plan: Plan;
  currency: string;
  quota: Quota;
}): CostEstimate {
  const requests = Math.max(1, input.requestsPerRecipient ?? 1);
  const messages = input.recipients * requests;
  const used = input.quota.totalUsage;
  const remainingQuota = input.quota.type === "limited" && input.quota.value != null ? Math.max(0, input.quota.value - used) : null;
  const freeRemaining = Math.max(0, input.plan.freeMessages - used);
  const extraMessages = Math.max(0, messages - freeRemaining);
  const alreadyExtra = Math.max(0, used - input.plan.freeMessages);
  const extraCost = input.plan.extraTiers ? extraMessagesCost(input.plan.extraTiers, alreadyExtra, extraMessages) : 0;
  // LINE's own quota is the authority on what will be refused (it reflects the plan and the
  // merchant's cap on paid messages); the plan table only prices the send.
  const exceedsQuota = remainingQuota !== null && messages > remainingQuota;
  const limit = remainingQuota ?? Infinity;
  return {
    recipients: input.recipients,
    requestsPerRecipient: requests,
    messages,
    currency: input.currency,
    planId: input.plan.id,
    remainingQuota,
    freeRemaining,
    extraMessages,
    extraCost,
    exceedsQuota,
    recipientsThatFit: Number.isFinite(limit) ? Math.floor(limit / requests) : null,
  };
}
