// The LINE channel adapter: the only place that builds @line/bot-sdk clients and the only place that
// reads LINE's errors. Base URLs come from config so the same code talks to api.line.me in production
// and to the LINE emulator in the sandbox and tests. Every operation answers in one vocabulary
// (app/domain/messaging/line-outcome.ts): sends return their outcome, other calls throw a LineError
// carrying it, so services switch on `kind` and never on LINE's status codes or error text.
import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { env } from "~/config/env.server";
import { retryAfterMs } from "~/domain/http/retry-after";
import type { LineFailureKind } from "~/domain/messaging/line-outcome";

export interface LineClients {
  messaging: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
}

/** The SDK clients for one channel; only adapters in app/adapters/line/ use them. */
export function lineClients(channelAccessToken: string): LineClients {
  const e = env();
  return {
    messaging: new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: e.LINE_API_BASE_URL }),
    blob: new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: e.LINE_API_DATA_BASE_URL }),
  };
}

/** One field LINE named in a 400 (ErrorResponse.details: `{message, property}`, messaging-api.yml). */
export interface LineErrorDetail {
  property?: string;
  message?: string;
}

/** A call LINE did not accept, classified. `message` is `<status> <LINE's message>` for logs (no PII). */
export interface LineFailure {
  kind: LineFailureKind;
  /** HTTP status; absent when LINE never answered (network error, timeout). */
  status?: number;
  message: string;
  /** From a Retry-After header (LINE documents none; honoured when present). */
  retryAfterMs?: number;
  /** ErrorResponse.details of a 400, e.g. `[{property: "messages[0].text", message: "…"}]`. */
  details?: LineErrorDetail[];
}

/** The outcome of a send: sent (with LINE's x-line-request-id) or why not. */
export type LineOutcome = { kind: "sent"; requestId: string | null } | LineFailure;

/** Thrown by the adapter's non-send operations; `failure` says what happened. */
export class LineError extends Error {
  constructor(readonly failure: LineFailure) {
    super(`LINE: ${failure.kind} (${failure.message})`);
    this.name = "LineError";
  }
}

const MONTHLY_LIMIT = /monthly limit/i;

/**
 * The single classification of a failed LINE call (table: client.server.test.ts):
 * - 409 to a request that carried X-Line-Retry-Key → duplicate (already accepted; LINE's retry doc);
 *   a 409 without one is an ordinary refusal → invalid.
 * - 429 whose message is "You have reached your monthly limit." → quota-exceeded; other 429 → rate-limited
 *   (LINE reference "Rate limits": both answer 429, only the message tells them apart).
 * - 401, 403 → unauthorized. 5xx → transient. Other 4xx → invalid.
 * - Not an HTTP answer (the SDK's `TypeError: fetch failed`, a timeout) → transient.
 * A LineError passes through unchanged.
 */
export function classifyLineError(err: unknown, opts: { retryKeySent?: boolean } = {}): LineFailure {
  if (err instanceof LineError) return err.failure;
  if (!(err instanceof HTTPFetchError)) return { kind: "transient", message: err instanceof Error ? err.message : String(err) };
  const { status } = err;
  const body = parseErrorBody(err.body);
  const base = { status, message: `${status} ${body.message}` };
  if (status === 409 && opts.retryKeySent) return { kind: "duplicate", ...base };
  if (status === 429) {
    if (MONTHLY_LIMIT.test(body.message)) return { kind: "quota-exceeded", ...base };
    const wait = retryAfterMs(err.headers.get("retry-after"));
    return { kind: "rate-limited", ...base, ...(wait ? { retryAfterMs: wait } : {}) };
  }
  if (status === 401 || status === 403) return { kind: "unauthorized", ...base };
  if (status >= 500) return { kind: "transient", ...base };
  return { kind: "invalid", ...base, ...(body.details.length ? { details: body.details } : {}) };
}

/** LINE's ErrorResponse `{message, details?}`; anything else is kept as (at most 200 chars of) text. */
function parseErrorBody(text: string): { message: string; details: LineErrorDetail[] } {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; details?: unknown };
    if (parsed && typeof parsed.message === "string")
      return { message: parsed.message, details: Array.isArray(parsed.details) ? (parsed.details as LineErrorDetail[]) : [] };
  } catch {
    // not JSON: a proxy's or load balancer's page
  }
  return { message: text.slice(0, 200), details: [] };
}

