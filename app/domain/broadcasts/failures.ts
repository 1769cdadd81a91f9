// Why a send failed, as a reason a merchant can act on (pure). Stored in BroadcastBatch.error and
// MessageSend.error; the broadcast page turns the reason into plain words. LINE's own error text
// ("400 The request body has 1 error(s)") is never stored as the reason.
//
// LINE status codes (Messaging API reference, "Status codes"; line-platform-facts.md §5):
// 400 the request is invalid (message content) · 401 bad channel access token · 403 not allowed for
// the channel's plan or permissions · 429 rate limit OR "You have reached your monthly limit." ·
// 5xx LINE server error.

const SEND_FAILURE_REASONS = [
  "quota_exceeded",
  "message_rejected",
  "channel_unauthorized",
  "line_unavailable",
  "no_line_channel",
  "cancelled",
  "unknown",
] as const;
export type SendFailureReason = (typeof SEND_FAILURE_REASONS)[number];

/** A LINE error as the adapter classified it: HTTP status (absent for network errors) and LINE's message. */
export type LineFailure = { status?: number; message: string };

export function isMonthlyLimit(f: LineFailure): boolean {
  return f.status === 429 && /monthly limit/i.test(f.message);
}

/** The merchant-facing reason for a failed LINE send. */
export function sendFailureReason(f: LineFailure): SendFailureReason {
  if (isMonthlyLimit(f)) return "quota_exceeded";
  if (f.status === 400) return "message_rejected";
  if (f.status === 401 || f.status === 403) return "channel_unauthorized";
  if (f.status === undefined || f.status === 429 || f.status >= 500) return "line_unavailable";
  return "unknown";
}

/** A stored reason back as a known reason; rows written before reasons existed read as "unknown". */
export function storedFailureReason(stored: string | null | undefined): SendFailureReason {
  if (stored === "no LINE channel") return "no_line_channel";
  return (SEND_FAILURE_REASONS as readonly string[]).includes(stored ?? "") ? (stored as SendFailureReason) : "unknown";
}
