// Retry-After (RFC 9110 §10.2.3): either delay-seconds ("120") or an HTTP-date. One reader for every
// adapter that honours it (LINE, HubSpot, Klaviyo).

/**
 * The wait a Retry-After header asks for, in milliseconds (0 for a date already past); undefined when
 * the header is absent or is neither a non-negative integer nor an HTTP-date.
 */
export function retryAfterMs(header: string | null | undefined, now: Date = new Date()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date names its day and month ("Tue, 01 Dec 2026 00:00:30 GMT"); Date.parse alone would
  // also read "-1" as a year.
  const at = /[a-z]{3}/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
