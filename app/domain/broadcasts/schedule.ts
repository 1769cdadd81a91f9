// Shop-time-zone conversions (pure).

/** Offset (ms) of `tz` at instant `at`: local wall time − UTC. */
export function tzOffsetMs(at: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** "2025-03-01" + "09:30" in the shop's time zone → the UTC instant. */
export function localToUtc(date: string, time: string, tz: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m || !t) throw new Error("Invalid date or time");
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(t[1]), Number(t[2]));
  let at = new Date(guess - tzOffsetMs(new Date(guess), tz));
  // Second pass settles DST edges.
  at = new Date(guess - tzOffsetMs(at, tz));
  return at;
}

export function utcToLocalParts(at: Date, tz: string): { date: string; time: string } {
  const local = new Date(at.getTime() + tzOffsetMs(at, tz));
  const iso = local.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/**
 * Whether a chosen send time may be scheduled: strictly after `now`. A time that has passed (even by
 * seconds, e.g. "today 10:00" picked at 10:00:30) is refused rather than treated as "send now",
 * which has its own confirmation step.
 */
export function isFutureScheduleTime(at: Date, now: Date): boolean {
  return at.getTime() > now.getTime();
}
