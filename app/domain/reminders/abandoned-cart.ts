// Abandoned-cart reminder rules (pure, `now` passed in): settings, when a reminder is due, and what
// the delayed job should do when it fires (send, wait longer, or give up).
import { z } from "zod";
import { parseIsoDuration } from "~/domain/messaging/duration";
import { nextSendableTime, type MessagingPolicyConfig } from "~/domain/messaging/policy";
import { checkText } from "~/domain/line/text-limits";

export const ABANDONED_CART = "abandoned_cart";

/**
 * Longest heading and intro of the reminder card, in characters: kept short for the bubble's layout
 * (LINE limits Flex text only by the message's total size). The button's label has LINE's Flex action
 * label limit (LINE_TEXT_LIMITS.flexActionLabel: 40 characters as users see them).
 */
export const CART_TEXT_LIMITS = { heading: 100, intro: 500 } as const;

const perLanguage = (text: z.ZodType<string>) => z.object({ ja: text, "zh-TW": text, th: text, en: text }).partial().default({});
const buttonLabel = z
  .string()
  .refine((v) => checkText("flexActionLabel", v, { optional: true }) === null, "Too long for a LINE button label");

const isoDuration = z.string().refine((s) => parseIsoDuration(s) !== null, "Use an ISO-8601 duration such as PT1H, PT30M or PT30S");

export const AbandonedCartConfigSchema = z.object({
  /** Time after the checkout's last update before the reminder goes out. */
  delay: isoDuration.default("PT1H"),
  /** Ask the rich-menu engine to re-evaluate (cart menu on, usual menu back after the order). */
  switchMenu: z.boolean().default(true),
  /** The merchant's card texts per language (the friend's language picks one); absent = built-in text. */
  heading: perLanguage(z.string().max(CART_TEXT_LIMITS.heading)),
  intro: perLanguage(z.string().max(CART_TEXT_LIMITS.intro)),
  button: perLanguage(buttonLabel),
  /** Checkouts older than this (e.g. from a backfill) never get a reminder. */
  maxAge: isoDuration.default("P7D"),
});
export type AbandonedCartConfig = z.infer<typeof AbandonedCartConfigSchema>;

/**
 * Allowed reminder delays: at least 1 minute (LINE friends should not get a reminder while still on
 * the checkout page) and at most 30 days (a delay of 999,999 hours — 114 years — was accepted).
 */
const ABANDONED_CART_DELAY_LIMITS = { minMs: 60_000, maxMs: 30 * 86_400_000 } as const;

export function isAllowedReminderDelay(ms: number): boolean {
  return Number.isFinite(ms) && ms >= ABANDONED_CART_DELAY_LIMITS.minMs && ms <= ABANDONED_CART_DELAY_LIMITS.maxMs;
}

export function delayMsOf(c: Pick<AbandonedCartConfig, "delay">): number {
  return parseIsoDuration(c.delay) ?? 3_600_000;
}

/** abandonedAt + delay, moved out of quiet hours (a reminder due at night waits for the morning). */
export function reminderDueAt(i: {
  abandonedAt: Date;
  delayMs: number;
  quietHours: MessagingPolicyConfig["quietHours"];
  timeZone: string;
}): Date {
  return nextSendableTime(new Date(i.abandonedAt.getTime() + i.delayMs), i.quietHours, i.timeZone);
}

export interface CheckoutState {
  abandonedAt: Date | null;
  completedAt: Date | null;
  /** An order carries the checkout's token. */
  hasOrder: boolean;
}

export type ReminderDecision =
  { action: "send" } | { action: "wait"; until: Date } | { action: "cancel"; reason: "order_completed" | "checkout_missing" | "stale" };

/** Fired jobs run a little early at most by clock skew; this much early still counts as due. */
export const DUE_TOLERANCE_MS = 250;

export function decideAbandonedCart(i: { checkout: CheckoutState | null; delayMs: number; maxAgeMs: number; now: Date }): ReminderDecision {
  if (!i.checkout) return { action: "cancel", reason: "checkout_missing" };
  if (i.checkout.completedAt || i.checkout.hasOrder || !i.checkout.abandonedAt) return { action: "cancel", reason: "order_completed" };
  const due = i.checkout.abandonedAt.getTime() + i.delayMs;
  if (due > i.now.getTime() + DUE_TOLERANCE_MS) return { action: "wait", until: new Date(due) };
  if (i.now.getTime() - i.checkout.abandonedAt.getTime() > Math.max(i.maxAgeMs, i.delayMs)) return { action: "cancel", reason: "stale" };
  return { action: "send" };
}

/** Whether a checkout should get a reminder scheduled at all. */
export function isReminderCandidate(c: CheckoutState, now: Date, cfg: { delayMs: number; maxAgeMs: number }): boolean {
  if (!c.abandonedAt || c.completedAt || c.hasOrder) return false;
  return now.getTime() - c.abandonedAt.getTime() <= Math.max(cfg.maxAgeMs, cfg.delayMs);
}

/**
 * A sent reminder is "recovered" by an order carrying the checkout's token, or by an order placed
 * within the attribution window after the friend clicked the recovery link.
 */
export function isRecoveredBy(i: {
  reminderToken: string;
  clickedAt: Date | null;
  order: { checkoutToken: string | null; processedAt: Date };
  windowDays: number;
}): boolean {
  if (i.order.checkoutToken && i.order.checkoutToken === i.reminderToken) return true;
  if (!i.clickedAt) return false;
  const t = i.order.processedAt.getTime();
  return t >= i.clickedAt.getTime() && t - i.clickedAt.getTime() <= i.windowDays * 86_400_000;
}
