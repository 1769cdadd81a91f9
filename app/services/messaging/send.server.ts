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
import { mapLimit } from "~/domain/concurrency";
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

/** Pushes to LINE in flight at once per batch (sendPushes): LINE allows 2,000 push requests/s per channel. */
const PUSH_CONCURRENCY = 8;

/** One push under way: what the caller asked for and its MessageSend row (created before the call). */
interface Pending {
  input: SendPushInput;
  row: MessageSend;
}

type Delivered = SendResult | RetryableSendError;

function checkLoaded(input: SendPushInput) {
  const { loaded } = input;
  if (loaded && (loaded.shop.id !== input.shopId || loaded.friend.id !== input.friendId || loaded.friend.shopId !== input.shopId))
    throw new Error(`sendPush: the loaded rows are not shop ${input.shopId}'s friend ${input.friendId}`);
}

/** The shop and friends the pushes are decided on: the callers' rows from this job, else read here (one query). */
async function loadRows(pending: Pending[]): Promise<{ shop: Shop; friends: Map<number, Friend> }> {
  const { shopId } = pending[0]!.input;
  const shop = pending.find((p) => p.input.loaded)?.input.loaded!.shop ?? (await db().shop.findUniqueOrThrow({ where: { id: shopId } }));
  const friends = new Map<number, Friend>();
  for (const p of pending) if (p.input.loaded) friends.set(p.input.friendId, p.input.loaded.friend);
  const missing = [...new Set(pending.map((p) => p.input.friendId).filter((id) => !friends.has(id)))];
  if (missing.length)
    for (const f of await db().friend.findMany({ where: { shopId, id: missing.length === 1 ? missing[0] : { in: missing } } }))
      friends.set(f.id, f);
  return { shop, friends };
}

/**
 * Rows already settled are answered as they stand; for the rest the policy is decided now, the
 * allowed ones are pushed (PUSH_CONCURRENCY at a time) and every outcome is recorded. All pending
 * rows are one shop's. Answers in `pending` order; a RetryableSendError where sendPush throws one.
 */
async function deliver(pending: Pending[]): Promise<Delivered[]> {
  const results: Delivered[] = new Array(pending.length);
  const open: number[] = [];
  pending.forEach(({ row }, k) => {
    if (row.status === "sent") results[k] = { status: "sent", sendId: row.id, already: true };
    else if (row.status === "failed" || row.status === "skipped")
      results[k] = { status: row.status, sendId: row.id, reason: row.error ?? row.status };
    else open.push(k);
  });
  if (!open.length) return results;

  const now = pending[0]!.input.now ?? new Date();
  const { shop, friends } = await loadRows(open.map((k) => pending[k]!));
  const policy = await loadMessagingPolicy(shop);
  const capped = policy.frequencyCap ? open.filter((k) => categoryOfKind(pending[k]!.input.kind) === "marketing") : [];
  const recent = await recentMarketingSends(
    shop.id,
    [...new Set(capped.map((k) => pending[k]!.input.friendId))],
    now,
    policy.frequencyCap?.windowDays ?? 0,
    capped.map((k) => pending[k]!.row.id),
  );
  const skips = new Map<string, number[]>();
  const skip = (k: number, reason: string) => {
    results[k] = { status: "skipped", sendId: pending[k]!.row.id, reason };
    skips.set(reason, [...(skips.get(reason) ?? []), pending[k]!.row.id]);
  };
  const secrets = lineSecrets(shop);
  const allowed: number[] = [];
  for (const k of open) {
    const { input, row } = pending[k]!;
    const friend = friends.get(input.friendId);
    if (!friend) {
      skip(k, "unknown_friend");
      continue;
    }
    const decision: SendDecision = checkSendAllowed({
      friend,
      kind: categoryOfKind(input.kind),
      recentMarketingSends: recent.get(input.friendId) ?? [],
      policy,
      now,
      timeZone: shop.timezone,
    });
    if (!decision.allowed) {
      if ("deferUntil" in decision) results[k] = { status: "deferred", sendId: row.id, until: decision.deferUntil, reason: "quiet_hours" };
      else skip(k, decision.skip);
    } else if (!secrets || shop.uninstalledAt) skip(k, "no_line_channel");
    else {
      allowed.push(k);
      // A second marketing push to the same friend in this batch counts the first against the cap.
      if (capped.includes(k)) recent.get(input.friendId)?.push(now);
    }
  }
  for (const [reason, ids] of skips)
    await db().messageSend.updateMany({ where: { id: { in: ids } }, data: { status: "skipped", error: reason } });
  if (!allowed.length) return results;

  const line = lineChannel(secrets!.channelAccessToken);
  const outcomes = await mapLimit(allowed, PUSH_CONCURRENCY, (k) =>
    line.push({
      to: friends.get(pending[k]!.input.friendId)!.lineUserId,
      messages: pending[k]!.input.messages,
      retryKey: pending[k]!.row.retryKey,
    }),
  );
  const sent: Array<{ id: number; requestId: string | null }> = [];
  for (const [j, settled] of outcomes.entries()) {
    const k = allowed[j]!;
    const { row } = pending[k]!;
    // push answers LINE's refusals as outcomes; a throw is our side (network) and is retried like a 5xx.
    const outcome =
      settled.status === "fulfilled"
        ? settled.value
        : { kind: "transient" as const, message: String(settled.reason), retryAfterMs: undefined };
    switch (outcome.kind) {
      case "sent":
      case "duplicate":
        sent.push({ id: row.id, requestId: outcome.kind === "sent" ? outcome.requestId : null });
        results[k] = { status: "sent", sendId: row.id, already: outcome.kind === "duplicate" };
        break;
      case "rate-limited":
      case "transient":
        await db().messageSend.update({
          where: { id: row.id },
          data: { attempts: { increment: 1 }, error: outcome.message.slice(0, 300) },
        });
        results[k] = new RetryableSendError(`LINE push not accepted yet: ${outcome.message}`, outcome.retryAfterMs);
        break;
      case "quota-exceeded":
      case "invalid":
      case "unauthorized":
        childLogger({ shop: shop.domain, sendId: row.id }).warn({ outcome: outcome.kind, status: outcome.status }, "push refused");
        await db().messageSend.update({
          where: { id: row.id },
          data: { status: "failed", error: outcome.message.slice(0, 300), attempts: { increment: 1 } },
        });
        results[k] = { status: "failed", sendId: row.id, reason: outcome.message };
        break;
    }
  }
  await recordSent(sent);
  return results;
}

