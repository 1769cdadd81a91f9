// Admin-page actions for automations: the list (one entry per automation kind; later automations
// add an entry to AUTOMATION_CATALOG) and the abandoned-cart settings form + results.
import { requireShop } from "~/db/shops.server";
import { db } from "~/db.server";
import { formatIsoDuration } from "~/domain/messaging/duration";
import { parseClock } from "~/domain/time/zoned";
import { CART_LOCALES, type CartLocale } from "~/domain/messaging/cart-flex";
import { checkText } from "~/domain/line/text-limits";
import {
  ABANDONED_CART,
  CART_TEXT_LIMITS,
  delayMsOf,
  isAllowedReminderDelay,
  type AbandonedCartConfig,
} from "~/domain/reminders/abandoned-cart";
import type { MessagingPolicyConfig } from "~/domain/messaging/policy";
import { loadMessagingPolicy, saveMessagingPolicy } from "~/db/settings/messaging-policy.server";
import { LIFECYCLE_KINDS } from "./lifecycle-settings.server";
import { readLifecycleSettings } from "~/db/settings/lifecycle.server";
import { lifecycleReport } from "./lifecycle.server";
import { loadAbandonedCartSettings, saveAbandonedCartSettings } from "~/db/settings/abandoned-cart.server";
import {
  abandonedCartResults,
  type AbandonedCartResults,
} from "./abandoned-cart.server";

/** One automation on the list; the page words it by `kind` (automations.entries.<kind>.*). */
export interface AutomationEntry {
  kind: "abandoned_cart" | "lifecycle";
  url: string;
  enabled: boolean;
  /** Numbers for the summary line: sent, and recovered orders (abandoned cart) or automations on (lifecycle). */
  counts: { sent: number; recovered?: number; on?: number };
  /** false: switched on/off on its own page (several automations behind one entry). */
  toggle: boolean;
}

/** One entry per automation; a later automation adds its own loader here. */
const AUTOMATION_CATALOG: Array<(shopId: number) => Promise<AutomationEntry>> = [
  async (shopId) => {
    const s = await loadAbandonedCartSettings(shopId);
    const r = await abandonedCartResults(shopId);
    return {
      kind: ABANDONED_CART,
      url: "/app/automations/abandoned-cart",
      enabled: s.enabled,
      counts: { sent: r.sent, recovered: r.recoveredOrders },
      toggle: true,
    };
  },
  async (shopId) => {
    const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
    const s = readLifecycleSettings(shop);
    const on = LIFECYCLE_KINDS.filter((k) => s[k].enabled);
    const report = await lifecycleReport(shopId);
    const sent = LIFECYCLE_KINDS.reduce((n, k) => n + report[k].sent, 0);
    return {
      kind: "lifecycle",
      url: "/app/automations/lifecycle",
      enabled: on.length > 0,
      counts: { sent, on: on.length },
      toggle: false,
    };
  },
];

export async function automationsOverview(shopDomain: string) {
  const shop = await requireShop(shopDomain);
  const entries = await Promise.all(AUTOMATION_CATALOG.map((load) => load(shop.id)));
  return { entries, policy: await loadMessagingPolicy(shop), timezone: shop.timezone };
}

export async function setAutomationEnabled(shopDomain: string, kind: string, enabled: boolean) {
  const shop = await requireShop(shopDomain);
  if (kind !== ABANDONED_CART) throw new Response("Unknown automation", { status: 404 });
  await saveAbandonedCartSettings(shop.id, { enabled });
}

export interface AbandonedCartPageData {
  enabled: boolean;
  config: AbandonedCartConfig;
  delayHours: number;
  delayMinutes: number;
  policy: MessagingPolicyConfig;
  timezone: string;
  results: AbandonedCartResults;
  currency: string;
  recent: Array<{
    id: number;
    status: string;
    reason: string | null;
    dueAt: string;
    sentAt: string | null;
    clicked: boolean;
    recoveredRevenue: number | null;
  }>;
}

