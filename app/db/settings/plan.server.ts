// Settings area "plan" (Shop.settings.plan): the LINE plan that prices the shop's messages. The
// region follows the LINE Official Account (JP/TW/TH plan tables in app/domain/broadcasts/cost.ts),
// not the shop's country; a shop may carry its own price table (`table`, set by support, not the UI).
import { z } from "zod";
import { PLAN_TABLES, type PlanSettings } from "~/domain/broadcasts/cost";
import { LINE_REGIONS, isLineRegion } from "~/domain/shops/settings";
import { saveSettingsArea, shopForSettings, storedSettingsArea, type ShopForSettings } from "./json.server";

const PlanSchema = z.object({
  id: z.string(),
  name: z.string(),
  monthlyFee: z.number(),
  freeMessages: z.number(),
  extraTiers: z.array(z.object({ upTo: z.number().nullable(), pricePerMessage: z.number() })).nullable(),
});
export const PlanSettingsSchema = z.object({
  country: z.string().optional(),
  planId: z.string().optional(),
  table: z
    .object({ country: z.string(), currency: z.string(), plans: z.array(PlanSchema).min(1), priced: z.boolean().optional() })
    .optional(),
});
export type { PlanSettings };

/** The merchant's choice, {} (the defaults of the shop's country) until one is saved; a malformed store reads as {}. */
export function readPlanSettings(shop: Pick<ShopForSettings, "settings">): PlanSettings {
  const parsed = PlanSettingsSchema.safeParse(storedSettingsArea(shop.settings, "plan") ?? {});
  return parsed.success ? parsed.data : {};
}

export async function loadPlanSettings(shopId: number): Promise<PlanSettings> {
  return readPlanSettings(await shopForSettings(shopId));
}

/** Chooses the region and plan (a custom table belongs to the region it was written for, so it goes). Throws for an unknown region or plan. */
export async function savePlanSettings(
  where: { id: number } | { domain: string },
  input: { region: string; planId: string },
): Promise<PlanSettings> {
  if (!isLineRegion(input.region)) throw new Error(`LINE plan region must be one of ${LINE_REGIONS.join(", ")}`);
  const table = PLAN_TABLES[input.region]!;
  if (!table.plans.some((p) => p.id === input.planId)) throw new Error(`unknown ${input.region} plan "${input.planId}"`);
  const shop = await saveSettingsArea(where, "plan", (_stored, current) => {
    const { table: _custom, ...rest } = readPlanSettings(current);
    return PlanSettingsSchema.parse({ ...rest, country: input.region, planId: input.planId });
  });
  return readPlanSettings(shop);
}
