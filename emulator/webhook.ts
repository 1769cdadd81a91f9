import crypto from "node:crypto";
import { hex, newMessageId, newUlid } from "./ids.js";
import type { ChannelState, EmulatorState } from "./state.js";

export type WebhookEventType = "follow" | "unfollow" | "message" | "postback" | "accountLink";

export interface WebhookEventInput {
  type: WebhookEventType;
  userId: string;
  text?: string;
  data?: string;
  params?: Record<string, string>;
  link?: { result: "ok" | "failed"; nonce: string };
  isRedelivery?: boolean;
  webhookEventId?: string;
  timestamp?: number;
  /** Sent from a group or multi-person chat the bot is in (source.type "group" / "room"), not 1:1. */
  groupId?: string;
  roomId?: string;
}

export interface WebhookResult {
  status: number | null;
  body: string;
  error?: string;
  sent: boolean;
  event?: Record<string, unknown>;
  payload: string;
  signature: string;
}

export const REPLY_TOKEN_TTL_MS = 60_000;

export function sign(body: string | Buffer, secret: string): string {
  return crypto.createHmac("sha256", secret).update(body).digest("base64");
}

/** Builds one spec-valid webhook Event and applies side effects (friendship, reply token). */
export function buildEvent(state: EmulatorState, cs: ChannelState, input: WebhookEventInput): Record<string, unknown> {
  const now = input.timestamp ?? Date.now();
  state.ensureUser(input.userId);
  const base: Record<string, unknown> = {
    type: input.type,
    timestamp: now,
    mode: "active",
    webhookEventId: input.webhookEventId ?? newUlid(now),
    deliveryContext: { isRedelivery: input.isRedelivery ?? false },
    source: input.groupId
      ? { type: "group", groupId: input.groupId, userId: input.userId }
      : input.roomId
        ? { type: "room", roomId: input.roomId, userId: input.userId }
        : { type: "user", userId: input.userId },
  };
  const issueReplyToken = (): string => {
    const t = hex(16);
    state.replyTokens.set(t, {
      channelId: cs.channel.channelId,
      userId: input.userId,
      expiresAt: now + REPLY_TOKEN_TTL_MS,
      used: false,
    });
    return t;
  };
  switch (input.type) {
    case "follow": {
      const prev = state.setFriendship(cs, input.userId, "friend");
      return {
        ...base,
        replyToken: issueReplyToken(),
        follow: { isUnblocked: prev === "blocked" },
      };
    }
    case "unfollow":
      state.setFriendship(cs, input.userId, "blocked");
      return base;
    case "message":
      return {
        ...base,
        replyToken: issueReplyToken(),
        message: {
          id: newMessageId(),
          type: "text",
          quoteToken: hex(16),
          text: input.text ?? "",
        },
      };
    case "postback":
      return {
        ...base,
        replyToken: issueReplyToken(),
        postback: input.params ? { data: input.data ?? "", params: input.params } : { data: input.data ?? "" },
      };
    case "accountLink": {
      const link = input.link ?? { result: "ok", nonce: "" };
      return link.result === "ok" ? { ...base, replyToken: issueReplyToken(), link } : { ...base, link };
    }
    default:
      throw new Error(`unsupported webhook event type ${String(input.type)}`);
  }
}

export async function postWebhook(
  state: EmulatorState,
  cs: ChannelState,
  payload: string,
  signature: string,
  opts: { timeoutMs: number; extraHeaders?: Record<string, string> },
): Promise<WebhookResult> {
  const url = cs.channel.webhookUrl;
  if (!url || !cs.channel.webhookActive) {
    state.logWebhook(cs, {
      time: Date.now(),
      url,
      body: payload,
      signature,
      error: "no webhook url configured",
    });
    return {
      status: null,
      body: "",
      sent: false,
      error: "no webhook url configured",
      payload,
      signature,
    };
  }
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "x-line-signature": signature,
        "user-agent": "LineBotWebhook/2.0",
        ...opts.extraHeaders,
      },
      body: payload,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const body = await res.text();
    state.logWebhook(cs, {
      time: Date.now(),
      url,
      body: payload,
      signature,
      status: res.status,
      responseBody: body.slice(0, 2000),
    });
    return { status: res.status, body, sent: true, payload, signature };
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    state.logWebhook(cs, {
      time: Date.now(),
      url,
      body: payload,
      signature,
      error,
    });
    return { status: null, body: "", sent: true, error, payload, signature };
  }
}

export async function sendEvents(
  state: EmulatorState,
  cs: ChannelState,
  inputs: WebhookEventInput[],
  timeoutMs: number,
): Promise<WebhookResult & { events: Record<string, unknown>[] }> {
  const events = inputs.map((i) => buildEvent(state, cs, i));
  const payload = JSON.stringify({ destination: cs.channel.botUserId, events });
  const signature = sign(payload, cs.channel.channelSecret);
  const r = await postWebhook(state, cs, payload, signature, { timeoutMs });
  return { ...r, event: events[0], events };
}
