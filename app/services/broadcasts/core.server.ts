// What the admin side (broadcasts.server.ts) and the delivery side (delivery.server.ts) of broadcasts
// share: the stored message list's shape and the error type routes turn into plain messages.
import { z } from "zod";

export const MessagesSchema = z
  .array(z.record(z.string(), z.unknown()).and(z.object({ type: z.string() })))
  .min(1)
  .max(5);

export type BroadcastErrorCode =
  | "not_found"
  | "invalid_state"
  | "over_quota"
  | "too_many_personalized"
  | "no_line_channel"
  | "invalid"
  /** checkMessages found what LINE would refuse; details: MessageProblem[]. */
  | "invalid_message"
  /** LINE's validate endpoint refused the messages; details: LINE's error details. */
  | "line_refused_message"
  /** A schedule time that is not in the future (it would have gone out at once). */
  | "schedule_in_past"
  | "no_test_friends";

export class BroadcastError extends Error {
  constructor(
    public code: BroadcastErrorCode,
    message: string,
    public details?: unknown,
  ) {
    super(message);
  }
}
