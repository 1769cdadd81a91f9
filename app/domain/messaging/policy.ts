// The shared marketing send policy (pure): opt-out, blocked, frequency cap and quiet hours.
// Every marketing send (broadcasts, automations, reminders) asks this at the moment of sending, so
// it always honours the friend's latest state. Transactional messages (order updates the friend
// asked for) ignore opt-out, quiet hours and the cap; only an unfollowed/blocked friend stops them.
import { nextLocalTime, parseClock, wallClock } from "../time/zoned";

export type SendCategory = "marketing" | "transactional";

/** MessageSend.kind values that count as marketing (the frequency cap counts these). */
export const MARKETING_SEND_KINDS = ["broadcast", "automation", "reminder"] as const;

export function categoryOfKind(kind: string): SendCategory {
  return (MARKETING_SEND_KINDS as readonly string[]).includes(kind) ? "marketing" : "transactional";
}

export interface MessagingPolicyConfig {
  /** Local "HH:MM" in the shop's time zone; start > end wraps midnight (21:00–09:00). */
  quietHours: { start: string; end: string } | null;
  frequencyCap: { max: number; windowDays: number } | null;
}

export const DEFAULT_POLICY: MessagingPolicyConfig = { quietHours: null, frequencyCap: null };

export interface PolicyFriend {
  following: boolean;
  blockedAt: Date | null;
  marketingOptOut: boolean;
}

export type SkipReason = "blocked" | "opted_out" | "frequency_cap";

export type SendDecision =
  { allowed: true } | { allowed: false; deferUntil: Date; reason: "quiet_hours" } | { allowed: false; skip: SkipReason };

export interface CheckSendInput {
  friend: PolicyFriend;
  kind: SendCategory;
  /** sentAt of the friend's recent marketing sends (any window ⊇ the cap's). */
  recentMarketingSends: readonly Date[];
  policy: MessagingPolicyConfig;
  now: Date;
  timeZone: string;
}

const DAY = 86_400_000;

export function checkSendAllowed(i: CheckSendInput): SendDecision {
  if (!i.friend.following || i.friend.blockedAt) return { allowed: false, skip: "blocked" };
  if (i.kind === "transactional") return { allowed: true };
  if (i.friend.marketingOptOut) return { allowed: false, skip: "opted_out" };
  const cap = i.policy.frequencyCap;
  if (cap && cap.max > 0 && cap.windowDays > 0) {
    const since = i.now.getTime() - cap.windowDays * DAY;
    const n = i.recentMarketingSends.filter((d) => d.getTime() > since && d.getTime() <= i.now.getTime()).length;
    if (n >= cap.max) return { allowed: false, skip: "frequency_cap" };
  }
  const until = quietHoursEnd(i.now, i.policy.quietHours, i.timeZone);
  if (until) return { allowed: false, deferUntil: until, reason: "quiet_hours" };
  return { allowed: true };
}

/**
 * When `at` falls in quiet hours, the instant they end (the next local `end`); else null.
 * Start inclusive, end exclusive.
 */
export function quietHoursEnd(at: Date, quiet: MessagingPolicyConfig["quietHours"], tz: string): Date | null {
  const start = parseClock(quiet?.start);
  const end = parseClock(quiet?.end);
  if (start === null || end === null || start === end) return null;
  // By the wall clock as it reads at `at` (a DST change moves the clock, not the window).
  const nowMin = wallClock(at, tz).minuteOfDay;
  const inside = start < end ? nowMin >= start && nowMin < end : nowMin >= start || nowMin < end;
  if (!inside) return null;
  // The next time the clock shows `end`; when that time is skipped (spring forward), the gap's end.
  return nextLocalTime(at, end, tz);
}

/** The first instant ≥ `at` outside quiet hours. */
export function nextSendableTime(at: Date, quiet: MessagingPolicyConfig["quietHours"], tz: string): Date {
  return quietHoursEnd(at, quiet, tz) ?? at;
}
