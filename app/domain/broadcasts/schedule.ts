// Broadcast schedule rules (pure). Local date + time → instant is domain/time/zoned.ts.

/**
 * Whether a chosen send time may be scheduled: strictly after `now`. A time that has passed (even by
 * seconds, e.g. "today 10:00" picked at 10:00:30) is refused rather than treated as "send now",
 * which has its own confirmation step.
 */
export function isFutureScheduleTime(at: Date, now: Date): boolean {
  return at.getTime() > now.getTime();
}
