// Lifecycle automation settings live in Shop.settings.lifecycle (JSON); the abandoned cart uses the
// AutomationSetting table (moving these there is open). The shared marketing policy: services/messaging/policy.server.ts.
import { z } from "zod";
import type { Prisma, Shop } from "@prisma/client";
import { db } from "~/db.server";
import {
  LIFECYCLE_DAY_FIELD,
  LIFECYCLE_KINDS,
  checkLifecycleForm,
  type LifecycleFormProblem,
  type LifecycleKind,
} from "~/domain/broadcasts/lifecycle";
import { customerTemplate } from "~/i18n/i18n.server";

export { LIFECYCLE_KINDS, type LifecycleKind };
/** Stable source ids for tracked links / attribution of each automation. */
export const AUTOMATION_SOURCE_ID: Record<LifecycleKind, number> = { replenishment: 1, review: 2, winback: 3, welcome: 4 };

const base = { enabled: z.boolean().default(false), segmentIds: z.array(z.number().int()).default([]) };
const LifecycleSettingsSchema = z.object({
  replenishment: z
    .object({
      ...base,
      daysBefore: z.number().min(0).default(3),
      text: z.string().default("{{displayName|Hi}}, running low on {{product}}? Reorder in one tap: {{reorderUrl}}"),
    })
    .default({
      enabled: false,
      segmentIds: [],
      daysBefore: 3,
      text: "{{displayName|Hi}}, running low on {{product}}? Reorder in one tap: {{reorderUrl}}",
    }),
  review: z
    .object({
      ...base,
      afterDays: z.number().min(0).default(5),
      reviewUrl: z.string().default(""),
      text: z.string().default("How do you like your order {{orderName}}? Leave a review: {{reviewUrl}}"),
    })
    .default({
      enabled: false,
      segmentIds: [],
      afterDays: 5,
      reviewUrl: "",
      text: "How do you like your order {{orderName}}? Leave a review: {{reviewUrl}}",
    }),
  winback: z
    .object({
      ...base,
      dormantDays: z.number().min(1).default(90),
      dormantSegmentId: z.number().int().positive().nullable().default(null),
      shopUrl: z.string().default(""),
      text: z.string().default("We miss you, {{displayName|friend}}! See what's new: {{shopUrl}}"),
    })
    .default({
      enabled: false,
      segmentIds: [],
      dormantDays: 90,
      dormantSegmentId: null,
      shopUrl: "",
      text: "We miss you, {{displayName|friend}}! See what's new: {{shopUrl}}",
    }),
  welcome: z
    .object({
      ...base,
      text: z.string().default("Welcome, {{displayName|friend}}!"),
      linkPromptText: z.string().default("Link your store account to get order updates: {{linkUrl}}"),
      linkUrl: z.string().default(""),
    })
    .default({
      enabled: false,
      segmentIds: [],
      text: "Welcome, {{displayName|friend}}!",
      linkPromptText: "Link your store account to get order updates: {{linkUrl}}",
      linkUrl: "",
    }),
  /** Due items older than this many days are skipped, not sent late. */
  graceDays: z.number().min(0).default(3),
});
export type LifecycleSettings = z.infer<typeof LifecycleSettingsSchema>;

/** The shop's lifecycle settings; message texts the merchant has not written come in the shop's language. */
export function lifecycleSettings(shop: Pick<Shop, "settings" | "country"> & { primaryLocale?: string | null }): LifecycleSettings {
  const stored = ((shop.settings as { lifecycle?: Record<string, unknown> } | null)?.lifecycle ?? {}) as Record<string, object | undefined>;
  const text = (key: Parameters<typeof customerTemplate>[1]) => customerTemplate(shop, key);
  const defaults: Record<LifecycleKind, Record<string, string>> = {
    replenishment: { text: text("lifecycle.replenishment") },
    review: { text: text("lifecycle.review") },
    winback: { text: text("lifecycle.winback") },
    welcome: { text: text("lifecycle.welcome"), linkPromptText: text("lifecycle.linkPrompt") },
  };
  return LifecycleSettingsSchema.parse({
    ...stored,
    ...Object.fromEntries(LIFECYCLE_KINDS.map((k) => [k, { ...defaults[k], ...stored[k] }])),
  });
}

export async function saveLifecycleSettings(
  shopId: number,
  patch: Partial<Record<LifecycleKind, Record<string, unknown>>>,
): Promise<LifecycleSettings> {
  return db().$transaction(async (tx) => {
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
    const current = lifecycleSettings(shop);
    const merged = LifecycleSettingsSchema.parse({
      ...current,
      ...Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, { ...(current as unknown as Record<string, object>)[k], ...v }])),
    });
    const settings = { ...((shop.settings as Record<string, unknown>) ?? {}), lifecycle: merged };
    await tx.shop.update({ where: { id: shopId }, data: { settings: settings as Prisma.InputJsonValue } });
    return merged;
  });
}

/**
 * Validates and saves one automation's settings form (kind, enabled, text, days, segmentIds).
 * Returns field → problem code (automations.lifecycle.errors.<code>) and saves nothing when any.
 */
export async function saveLifecycleForm(
  shop: Pick<Shop, "id">,
  kind: LifecycleKind,
  form: FormData,
): Promise<{ errors: Record<string, LifecycleFormProblem> }> {
  const segmentIds = form
    .getAll("segmentIds")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const rawDays = String(form.get("days") ?? "").trim();
  const input = { days: rawDays === "" ? null : Number(rawDays), text: String(form.get("text") ?? ""), segmentIds };
  const known = await db().segment.findMany({ where: { shopId: shop.id, id: { in: segmentIds } }, select: { id: true } });
  const errors = checkLifecycleForm(kind, input, new Set(known.map((s) => s.id)));
  if (Object.keys(errors).length) return { errors };
  const field = LIFECYCLE_DAY_FIELD[kind];
  await saveLifecycleSettings(shop.id, {
    [kind]: { enabled: form.get("enabled") === "on", text: input.text, segmentIds, ...(field ? { [field]: input.days } : {}) },
  });
  return { errors: {} };
}
