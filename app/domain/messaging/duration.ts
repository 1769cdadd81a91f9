// ISO-8601 durations (PT1H, PT30S, P1D, P1DT2H30M, P2W). Years and months have no fixed length, so
// they are refused rather than guessed: a reminder delay is always days or less in practice.

const RE = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds of an ISO-8601 duration, or null when it is not one we accept. */
export function parseIsoDuration(input: string): number | null {
  const s = input.trim().toUpperCase();
  const m = RE.exec(s);
  if (!m) return null;
  if (s === "P" || s.endsWith("T")) return null;
  const [, w, d, h, min, sec] = m;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  const ms = n(w) * 7 * DAY + n(d) * DAY + n(h) * HOUR + n(min) * MINUTE + n(sec) * SECOND;
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** The shortest canonical ISO-8601 form of a millisecond duration (whole seconds). */
export function formatIsoDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / SECOND));
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  let out = "P";
  if (days) out += `${days}D`;
  if (hours || minutes || seconds) {
    out += "T";
    if (hours) out += `${hours}H`;
    if (minutes) out += `${minutes}M`;
    if (seconds) out += `${seconds}S`;
  }
  return out === "P" ? "PT0S" : out;
}

/** Hours/minutes/seconds of a duration, for a duration picker. */
export function durationParts(ms: number): { hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.round(ms / SECOND));
  return { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}
