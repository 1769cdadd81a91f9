// The only place that builds @line/bot-sdk clients. Base URLs come from config so the same code talks
// to api.line.me in production and to the LINE emulator in the sandbox and tests.
import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { env } from "~/config/env.server";

export interface LineClients {
  messaging: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
}

export function lineClients(channelAccessToken: string): LineClients {
  const e = env();
  return {
    messaging: new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: e.LINE_API_BASE_URL }),
    blob: new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: e.LINE_API_DATA_BASE_URL }),
  };
}

export type LineErrorKind = "retryable" | "permanent" | "already-accepted";

export interface ClassifiedLineError {
  kind: LineErrorKind;
  status?: number;
  message: string;
  retryAfterMs?: number;
}

/**
 * Retryable: 429 (rate limit; LINE sends no Retry-After, so we back off), 5xx, network errors.
 * Permanent: other 4xx (never retried; recorded for the merchant).
 * Already accepted: 409 on a request with X-Line-Retry-Key — LINE accepted it before.
 * (developers.line.biz/en/docs/messaging-api/retrying-api-request/)
 */
export function classifyLineError(err: unknown): ClassifiedLineError {
  if (err instanceof HTTPFetchError) {
    const retryAfter = Number(err.headers.get("retry-after"));
    const base = { status: err.status, message: `${err.status} ${safeMessage(err.body)}` };
    if (err.status === 409) return { kind: "already-accepted", ...base };
    if (err.status === 429)
      return { kind: "retryable", ...base, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined };
    if (err.status >= 500) return { kind: "retryable", ...base };
    return { kind: "permanent", ...base };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: "retryable", message };
}

function safeMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    return parsed.message ?? body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}
