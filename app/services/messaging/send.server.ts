// The shared outbound LINE messaging service. Every send is a MessageSend row created BEFORE the
// call with a UUID X-Line-Retry-Key (or the caller's stored key), so a retried job finds the same
// row and the same key: LINE accepts a key once within 24 h and answers 409 to a repeat
// (developers.line.biz/en/docs/messaging-api/retrying-api-request/). The policy (opt-out, blocked,
// frequency cap, quiet hours) is re-checked at the moment of sending.
// LINE's outcome (app/domain/messaging/line-outcome.ts): sent or duplicate → sent; rate-limited or
// transient → throw (the job retries with the same key); quota-exceeded, invalid or unauthorized →
// failed with the reason (never retried: the same request would be refused again).
import crypto from "node:crypto";
import type { MessageSend } from "@prisma/client";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { lineChannel } from "~/adapters/line/client.server";
import { childLogger } from "~/adapters/logger.server";
import { categoryOfKind, checkSendAllowed, type SendDecision } from "~/domain/messaging/policy";
import { loadMessagingPolicy } from "~/db/settings/messaging-policy.server";
import { recentMarketingSends } from "./policy.server";
import { timelineBoundWhere, type TimelineBound } from "~/domain/friends/timeline";

/** MessageSend.kind: reminder | broadcast | automation (marketing) · transactional | test. */
export type SendKind = "reminder" | "broadcast" | "automation" | "transactional" | "test";

export interface SendPushInput {
  shopId: number;
  friendId: number;
  kind: SendKind;
  sourceType: string;
  sourceId?: number | null;
  /** LINE message objects (1..5). */
  messages: unknown[];
  /** A key the caller stored (Reminder.retryKey …); else one is found/created per (source, friend). */
  retryKey?: string;
  now?: Date;
}

export type SendResult =
  | { status: "sent"; sendId: number; already: boolean }
  | { status: "skipped"; sendId: number; reason: string }
  | { status: "deferred"; sendId: number; until: Date; reason: "quiet_hours" }
  | { status: "failed"; sendId: number; reason: string };

export class RetryableSendError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "RetryableSendError";
  }
}

async function findOrCreateSend(input: SendPushInput): Promise<MessageSend> {
  const base = {
    shopId: input.shopId,
    friendId: input.friendId,
    kind: input.kind,
    sourceType: input.sourceType,
    sourceId: input.sourceId ?? null,
  };
  if (input.retryKey) {
    return db().messageSend.upsert({ where: { retryKey: input.retryKey }, create: { ...base, retryKey: input.retryKey }, update: {} });
  }
  const existing = await db().messageSend.findFirst({
    where: {
      shopId: input.shopId,
      friendId: input.friendId,
      sourceType: input.sourceType,
      sourceId: input.sourceId ?? null,
      kind: input.kind,
    },
    orderBy: { id: "desc" },
  });
  if (existing && existing.status !== "failed") return existing;
  return db().messageSend.create({ data: { ...base, retryKey: crypto.randomUUID() } });
}

/** The policy decision for one friend right now (reads the friend's latest state). */
async function decideSend(
  shopId: number,
  friendId: number,
  kind: SendKind,
  now: Date,
  excludeSendId?: number,
): Promise<SendDecision | { allowed: false; skip: "unknown_friend" }> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  const friend = await db().friend.findFirst({ where: { id: friendId, shopId } });
  if (!friend) return { allowed: false, skip: "unknown_friend" };
  const policy = await loadMessagingPolicy(shop);
  const category = categoryOfKind(kind);
  const recent =
    category === "marketing" && policy.frequencyCap
      ? await recentMarketingSends(shopId, friendId, now, policy.frequencyCap.windowDays, excludeSendId)
      : [];
  return checkSendAllowed({ friend, kind: category, recentMarketingSends: recent, policy, now, timeZone: shop.timezone });
}

export async function sendPush(input: SendPushInput): Promise<SendResult> {
  const now = input.now ?? new Date();
  const row = await findOrCreateSend(input);
  if (row.status === "sent") return { status: "sent", sendId: row.id, already: true };
  if (row.status === "failed" || row.status === "skipped") return { status: row.status, sendId: row.id, reason: row.error ?? row.status };

  const decision = await decideSend(input.shopId, input.friendId, input.kind, now, row.id);
  if (!decision.allowed) {
    if ("deferUntil" in decision) return { status: "deferred", sendId: row.id, until: decision.deferUntil, reason: "quiet_hours" };
    await db().messageSend.update({ where: { id: row.id }, data: { status: "skipped", error: decision.skip } });
    return { status: "skipped", sendId: row.id, reason: decision.skip };
  }

  const shop = await db().shop.findUniqueOrThrow({ where: { id: input.shopId } });
  const secrets = lineSecrets(shop);
  if (!secrets || shop.uninstalledAt) {
    await db().messageSend.update({ where: { id: row.id }, data: { status: "skipped", error: "no_line_channel" } });
    return { status: "skipped", sendId: row.id, reason: "no_line_channel" };
  }
  const friend = await db().friend.findUniqueOrThrow({ where: { id: input.friendId }, select: { lineUserId: true } });
  const outcome = await lineChannel(secrets.channelAccessToken).push({
    to: friend.lineUserId,
    messages: input.messages,
    retryKey: row.retryKey,
  });
  switch (outcome.kind) {
    case "sent":
    case "duplicate":
      await db().messageSend.update({
        where: { id: row.id },
        data: { status: "sent", sentAt: new Date(), error: null, requestId: outcome.kind === "sent" ? outcome.requestId : null },
      });
      return { status: "sent", sendId: row.id, already: outcome.kind === "duplicate" };
    case "rate-limited":
    case "transient":
      await db().messageSend.update({ where: { id: row.id }, data: { attempts: { increment: 1 }, error: outcome.message.slice(0, 300) } });
      throw new RetryableSendError(`LINE push not accepted yet: ${outcome.message}`, outcome.retryAfterMs);
    case "quota-exceeded":
    case "invalid":
    case "unauthorized":
      childLogger({ shop: shop.domain, sendId: row.id }).warn({ outcome: outcome.kind, status: outcome.status }, "push refused");
      await db().messageSend.update({
        where: { id: row.id },
        data: { status: "failed", error: outcome.message.slice(0, 300), attempts: { increment: 1 } },
      });
      return { status: "failed", sendId: row.id, reason: outcome.message };
  }
}

export interface FriendMessage {
  id: number;
  kind: string;
  sourceType: string | null;
  sourceId: number | null;
  status: string;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/**
 * Every send recorded for a friend, newest first (the merchant's "message history"), by createdAt
 * then id. `before`: only sends created earlier; `after`: only sends after a timeline cursor
 * (app/domain/friends/timeline.ts afterCursor) — the friend page's keyset paging.
 */
export async function friendMessageHistory(
  shopId: number,
  friendId: number,
  opts: { limit?: number; before?: Date; after?: TimelineBound | null } = {},
): Promise<FriendMessage[]> {
  return db().messageSend.findMany({
    where: {
      shopId,
      friendId,
      ...(opts.before ? { createdAt: { lt: opts.before } } : {}),
      ...(opts.after ? timelineBoundWhere(opts.after, "createdAt") : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(opts.limit ?? 100, 500),
    select: { id: true, kind: true, sourceType: true, sourceId: true, status: true, error: true, createdAt: true, sentAt: true },
  });
}
