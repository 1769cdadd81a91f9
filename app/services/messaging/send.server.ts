// The shared outbound LINE messaging service. Every send is a MessageSend row created BEFORE the
// call with a UUID X-Line-Retry-Key (or the caller's stored key), so a retried job finds the same
// row and the same key: LINE accepts a key once within 24 h and answers 409 to a repeat
// (developers.line.biz/en/docs/messaging-api/retrying-api-request/). The policy (opt-out, blocked,
// frequency cap, quiet hours) is re-checked at the moment of sending.
// LINE's outcome (app/domain/messaging/line-outcome.ts): sent or duplicate → sent; rate-limited or
// transient → throw (the job retries with the same key); quota-exceeded, invalid or unauthorized →
// failed with the reason (never retried: the same request would be refused again).
import crypto from "node:crypto";
import type { Friend, MessageSend, Shop } from "@prisma/client";
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
  /**
   * The shop and friend rows the caller already read in this job (a reminder's send reads both), so
   * they are not read again; the policy is checked against them. Read here when absent.
   */
  loaded?: { shop: Shop; friend: Friend };
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

/**
 * The policy decision for one friend right now, with the shop and friend rows it was taken on (the
 * caller's rows from this job, or read here); `friend: null` when the friend is not the shop's.
 */
async function decideSend(
  input: SendPushInput,
  now: Date,
  excludeSendId?: number,
): Promise<{ shop: Shop; friend: null } | { shop: Shop; friend: Friend; decision: SendDecision }> {
  const { shopId, friendId, kind } = input;
  const shop = input.loaded?.shop ?? (await db().shop.findUniqueOrThrow({ where: { id: shopId } }));
  const friend = input.loaded?.friend ?? (await db().friend.findFirst({ where: { id: friendId, shopId } }));
  if (!friend) return { shop, friend: null };
  const policy = await loadMessagingPolicy(shop);
  const category = categoryOfKind(kind);
  const recent =
    category === "marketing" && policy.frequencyCap
      ? await recentMarketingSends(shopId, friendId, now, policy.frequencyCap.windowDays, excludeSendId)
      : [];
  const decision = checkSendAllowed({ friend, kind: category, recentMarketingSends: recent, policy, now, timeZone: shop.timezone });
  return { shop, friend, decision };
}

async function skip(sendId: number, reason: string): Promise<SendResult> {
  await db().messageSend.update({ where: { id: sendId }, data: { status: "skipped", error: reason } });
  return { status: "skipped", sendId, reason };
}

/**
 * Sends `messages` to one friend under the shared policy (header comment). Throws RetryableSendError
 * (the job retries with the same key) and, before anything is recorded, an Error when `loaded` holds
 * rows that are not shop `shopId`'s friend `friendId`.
 */
export async function sendPush(input: SendPushInput): Promise<SendResult> {
  const { loaded } = input;
  if (loaded && (loaded.shop.id !== input.shopId || loaded.friend.id !== input.friendId || loaded.friend.shopId !== input.shopId))
    throw new Error(`sendPush: the loaded rows are not shop ${input.shopId}'s friend ${input.friendId}`);
  const now = input.now ?? new Date();
  const row = await findOrCreateSend(input);
  if (row.status === "sent") return { status: "sent", sendId: row.id, already: true };
  if (row.status === "failed" || row.status === "skipped") return { status: row.status, sendId: row.id, reason: row.error ?? row.status };

  const decided = await decideSend(input, now, row.id);
  if (decided.friend === null) return skip(row.id, "unknown_friend");
  const { decision, shop, friend } = decided;
  if (!decision.allowed) {
    if ("deferUntil" in decision) return { status: "deferred", sendId: row.id, until: decision.deferUntil, reason: "quiet_hours" };
    return skip(row.id, decision.skip);
  }
  const secrets = lineSecrets(shop);
  if (!secrets || shop.uninstalledAt) return skip(row.id, "no_line_channel");
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
