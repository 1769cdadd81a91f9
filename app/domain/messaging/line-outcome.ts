// What became of one call to LINE, in the words every sender switches on (pure). The adapter
// (app/adapters/line/client.server.ts classifyLineError) turns LINE's status and body into one of these.
//
// LINE's "Status codes" (Messaging API reference) and "Retrying a failed API request"
// (developers.line.biz/en/docs/messaging-api/retrying-api-request/): retry on 5xx and timeouts, never
// on 4xx; a request repeated with an accepted X-Line-Retry-Key answers 409; 429 is either the rate
// limit or "You have reached your monthly limit." (shared/reference/line-platform-facts.md §2, §5).

/**
 * - sent: LINE accepted the request.
 * - duplicate: 409 to a request carrying an X-Line-Retry-Key LINE already accepted (it was sent before).
 * - rate-limited: 429 over the channel's per-endpoint rate limit; the same request may pass shortly.
 * - quota-exceeded: 429 "You have reached your monthly limit."; nothing passes until the quota resets.
 * - invalid: LINE refuses this request as sent (400, and any other 4xx such as 404 for an unknown user or menu).
 * - unauthorized: 401 (bad channel access token) or 403 (not allowed for the channel's plan or permissions).
 * - transient: 5xx, a timeout or no answer at all; the same request may pass later.
 */
export type LineOutcomeKind = "sent" | "duplicate" | "rate-limited" | "quota-exceeded" | "invalid" | "unauthorized" | "transient";

/** Every outcome but "sent". */
export type LineFailureKind = Exclude<LineOutcomeKind, "sent">;

/** Whether the very same request (same retry key) may succeed if it is tried again later. */
export function isRetryableLineOutcome(kind: LineOutcomeKind): boolean {
  return kind === "rate-limited" || kind === "transient";
}
