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

/** The shop's plan choice (settings area "plan", app/db/settings/plan.server.ts); {} when none. */
export type PlanSettings = { country?: string; planId?: string; table?: PlanTable };

/**
 * The LINE plan that prices the shop's messages. The region follows the LINE Official Account, not
 * the shop: the merchant's choice (settings.plan.country), else a default from the shop's country
 * (defaultLineRegion: JP/TW/TH where LINE sells plans, else JP).
 */
export function resolvePlan(s: PlanSettings, shopCountry: string): { table: PlanTable; plan: Plan } {
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

/** LINE's GET /v2/bot/message/quota (type, value) + /quota/consumption (totalUsage), this month. */
export type Quota = { type: "none" | "limited"; value?: number | null; totalUsage: number };

/**
 * The plan table that prices the shop's messages: the shop's own table (settings.plan.table), else
 * the region's; null where the app does not know LINE's prices (an unpriced region such as TH).
 */
export function planTableFor(region: string, s: PlanSettings = {}): PlanTable | null {
  const table = s.table ?? PLAN_TABLES[region.toUpperCase()];
  return table && table.priced !== false ? table : null;
}

/** The LINE plan region of the shop's channel: the merchant's choice, else the default for the shop's country. */
export function linePlanRegion(s: PlanSettings, shopCountry: string): string {
  return s.country ?? defaultLineRegion(shopCountry);
}

function planMatchesQuota(plan: Plan, quota: Quota): boolean {
  if (!plan.extraTiers) return quota.type === "limited" && quota.value === plan.freeMessages;
  return quota.type === "none" || (quota.value ?? 0) >= plan.freeMessages;
}

/**
 * The channel's plan, as LINE's quota shows it. LINE's quota is the authority: a plan without paid
 * extra messages is "limited" to exactly its free allowance; only a plan with paid extras can be
 * unlimited ("none") or limited above its allowance (the merchant's cap on paid messages, set in
 * LINE Official Account Manager; developers.line.biz/en/docs/messaging-api/pricing/). A configured
 * plan is used when it agrees with the quota (or the quota is unknown); otherwise the plan the quota
 * implies. null: no price table for the region, or nothing to go on.
 */
export function planForQuota(table: PlanTable | null, quota: Quota | null, configuredPlanId?: string | null): Plan | null {
  if (!table) return null;
  const configured = table.plans.find((p) => p.id === configuredPlanId);
  if (configured && (!quota || planMatchesQuota(configured, quota))) return configured;
  if (!quota) return null;
  return (
    table.plans.find((p) => !p.extraTiers && planMatchesQuota(p, quota)) ??
    table.plans.find((p) => p.extraTiers && planMatchesQuota(p, quota)) ??
    null
  );
}

/**
 * Messages LINE delivers when `requests` requests of `batchSize` recipients each go out in order:
 * LINE refuses a whole request that does not fit the remaining quota (429 "You have reached your
 * monthly limit."), so a 500-friend multicast with 100 messages left delivers none of the 500.
 */
export function deliverableMessages(messages: number, remaining: number | null, batchSize: number): number {
  if (remaining === null) return messages;
  let left = remaining;
  let delivered = 0;
  for (let start = 0; start < messages; start += batchSize) {
    const size = Math.min(batchSize, messages - start);
    if (size <= left) {
      delivered += size;
      left -= size;
    }
  }
  return delivered;
}

export type CostEstimate = {
  recipients: number;
  requestsPerRecipient: number;
  messages: number;
  /** LINE's billing currency for the plan (JPY, TWD); null when the region's prices are unknown. */
  currency: string | null;
  planId: string | null;
  /** false when LINE's quota could not be read: nothing below is then known to be refused. */
  quotaKnown: boolean;
  /** Messages LINE still lets this channel send this month (null = no monthly limit, or unknown). */
  remainingQuota: number | null;
  /** Messages LINE will deliver / refuse (quota exhausted) if sent to the whole audience. */
  deliverable: number;
  notDelivered: number;
  /** Free messages of the plan left this month (null: plan unknown). */
  freeRemaining: number | null;
  /** Delivered messages beyond the free allowance, paid per message (0 on plans without extras). */
  extraMessages: number;
  /** Price of the extra messages in `currency`, excluding tax (null: plan or prices unknown). */
  extraCost: number | null;
  exceedsQuota: boolean;
  /** How many recipients fit in the remaining quota (for trim-to-fit; null = all fit or unknown). */
  recipientsThatFit: number | null;
};

/**
 * What a send to `recipients` friends delivers and costs (pure). LINE counts one message per
 * recipient per request, however many message objects (≤ 5) the request carries
 * (developers.line.biz/en/tips/2026/05/28/how-to-count-messages/).
 */
export function estimateCost(input: {
  recipients: number;
  requestsPerRecipient?: number;
  plan: Plan | null;
  currency: string | null;
  /** null: LINE's quota could not be read. */
  quota: Quota | null;
  /** Recipients per LINE request: 500 for multicast batches, 1 for personalised pushes. */
  batchSize?: number;
}): CostEstimate {
  const requests = Math.max(1, input.requestsPerRecipient ?? 1);
  const messages = input.recipients * requests;
  const used = input.quota?.totalUsage ?? 0;
  const remainingQuota = input.quota?.type === "limited" && input.quota.value != null ? Math.max(0, input.quota.value - used) : null;
  const deliverable = deliverableMessages(messages, remainingQuota, Math.max(1, (input.batchSize ?? 500) * requests));
  const plan = input.plan;
  const freeRemaining = plan ? Math.max(0, plan.freeMessages - used) : null;
  const extraMessages = plan?.extraTiers ? Math.max(0, deliverable - (freeRemaining ?? 0)) : 0;
  const alreadyExtra = plan ? Math.max(0, used - plan.freeMessages) : 0;
  const extraCost = !plan ? null : plan.extraTiers ? extraMessagesCost(plan.extraTiers, alreadyExtra, extraMessages) : 0;
  return {
    recipients: input.recipients,
    requestsPerRecipient: requests,
    messages,
    currency: plan ? input.currency : null,
    planId: plan?.id ?? null,
    quotaKnown: input.quota !== null,
    remainingQuota,
    deliverable,
    notDelivered: messages - deliverable,
    freeRemaining,
    extraMessages,
    extraCost,
    exceedsQuota: deliverable < messages,
    recipientsThatFit: remainingQuota !== null && messages > remainingQuota ? Math.floor(remainingQuota / requests) : null,
  };
}
