// The one place a user-supplied redirect target is accepted (OWASP "Unvalidated Redirects and
// Forwards" cheat sheet: allow only local paths). Browsers resolve `//host`, `/\host`, `\\host` and
// control-character variants ("/\t/host") as another origin (WHATWG URL: backslash is a path
// separator for special schemes; tab/newline are stripped), so a leading "/" is not enough.

/**
 * `target` when it is a same-origin relative path (`/app/x?y#z`), else `fallback`.
 *
 * Accepted: starts with exactly one "/" followed by a path character; resolving it against any
 * origin keeps that origin. Refused: empty, absolute URLs and schemes (`https:`, `javascript:`),
 * protocol-relative `//host`, backslash variants (`/\host`, `\/host`), ASCII control characters or
 * whitespace anywhere, and percent-encoded slashes/backslashes at the start (`/%2F%2Fhost`,
 * `/%5Chost`), which some servers and frameworks decode before redirecting again. The result is
 * the normalised path (dot segments resolved), checked again after normalising.
 *
 * @param target the raw value from a query string or form (already URL-decoded once).
 * @param fallback a constant same-origin path, returned for anything refused.
 */
export function safeRedirectPath(target: string | null | undefined, fallback: string): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return fallback;
  if (/[\u0000-\u0020\u007f\\]/.test(target)) return fallback;
  if (!target.startsWith("/") || target.startsWith("//")) return fallback;
  if (/^\/%(2f|5c)/i.test(target)) return fallback;
  // Belt and braces: resolving against a sentinel origin must keep the origin and the path.
  const base = "https://same-origin.invalid";
  let resolved: URL;
  try {
    resolved = new URL(target, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base) return fallback;
  // Dot segments can collapse into a protocol-relative path ("/.//host" → "//host").
  const path = resolved.pathname + resolved.search + resolved.hash;
  return path.startsWith("//") ? fallback : path;
}