export async function abandonedCartPage(shopDomain: string): Promise<AbandonedCartPageData> {
  const shop = await requireShop(shopDomain);
  const s = await loadAbandonedCartSettings(shop.id);
  const ms = delayMsOf(s.config);
  const recent = await db().reminder.findMany({ where: { shopId: shop.id, kind: ABANDONED_CART }, orderBy: { id: "desc" }, take: 20 });
  return {
    enabled: s.enabled,
    config: s.config,
    delayHours: Math.floor(ms / 3_600_000),
    delayMinutes: Math.floor((ms % 3_600_000) / 60_000),
    policy: await loadMessagingPolicy(shop),
    timezone: shop.timezone,
    results: await abandonedCartResults(shop.id),
    currency: shop.currency,
    recent: recent.map((r) => ({
      id: r.id,
      status: r.status,
      reason: r.reason,
      dueAt: r.dueAt.toISOString(),
      sentAt: r.sentAt?.toISOString() ?? null,
      clicked: !!r.clickedAt,
      recoveredRevenue: r.recoveredRevenue === null ? null : Number(r.recoveredRevenue),
    })),
  };
}

/** Field → problem code (the page says it in the merchant's language: automations.errors.<code>). */
export type FieldErrors = Record<string, string>;

/** Validate and save the settings form; returns field → problem code for the UI. */
export async function saveAbandonedCartForm(shopDomain: string, form: FormData): Promise<{ errors: FieldErrors }> {
  const shop = await requireShop(shopDomain);
  const f = (k: string) => String(form.get(k) ?? "").trim();
  const errors: FieldErrors = {};
  const hours = Number(f("delayHours") || "0");
  const minutes = Number(f("delayMinutes") || "0");
  let delay: string | null = null;
  if (!Number.isInteger(hours) || !Number.isInteger(minutes) || hours < 0 || minutes < 0 || minutes > 59) errors.delay = "delay_whole";
  else if (!isAllowedReminderDelay((hours * 60 + minutes) * 60_000)) errors.delay = "delay_range";
  else delay = formatIsoDuration((hours * 60 + minutes) * 60_000);
  const quietOn = form.get("quietEnabled") === "on";
  const quiet = quietOn ? { start: f("quietStart"), end: f("quietEnd") } : null;
  if (quiet && (parseClock(quiet.start) === null || parseClock(quiet.end) === null)) errors.quietHours = "quiet_format";
  if (quiet && quiet.start === quiet.end) errors.quietHours = "quiet_same";
  const capOn = form.get("capEnabled") === "on";
  const capMax = Number(f("capMax"));
  const capDays = Number(f("capWindowDays"));
  if (capOn && (!Number.isInteger(capMax) || capMax < 1 || capMax > 100)) errors.capMax = "cap_max";
  if (capOn && (!Number.isInteger(capDays) || capDays < 1 || capDays > 90)) errors.capWindowDays = "cap_days";
  // The card's texts per language; the heading and intro have the card's layout limits, the
  // button LINE's Flex action label limit (in characters as users see them).
  const texts = { heading: {}, intro: {}, button: {} } as Record<"heading" | "intro" | "button", Partial<Record<CartLocale, string>>>;
  for (const l of CART_LOCALES) {
    for (const part of ["heading", "intro"] as const) {
      const v = f(`${part}_${l}`);
      if (v.length > CART_TEXT_LIMITS[part]) errors[`${part}_${l}`] = `${part}_long`;
      if (v) texts[part][l] = v;
    }
    const button = f(`button_${l}`);
    if (checkText("flexActionLabel", button, { optional: true })) errors[`button_${l}`] = "button_long";
    if (button) texts.button[l] = button;
  }
  if (Object.keys(errors).length) return { errors };
  await saveAbandonedCartSettings(shop.id, {
    enabled: form.get("enabled") === "on",
    config: { delay: delay!, switchMenu: form.get("switchMenu") === "on", ...texts },
  });
  await saveMessagingPolicy(shop.id, { quietHours: quiet, frequencyCap: capOn ? { max: capMax, windowDays: capDays } : null });
  return { errors: {} };
}
