// Shop-local calendar arithmetic. Segment dates are calendar days in the shop's IANA time zone
// (Shop.timezone), so every boundary is "start of a local day" converted to an instant.
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in `tz`. */
function wall(at: number, tz: string) {
  const p: Record<string, number> = {};
  for (const x of parts(tz).formatToParts(new Date(at))) if (x.type !== "literal") p[x.type] = Number(x.value);
  return p as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Offset (local − UTC, ms) of `tz` at instant `at`. */
function offsetAt(at: number, tz: string): number {
  const w = wall(at, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    parts(tz);
    return true;
  } catch {
    return false;
  }
}

/** Day number (days since 1970-01-01) of a "YYYY-MM-DD" calendar date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Math.round(Date.UTC(y!, m! - 1, d!) / DAY_MS);
}

export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The shop-local calendar day (as a day number) that contains instant `at`. */
export function localDayNumber(at: Date | number, tz: string): number {
  const t = typeof at === "number" ? at : at.getTime();
  const w = wall(t, tz);
  return Math.round(Date.UTC(w.year, w.month - 1, w.day) / DAY_MS);
}

/** The instant local day `n` starts in `tz` (handles DST: the first instant whose local date is n). */
export function startOfLocalDay(n: number, tz: string): Date {
  const guess = n * DAY_MS;
  let t = guess - offsetAt(guess, tz);
  const o2 = offsetAt(t, tz);
  t = guess - o2;
  // A zone whose midnight does not exist that day (DST gap at 00:00): take the first local instant of the day.
  if (localDayNumber(t, tz) !== n) t = guess - offsetAt(guess - o2 + DAY_MS / 2, tz);
  return new Date(t);
}

export function startOfLocalDate(date: string, tz: string): Date {
  return startOfLocalDay(dayNumber(date), tz);
}