/** Marks the accepted sends sent, each with LINE's x-line-request-id: one statement for any number. */
async function recordSent(sent: Array<{ id: number; requestId: string | null }>): Promise<void> {
  if (!sent.length) return;
  await db().$executeRaw`
    UPDATE "MessageSend" AS m SET status = 'sent', "sentAt" = ${new Date()}::timestamp, error = NULL, "requestId" = x.r
    FROM unnest(${sent.map((s) => s.id)}::int[], ${sent.map((s) => s.requestId)}::text[]) AS x(id, r)
    WHERE m.id = x.id`;
}

/**
 * Sends `messages` to one friend under the shared policy (header comment). Throws RetryableSendError
 * (the job retries with the same key) and, before anything is recorded, an Error when `loaded` holds
 * rows that are not shop `shopId`'s friend `friendId`.
 */
export async function sendPush(input: SendPushInput): Promise<SendResult> {
  checkLoaded(input);
  const row = await findOrCreateSend(input);
  const [result] = await deliver([{ input, row }]);
  if (result instanceof RetryableSendError) throw result;
  return result!;
}

/**
 * Many pushes of one shop at once (a batch of due reminders): each exactly as sendPush would send it
 * — its own MessageSend row and stored retry key, the policy at this moment, the same recording —
 * with the rows created in one statement, the policy read once and the pushes made PUSH_CONCURRENCY
 * at a time. Every input needs `retryKey` and `loaded`. Answers in input order: a SendResult, or the
 * RetryableSendError sendPush would have thrown (the caller retries that one). Throws, before
 * anything is recorded, when the inputs are not all shop `inputs[0].shopId`'s with their own keys.
 */
export async function sendPushes(inputs: SendPushInput[]): Promise<Delivered[]> {
  if (!inputs.length) return [];
  const shopId = inputs[0]!.shopId;
  for (const input of inputs) {
    checkLoaded(input);
    if (input.shopId !== shopId || !input.retryKey || !input.loaded)
      throw new Error("sendPushes: every input must be the same shop's, with its retryKey and loaded rows");
  }
  if (new Set(inputs.map((i) => i.retryKey)).size !== inputs.length) throw new Error("sendPushes: a retryKey is repeated");
  await db().messageSend.createMany({
    data: inputs.map((i) => ({
      shopId,
      friendId: i.friendId,
      kind: i.kind,
      sourceType: i.sourceType,
      sourceId: i.sourceId ?? null,
      retryKey: i.retryKey!,
    })),
    skipDuplicates: true,
  });
  const rows = new Map(
    (await db().messageSend.findMany({ where: { retryKey: { in: inputs.map((i) => i.retryKey!) } } })).map((r) => [r.retryKey, r]),
  );
  return deliver(inputs.map((input) => ({ input, row: rows.get(input.retryKey!)! })));
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