/** Runs one SDK call; a failure is rethrown as a classified LineError. */
async function lineCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new LineError(classifyLineError(err));
  }
}

/** Runs one send (push, multicast, reply …) and answers its outcome; it never throws for LINE's answers. */
async function lineSend(fn: () => Promise<{ httpResponse: Response }>, retryKeySent: boolean): Promise<LineOutcome> {
  try {
    const res = await fn();
    return { kind: "sent", requestId: res.httpResponse.headers.get("x-line-request-id") };
  } catch (err) {
    return classifyLineError(err, { retryKeySent });
  }
}

/**
 * LINE message objects (1..5 per request; messaging-api.yml Message). Callers build and check them
 * (app/domain/broadcasts/validate.ts); LINE answers `invalid` with `details` for anything it refuses.
 */
export type LineMessages = readonly unknown[];

/**
 * The Messaging API operations the app uses, for one channel. Sends take the caller's stored
 * X-Line-Retry-Key (a UUID; LINE accepts a key once within 24 h — push, multicast, narrowcast and
 * broadcast only; elsewhere LINE answers 400) and answer a LineOutcome; the rest throw LineError.
 */
class LineChannel {
  private readonly messaging: messagingApi.MessagingApiClient;

  constructor(channelAccessToken: string) {
    this.messaging = lineClients(channelAccessToken).messaging;
  }

  /** POST /v2/bot/message/push to one user. */
  push(p: { to: string; messages: LineMessages; retryKey: string }): Promise<LineOutcome> {
    return lineSend(() => this.messaging.pushMessageWithHttpInfo({ to: p.to, messages: p.messages as never }, p.retryKey), true);
  }

  /** POST /v2/bot/message/multicast to 1..500 users. */
  multicast(p: { to: string[]; messages: LineMessages; retryKey: string }): Promise<LineOutcome> {
    if (p.to.length < 1 || p.to.length > 500) throw new Error("multicast takes 1–500 recipients");
    return lineSend(() => this.messaging.multicastWithHttpInfo({ to: p.to, messages: p.messages as never }, p.retryKey), true);
  }

  /** POST /v2/bot/message/reply with a webhook event's reply token (single use, no retry key: free of quota). */
  reply(p: { replyToken: string; messages: LineMessages }): Promise<LineOutcome> {
    return lineSend(() => this.messaging.replyMessageWithHttpInfo({ replyToken: p.replyToken, messages: p.messages as never }), false);
  }

  /**
   * Asks LINE whether it would accept the messages (POST /v2/bot/message/validate/{push|multicast});
   * `invalid` carries LINE's details.
   */
  validate(kind: "push" | "multicast", messages: LineMessages): Promise<LineOutcome> {
    const body = { messages: messages as never };
    return lineSend(
      () => (kind === "push" ? this.messaging.validatePushWithHttpInfo(body) : this.messaging.validateMulticastWithHttpInfo(body)),
      false,
    );
  }

  /** POST /v2/bot/user/{userId}/linkToken → a link token (10 minutes, single use; friends only). */
  async issueLinkToken(userId: string): Promise<string> {
    return (await lineCall(() => this.messaging.issueLinkToken(userId))).linkToken;
  }

  /** GET /v2/bot/profile/{userId} (404 → invalid when the user is not, or no longer, a friend). */
  profile(userId: string): Promise<{ displayName: string; pictureUrl?: string; language?: string }> {
    return lineCall(() => this.messaging.getProfile(userId));
  }

  /** GET /v2/bot/info: the channel's bot (checks that the access token works). */
  botInfo(): Promise<{ userId: string; displayName: string; basicId?: string }> {
    return lineCall(() => this.messaging.getBotInfo());
  }

  /** GET /v2/bot/message/quota and /quota/consumption: the monthly limit (`none` = no limit) and this month's usage. */
  async quota(): Promise<{ type: "none" | "limited"; value?: number; totalUsage: number }> {
    const [quota, consumption] = await Promise.all([
      lineCall(() => this.messaging.getMessageQuota()),
      lineCall(() => this.messaging.getMessageQuotaConsumption()),
    ]);
    return { type: quota.type === "limited" ? "limited" : "none", value: quota.value, totalUsage: consumption.totalUsage };
  }
}

/** The channel adapter for an access token (lineSecrets(shop).channelAccessToken). */
export function lineChannel(channelAccessToken: string): LineChannel {
  return new LineChannel(channelAccessToken);
}
