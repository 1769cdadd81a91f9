// Wall-clock time in a shop's IANA time zone (pure; Intl only).

/** Offset (ms) of `tz` at instant `at`: local wall time − UTC. */
export function zoneOffsetMs(at: Date, tz: string): number {
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

/** Milliseconds since local midnight at `at` in `tz`. */
export function localMsOfDay(at: Date, tz: string): number {
  const local = at.getTime() + zoneOffsetMs(at, tz);
  return ((local % 86_400_000) + 86_400_000) % 86_400_000;
}

/** "HH:MM" → minutes since midnight, or null. */
export function parseClock(s: string | null | undefined): number | null {
  if (!s) return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
