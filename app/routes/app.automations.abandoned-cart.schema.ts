// Abandoned-cart settings form (app.automations.abandoned-cart.tsx): the delay in whole hours and
// minutes (1 minute to 30 days; never an ISO duration on screen), the menu switch, the card's texts
// per language, and the shared quiet hours and frequency cap. Messages are admin i18n keys.
import { z } from "zod";
import { checkText } from "~/domain/line/text-limits";
import { CART_LOCALES, type CartLocale } from "~/domain/messaging/cart-flex";
import { CART_TEXT_LIMITS, isAllowedReminderDelay } from "~/domain/reminders/abandoned-cart";
import { parseClock } from "~/domain/time/zoned";
import { formFlag, formText } from "~/domain/forms/parse";

/** Longest delay the form offers: 30 days (isAllowedReminderDelay). */
export const CART_DELAY_MAX_HOURS = 720;

const wholeNumber = (min: number, max: number, key: string) =>
  formText.pipe(z.string().regex(/^\d+$/, key).transform(Number).pipe(z.number().int().min(min, key).max(max, key)));
/** "" counts as 0 (a field left empty). */
const delayPart = (max: number, tooBig: string) =>
  formText
    .transform((v) => v || "0")
    .pipe(z.string().regex(/^\d+$/, "automations.errors.delay_whole").transform(Number).pipe(z.number().max(max, tooBig)));

const cardText = (part: "heading" | "intro") => formText.pipe(z.string().max(CART_TEXT_LIMITS[part], `automations.errors.${part}_long`));
const buttonText = formText.pipe(
  z.string().refine((v) => checkText("flexActionLabel", v, { optional: true }) === null, "automations.errors.button_long"),
);
const textFields = Object.fromEntries(
  CART_LOCALES.flatMap((l) => [
    [`heading_${l}`, cardText("heading")],
    [`intro_${l}`, cardText("intro")],
    [`button_${l}`, buttonText],
  ]),
) as Record<`${"heading" | "intro" | "button"}_${CartLocale}`, typeof buttonText>;

export const AbandonedCartForm = z
  .object({
    enabled: formFlag,
    delayHours: delayPart(CART_DELAY_MAX_HOURS, "automations.errors.delay_range"),
    delayMinutes: delayPart(59, "automations.errors.delay_whole"),
    switchMenu: formFlag,
    quietEnabled: formFlag,
    quietStart: formText,
    quietEnd: formText,
    capEnabled: formFlag,
    capMax: formText,
    capWindowDays: formText,
    ...textFields,
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (!isAllowedReminderDelay((v.delayHours * 60 + v.delayMinutes) * 60_000)) issue("delayHours", "automations.errors.delay_range");
    if (v.quietEnabled) {
      if (parseClock(v.quietStart) === null) issue("quietStart", "automations.errors.quiet_format");
      if (parseClock(v.quietEnd) === null) issue("quietEnd", "automations.errors.quiet_format");
      else if (v.quietStart === v.quietEnd) issue("quietEnd", "automations.errors.quiet_same");
    }
    if (v.capEnabled) {
      if (!wholeNumber(1, 100, "x").safeParse(v.capMax).success) issue("capMax", "automations.errors.cap_max");
      if (!wholeNumber(1, 90, "x").safeParse(v.capWindowDays).success) issue("capWindowDays", "automations.errors.cap_days");
    }
  })
  .transform((v) => {
    const texts = { heading: {}, intro: {}, button: {} } as Record<"heading" | "intro" | "button", Partial<Record<CartLocale, string>>>;
    for (const l of CART_LOCALES)
      for (const part of ["heading", "intro", "button"] as const) {
        const text = v[`${part}_${l}`];
        if (text) texts[part][l] = text;
      }
    return {
      enabled: v.enabled,
      delayMs: (v.delayHours * 60 + v.delayMinutes) * 60_000,
      switchMenu: v.switchMenu,
      texts,
      policy: {
        quietHours: v.quietEnabled ? { start: v.quietStart, end: v.quietEnd } : null,
        frequencyCap: v.capEnabled ? { max: Number(v.capMax), windowDays: Number(v.capWindowDays) } : null,
      },
    };
  });
export type AbandonedCartFormData = z.output<typeof AbandonedCartForm>;
