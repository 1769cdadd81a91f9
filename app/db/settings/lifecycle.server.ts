// Settings area "lifecycle" (Shop.settings.lifecycle): the lifecycle automations (replenishment,
// review request, win-back, welcome): on/off, audience segments, timing and message text each, and
// how late a due message may still go out. Texts the merchant has not written come in the shop's
// language (customer.json lifecycle.*).
import { z } from "zod";
import { LIFECYCLE_KINDS, type LifecycleKind } from "~/domain/broadcasts/lifecycle";
import { customerTemplate } from "~/i18n/i18n.server";
import { saveSettingsArea, shopForSettings, storedSettingsArea, type ShopForSettings } from "./json.server";

const base = { enabled: z.boolean(), segmentIds: z.array(z.number().int().positive()) };
const KIND_SCHEMAS = {
  replenishment: z.object({ ...base, daysBefore: z.number().min(0), text: z.string() }),
  review: z.object({ ...base, afterDays: z.number().min(0), reviewUrl: z.string(), text: z.string() }),
  winback: z.object({
    ...base,
    dormantDays: z.number().min(1),
    dormantSegmentId: z.number().int().positive().nullable(),
    shopUrl: z.string(),
    text: z.string(),
  }),
  welcome: z.object({ ...base, text: z.string(), linkPromptText: z.string(), linkUrl: z.string() }),
} as const;

export const LifecycleSettingsSchema = z.object({
  ...KIND_SCHEMAS,
  /** Due items older than this many days are skipped, not sent late. */
  graceDays: z.number().min(0),
});
export type LifecycleSettings = z.infer<typeof LifecycleSettingsSchema>;
export type LifecycleSettingsPatch = Partial<{ [K in LifecycleKind]: Partial<LifecycleSettings[K]> }> & { graceDays?: number };

/** Every automation off, with its texts in the shop's language. */
export function lifecycleDefaults(shop: ShopForSettings): LifecycleSettings {
  const text = (key: Parameters<typeof customerTemplate>[1]) => customerTemplate(shop, key);
  const off = { enabled: false, segmentIds: [] as number[] };
  return {
    replenishment: { ...off, daysBefore: 3, text: text("lifecycle.replenishment") },
    review: { ...off, afterDays: 5, reviewUrl: "", text: text("lifecycle.review") },
    winback: { ...off, dormantDays: 90, dormantSegmentId: null, shopUrl: "", text: text("lifecycle.winback") },
    welcome: { ...off, text: text("lifecycle.welcome"), linkPromptText: text("lifecycle.linkPrompt"), linkUrl: "" },
    graceDays: 3,
  };
}

/** Saved values over the defaults, field by field; a stored field that does not fit the schema reads as its default. */
function merge(defaults: LifecycleSettings, stored: unknown): LifecycleSettings {
  const s = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const out = { ...defaults } as Record<string, unknown>;
  for (const kind of LIFECYCLE_KINDS) {
    const shape = KIND_SCHEMAS[kind].shape as Record<string, z.ZodType>;
    const saved = s[kind] && typeof s[kind] === "object" ? (s[kind] as Record<string, unknown>) : {};
    const fields = Object.entries(saved).filter(([k, v]) => k in shape && shape[k]!.safeParse(v).success);
    out[kind] = { ...defaults[kind], ...Object.fromEntries(fields) };
  }
  const grace = LifecycleSettingsSchema.shape.graceDays.safeParse(s.graceDays);
  if (grace.success) out.graceDays = grace.data;
  return out as LifecycleSettings;
}

/** The shop's lifecycle settings from its loaded row. */
export function readLifecycleSettings(shop: ShopForSettings): LifecycleSettings {
  return merge(lifecycleDefaults(shop), storedSettingsArea(shop.settings, "lifecycle"));
}

export async function loadLifecycleSettings(shopId: number): Promise<LifecycleSettings> {
  return readLifecycleSettings(await shopForSettings(shopId));
}

/** Changes the given fields (per automation) and keeps the rest; throws (ZodError) for a value out of the schema. */
export async function saveLifecycleSettings(shopId: number, patch: LifecycleSettingsPatch): Promise<LifecycleSettings> {
  let saved: LifecycleSettings | undefined;
  await saveSettingsArea({ id: shopId }, "lifecycle", (_stored, shop) => {
    const current = readLifecycleSettings(shop);
    saved = LifecycleSettingsSchema.parse({
      ...current,
      ...(patch.graceDays !== undefined ? { graceDays: patch.graceDays } : {}),
      ...Object.fromEntries(LIFECYCLE_KINDS.filter((k) => patch[k]).map((k) => [k, { ...current[k], ...patch[k] }])),
    });
    return saved;
  });
  return saved!;
}
