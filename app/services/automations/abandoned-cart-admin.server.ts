// Admin-page actions for automations: the list (one entry per automation kind; later automations
// add an entry to AUTOMATION_CATALOG) and the abandoned-cart settings form + results.
import { requireShop } from "~/db/shops.server";
import { db } from "~/db.server";
import { formatIsoDuration } from "~/domain/messaging/duration";
import { ABANDONED_CART, delayMsOf, type AbandonedCartConfig } from "~/domain/reminders/abandoned-cart";
import type { MessagingPolicyConfig } from "~/domain/messaging/policy";
import { loadMessagingPolicy, saveMessagingPolicy } from "~/db/settings/messaging-policy.server";
import { LIFECYCLE_KINDS } from "./lifecycle-settings.server";
import { readLifecycleSettings } from "~/db/settings/lifecycle.server";
import { lifecycleReport } from "./lifecycle.server";
import { loadAbandonedCartSettings, saveAbandonedCartSettings } from "~/db/settings/abandoned-cart.server";
import { abandonedCartResults, type AbandonedCartResults } from "./abandoned-cart.server";

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

/** The settings form, parsed (app/routes/app.automations.abandoned-cart.schema.ts). */
export interface AbandonedCartSettingsInput {
  enabled: boolean;
  delayMs: number;
  switchMenu: boolean;
  texts: Pick<AbandonedCartConfig, "heading" | "intro" | "button">;
  policy: MessagingPolicyConfig;
}

/** Saves the abandoned-cart settings and the shared messaging policy (two settings areas). */
export async function saveAbandonedCartPage(shopDomain: string, input: AbandonedCartSettingsInput): Promise<void> {
  const shop = await requireShop(shopDomain);
  await saveAbandonedCartSettings(shop.id, {
    enabled: input.enabled,
    config: { delay: formatIsoDuration(input.delayMs), switchMenu: input.switchMenu, ...input.texts },
  });
  await saveMessagingPolicy(shop.id, input.policy);
}
