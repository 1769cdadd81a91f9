// Why a send failed, as a reason a merchant can act on (pure). Stored in BroadcastBatch.error and
// MessageSend.error; the broadcast page turns the reason into plain words. LINE's own error text
// ("400 The request body has 1 error(s)") is never stored as the reason.
//
// The reason follows LINE's outcome as the adapter classified it (app/domain/messaging/line-outcome.ts).
import type { LineFailureKind } from "~/domain/messaging/line-outcome";

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

const REASON_OF_OUTCOME: Record<Exclude<LineFailureKind, "duplicate">, SendFailureReason> = {
  "quota-exceeded": "quota_exceeded",
  invalid: "message_rejected",
  unauthorized: "channel_unauthorized",
  "rate-limited": "line_unavailable",
  transient: "line_unavailable",
};

/** The merchant-facing reason for a LINE send that failed (a duplicate was sent before: not a failure). */
export function sendFailureReason(kind: Exclude<LineFailureKind, "duplicate">): SendFailureReason {
  return REASON_OF_OUTCOME[kind];
}

/** A stored reason back as a known reason; rows written before reasons existed read as "unknown". */
export function storedFailureReason(stored: string | null | undefined): SendFailureReason {
  if (stored === "no LINE channel") return "no_line_channel";
  return (SEND_FAILURE_REASONS as readonly string[]).includes(stored ?? "") ? (stored as SendFailureReason) : "unknown";
}
