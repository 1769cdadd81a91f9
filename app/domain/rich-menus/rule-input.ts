// One menu rule as the Menu rules page sends it and saveRules stores it. Messages are admin i18n keys
// (the page shows them at the rule's fields); the bounds keep counts and durations sane.
import { z } from "zod";

const MAX_MENU_RULES = 100;
export const MAX_DWELL_HOURS = 24 * 90;
export const MAX_ABANDONED_HOURS = 24 * 60;
export const MAX_DELIVERED_DAYS = 365;

const hours = (max: number, key: string) => z.number(key).int(key).min(0, key).max(max, key);

const MenuIntentSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("abandonedCart"), minHours: hours(MAX_ABANDONED_HOURS, "menuRules.errors.minHours") }),
    z.object({
      type: z.literal("orderDelivered"),
      withinDays: z
        .number("menuRules.errors.withinDays")
        .int("menuRules.errors.withinDays")
        .min(1, "menuRules.errors.withinDays")
        .max(MAX_DELIVERED_DAYS, "menuRules.errors.withinDays"),
    }),
    z.object({ type: z.literal("reorderDue") }),
    z.object({ type: z.literal("birthdayMonth") }),
    z.object({
      type: z.literal("tier"),
      tag: z.string().trim().min(1, "menuRules.errors.tagRequired").max(255, "forms.errors.tooBig"),
    }),
  ],
  "menuRules.errors.intentRequired",
);

const MenuRuleInputSchema = z
  .object({
    kind: z.enum(["segment", "linked", "everyone", "intent"], "forms.errors.invalidChoice"),
    segmentId: z.number().int().positive().max(2_147_483_647).nullish(),
    intent: MenuIntentSchema.nullish(),
    richMenuId: z.number("menuRules.errors.menuRequired").int().positive("menuRules.errors.menuRequired").max(2_147_483_647),
    dwellHours: hours(MAX_DWELL_HOURS, "menuRules.errors.dwellHours").default(24),
    urgent: z.boolean().optional(),
    enabled: z.boolean().default(true),
  })
  .refine((r) => r.kind !== "segment" || r.segmentId, { message: "menuRules.errors.segmentRequired", path: ["segmentId"] })
  .refine((r) => r.kind !== "intent" || r.intent, { message: "menuRules.errors.intentRequired", path: ["intent"] });
export type MenuRuleInput = z.input<typeof MenuRuleInputSchema>;

export const MenuRuleListSchema = z.array(MenuRuleInputSchema).max(MAX_MENU_RULES, "menuRules.errors.tooMany");
