// Intent conditions usable as menu rules, evaluated on a customer's facts at `now`. Each also says
// when its answer can next change on its own (time passing), so the caller can schedule a re-check.
import { wallClock } from "../time/zoned";

export type MenuIntent =
  | { type: "abandonedCart"; minHours: number }
  | { type: "orderDelivered"; withinDays: number }
  | { type: "reorderDue" }
  | { type: "birthdayMonth" }
  | { type: "tier"; tag: string };

export const URGENT_INTENTS: ReadonlySet<MenuIntent["type"]> = new Set(["abandonedCart", "orderDelivered"]);

export interface IntentFacts {
  linked: boolean;
  abandonedCheckoutAt: Date | null;
  lastDeliveredAt: Date | null;
  tags: string[];
  birthMonth: number | null;
  /** Per product bought: last purchase and re-buy interval (own, else the shop median). */
  rebuys: Array<{ lastPurchasedAt: Date; intervalDays: number | null }>;
  timezone: string;
}

export interface IntentResult {
  matches: boolean;
  /** Next instant at which `matches` flips without any new fact, if known. */
  changesAt: Date | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * What a menu rule matches, for the admin to say in the merchant's language
 * (`richMenus.ruleCondition.*`, app/components/rich-menus/text.ts). `segmentName` is null when
 * the segment is gone.
 */
export type RuleCondition =
  | { kind: "segment"; segmentId: number | null; segmentName: string | null }
  | { kind: "linked" }
  | { kind: "everyone" }
  | { kind: "intent"; intent: MenuIntent | null };

/** An intent in English, for logs and the CLI (the admin uses RuleCondition). */
export function intentLabel(i: MenuIntent): string {
  switch (i.type) {
    case "abandonedCart":
      return `cart abandoned ≥ ${i.minHours} h`;
    case "orderDelivered":
      return `order delivered in the last ${i.withinDays} days`;
    case "reorderDue":
      return "reorder due";
    case "birthdayMonth":
      return "birthday month";
    case "tier":
      return `tier “${i.tag}”`;
  }
}

export function evaluateIntent(intent: MenuIntent, f: IntentFacts, now: Date): IntentResult {
  const t = now.getTime();
  switch (intent.type) {
    case "abandonedCart": {
      if (!f.abandonedCheckoutAt) return { matches: false, changesAt: null };
      const due = f.abandonedCheckoutAt.getTime() + intent.minHours * HOUR;
      return t >= due ? { matches: true, changesAt: null } : { matches: false, changesAt: new Date(due) };
    }
    case "orderDelivered": {
      if (!f.lastDeliveredAt) return { matches: false, changesAt: null };
      const end = f.lastDeliveredAt.getTime() + intent.withinDays * DAY;
      return t < end && t >= f.lastDeliveredAt.getTime()
        ? { matches: true, changesAt: new Date(end) }
        : { matches: false, changesAt: null };
    }
    case "reorderDue": {
      // Due from one interval after the last purchase until two intervals after it (then it is a
      // win-back, not a reorder).
      let matches = false;
      let changesAt: number | null = null;
      for (const r of f.rebuys) {
        if (!r.intervalDays || r.intervalDays <= 0) continue;
        const from = r.lastPurchasedAt.getTime() + r.intervalDays * DAY;
        const to = r.lastPurchasedAt.getTime() + 2 * r.intervalDays * DAY;
        if (t >= from && t < to) {
          matches = true;
          changesAt = changesAt === null ? to : Math.min(changesAt, to);
        } else if (t < from) changesAt = changesAt === null ? from : Math.min(changesAt, from);
      }
      return { matches, changesAt: changesAt === null ? null : new Date(changesAt) };
    }
    case "birthdayMonth":
      return { matches: f.birthMonth !== null && f.birthMonth === wallClock(now, f.timezone).month, changesAt: null };
    case "tier":
      return { matches: f.tags.some((tag) => tag.toLowerCase() === intent.tag.toLowerCase()), changesAt: null };
  }
}
