// Wall-clock time in a shop's IANA time zone: the one place that converts between instants and
// local dates / clock times (quiet hours, broadcast schedules, segment day boundaries, purchase
// days, birthday months). Built on Temporal (temporal-polyfill; docs/decisions/005-time-zones.md),
// which knows each zone's offset history, so no offset arithmetic is written here.
//
// Local times that do not exist or exist twice (DST) follow one rule everywhere:
//   - a gap (spring forward, e.g. 02:30 on 2026-03-08 in New York): the instant the gap ends, i.e.
//     the first instant whose wall clock shows that time or later (03:00 EDT);
//   - an overlap (fall back, e.g. 01:30 on 2026-11-01 in New York): the earlier of the two.
// Pure: `now` and instants are passed in.
import { Temporal } from "temporal-polyfill";

const DAY_MS = 86_400_000;
const validZones = new Map<string, boolean>();

/** Whether `tz` is an IANA time zone this runtime knows (e.g. "Asia/Tokyo"). */
export function isValidTimeZone(tz: string): boolean {
  let ok = validZones.get(tz);
  if (ok === undefined) {
    try {
      Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(tz);
      ok = true;
    } catch {
      ok = false;
    }
    validZones.set(tz, ok);
  }
  return ok;
}

function zoned(at: Date | number, tz: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(typeof at === "number" ? at : at.getTime()).toZonedDateTimeISO(tz);
}

/** Day number (days since 1970-01-01) of a "YYYY-MM-DD" calendar date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Math.round(Date.UTC(y!, m! - 1, d!) / DAY_MS);
}

/** "YYYY-MM-DD" of a day number. */
export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The local calendar date ("YYYY-MM-DD") in `tz` that contains instant `at`. */
export function localDate(at: Date | number, tz: string): string {
  return zoned(at, tz).toPlainDate().toString();
}

/** The local calendar day (as a day number) in `tz` that contains instant `at`. */
export function localDayNumber(at: Date | number, tz: string): number {
  const d = zoned(at, tz);
  return Math.round(Date.UTC(d.year, d.month - 1, d.day) / DAY_MS);
}

/** The first instant of local day `n` in `tz` (after a gap when midnight itself does not exist). */
export function startOfLocalDay(n: number, tz: string): Date {
  return startOfLocalDate(dateOfDayNumber(n), tz);
}

/** The first instant of local date "YYYY-MM-DD" in `tz`. */
export function startOfLocalDate(date: string, tz: string): Date {
  return new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: tz }).epochMilliseconds);
}

/** Local wall-clock reading of instant `at` in `tz`. */
export interface WallClock {
  /** "YYYY-MM-DD" */
  date: string;
  /** "HH:MM" (24 h) */
  time: string;
  /** Minutes since local midnight as the clock shows it (0–1439). */
  minuteOfDay: number;
  /** 1–12 */
  month: number;
}

export function wallClock(at: Date | number, tz: string): WallClock {
  const z = zoned(at, tz);
  const minuteOfDay = z.hour * 60 + z.minute;
  return { date: z.toPlainDate().toString(), time: formatClock(minuteOfDay), minuteOfDay, month: z.month };
}

/**
 * Every instant at which local date "YYYY-MM-DD" shows `minuteOfDay` (0–1439) in `tz`, earliest
 * first: one normally, two in an overlap, and in a gap the single instant the gap ends. Throws
 * RangeError for an unknown zone or a date that is not a calendar date.
 */
function occurrences(date: string, minuteOfDay: number, tz: string): Date[] {
  const wall = Temporal.PlainDate.from(date, { overflow: "reject" }).toPlainDateTime({
    hour: Math.floor(minuteOfDay / 60),
    minute: minuteOfDay % 60,
  });
  const earlier = wall.toZonedDateTime(tz, { disambiguation: "earlier" });
  // In a gap Temporal's "earlier" reads the wall time with the offset after the gap, which lands
  // before the gap (the bug of computing 01:30 for 02:30); the gap ends at the next transition.
  if (Temporal.PlainDateTime.compare(earlier.toPlainDateTime(), wall) !== 0)
    return [new Date(earlier.getTimeZoneTransition("next")!.epochMilliseconds)];
  const later = wall.toZonedDateTime(tz, { disambiguation: "later" });
  return later.epochMilliseconds === earlier.epochMilliseconds
    ? [new Date(earlier.epochMilliseconds)]
    : [new Date(earlier.epochMilliseconds), new Date(later.epochMilliseconds)];
}

/**
 * The instant local date "YYYY-MM-DD" at `minuteOfDay` (0–1439) happens in `tz`, by the rule at
 * the top of this file (gap → when the gap ends; overlap → the earlier). Throws RangeError for an
 * unknown zone or a date that is not a calendar date.
 */
export function zonedInstant(date: string, minuteOfDay: number, tz: string): Date {
  return occurrences(date, minuteOfDay, tz)[0]!;
}

/**
 * The first instant strictly after `at` at which the local clock in `tz` shows `minuteOfDay`
 * (on a day where that time is skipped, the end of the gap; where it happens twice, each counts).
 */
export function nextLocalTime(at: Date, minuteOfDay: number, tz: string): Date {
  const today = localDayNumber(at, tz);
  for (let d = today; d <= today + 2; d++) for (const t of occurrences(dateOfDayNumber(d), minuteOfDay, tz)) if (t > at) return t;
  throw new RangeError(`No local ${formatClock(minuteOfDay)} after ${at.toISOString()} in ${tz}`);
}

/** "HH:MM" (24 h) → minutes since midnight, or null when it is not a clock time. */
export function parseClock(s: string | null | undefined): number | null {
  if (!s) return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/** Minutes since midnight → "HH:MM". */
export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
